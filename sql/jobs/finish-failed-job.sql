-- A rescheduled job that ran out of retries: stamp its end and clear the retry time.
UPDATE sync_job
   SET ended_at = now(),
       next_retry_at = NULL,
       rag_message = :#${exchangeProperty.errorMessage}
 WHERE id = :#${exchangeProperty.jobId}

-- A failed batch: status and error recorded, the cursor left where it was, one more failure in a row. The
-- scheduler waits until retry_after_until (429 Retry-After, else the back-off restBatches computed from
-- app.rest.error-backoff-seconds, doubled per failure in a row up to the source's schedule interval).
UPDATE kb_rest_cursors
   SET last_status      = CAST(:#${variable.batch.failure.status} AS TEXT),
       last_http_status = CAST(:#${variable.batch.failure.httpStatus} AS INT),
       last_error       = CAST(:#${variable.batch.failure.error} AS TEXT),
       last_url         = COALESCE(CAST(:#${variable.batch.url} AS TEXT), last_url),
       retry_after_until = now() + make_interval(secs => COALESCE(CAST(:#${variable.batch.failure.retryAfterSeconds} AS INT),
                                                                 CAST(:#${variable.batch.failure.backoffSeconds} AS INT))),
       consecutive_failures = consecutive_failures + 1,
       last_failed_at   = now(),
       updated_at       = now()
 WHERE source_id = :#${exchangeProperty.sourceId}

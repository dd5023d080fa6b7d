-- One line of a job's history.
INSERT INTO sync_job_log (job_id, level, event, message)
VALUES (:#${exchangeProperty.jobId}, :#${exchangeProperty.logLevel}, :#${exchangeProperty.logEvent},
        :#${exchangeProperty.logMessage})

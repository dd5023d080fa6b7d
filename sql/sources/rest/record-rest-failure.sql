-- A failed batch: status and error recorded, the cursor left where it was, one more failure in a row. The
-- scheduler waits until retry_after_until (429 Retry-After, else the back-off restBatches computed from
-- app.rest.error-backoff-seconds, doubled per failure in a row up to the source's schedule interval).
UPDATE kb_rest_cursors
   SET last_status      = CAST(:#${exchangeProperty.lastStatus} AS TEXT),
       last_http_status = CAST(:#${exchangeProperty.httpStatus} AS INT),
       last_error       = CAST(:#${exchangeProperty.lastError} AS TEXT),
       last_url         = COALESCE(CAST(:#${exchangeProperty.fetchUrl} AS TEXT), last_url),
       retry_after_until = now() + make_interval(secs => COALESCE(CAST(:#${exchangeProperty.retryAfterSeconds} AS INT),
                                                                 CAST(:#${exchangeProperty.errorBackoffSeconds} AS INT))),
       consecutive_failures = consecutive_failures + 1,
       last_failed_at   = now(),
       updated_at       = now()
 WHERE source_id = :#${exchangeProperty.sourceId}

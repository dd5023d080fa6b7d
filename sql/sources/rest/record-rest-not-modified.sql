-- 304 on the first page of a new run: nothing new since the last run; the run is done, the cursor unchanged.
UPDATE kb_rest_cursors
   SET done             = true,
       next_cursor      = NULL,
       past_reported_end = false,
       run_pages        = '{}',
       last_status      = 'not_modified',
       last_http_status = 304,
       last_url         = CAST(:#${variable.batch.url} AS TEXT),
       last_synced_at   = now(),
       last_error       = NULL,
       retry_after_until = NULL,
       consecutive_failures = 0,
       run_started_at   = now(),
       updated_at       = now()
 WHERE source_id = :#${exchangeProperty.sourceId}
   AND next_cursor IS NOT DISTINCT FROM CAST(:#${variable.batch.source.fetchedCursor} AS TEXT)
   AND done = CAST(:#${variable.batch.source.wasDone} AS BOOLEAN)

-- Advances the cursor in the batch's transaction, only if it still is where the batch read it (another batch
-- of the same source that committed meanwhile makes this update 0 rows, and the batch rolls back).
UPDATE kb_rest_cursors
   SET next_cursor      = CAST(:#${exchangeProperty.nextCursor} AS TEXT),
       done             = CAST(:#${exchangeProperty.done} AS BOOLEAN),
       page_count       = page_count + 1,
       item_count       = item_count + CAST(:#${exchangeProperty.itemCount} AS BIGINT),
       chunk_count      = chunk_count + CAST(:#${exchangeProperty.newChunks} AS BIGINT),
       last_status      = 'ok',
       last_http_status = CAST(:#${exchangeProperty.httpStatus} AS INT),
       last_url         = CAST(:#${exchangeProperty.fetchUrl} AS TEXT),
       last_synced_at   = now(),
       last_error       = NULL,
       retry_after_until = NULL,
       consecutive_failures = 0,
       etag             = CASE WHEN CAST(:#${exchangeProperty.firstPage} AS BOOLEAN)
                               THEN CAST(:#${exchangeProperty.etag} AS TEXT) ELSE etag END,
       last_modified    = CASE WHEN CAST(:#${exchangeProperty.firstPage} AS BOOLEAN)
                               THEN CAST(:#${exchangeProperty.lastModified} AS TEXT) ELSE last_modified END,
       run_started_at   = CASE WHEN CAST(:#${exchangeProperty.firstPage} AS BOOLEAN)
                               THEN now() ELSE run_started_at END,
       updated_at       = now()
 WHERE source_id = :#${exchangeProperty.sourceId}
   AND next_cursor IS NOT DISTINCT FROM CAST(:#${exchangeProperty.fetchedCursor} AS TEXT)
   AND done = CAST(:#${exchangeProperty.wasDone} AS BOOLEAN)

-- Advances the cursor in the batch's transaction, only if it still is where the batch read it (another batch
-- of the same source that committed meanwhile makes this update 0 rows, and the batch rolls back).
UPDATE kb_rest_cursors
   SET next_cursor      = CAST(:#${variable.batch.page.next} AS TEXT),
       done             = CAST(:#${variable.batch.page.done} AS BOOLEAN),
       past_reported_end = CAST(:#${variable.batch.page.pastReportedEnd} AS BOOLEAN),
       run_pages        = CASE WHEN CAST(:#${variable.batch.page.done} AS BOOLEAN) THEN '{}'::BIGINT[]
                               WHEN CAST(:#${variable.batch.source.firstPage} AS BOOLEAN)
                               THEN ARRAY[CAST(:#${variable.batch.pageKey} AS BIGINT)]
                               ELSE run_pages || CAST(:#${variable.batch.pageKey} AS BIGINT) END,
       page_count       = page_count + 1,
       item_count       = item_count + CAST(:#${variable.batch.page.items} AS BIGINT),
       chunk_count      = chunk_count + CAST(:#${variable.batch.page.newChunks} AS BIGINT),
       last_status      = 'ok',
       last_http_status = CAST(:#${variable.batch.page.httpStatus} AS INT),
       last_url         = CAST(:#${variable.batch.url} AS TEXT),
       last_synced_at   = now(),
       last_error       = NULL,
       retry_after_until = NULL,
       consecutive_failures = 0,
       etag             = CASE WHEN CAST(:#${variable.batch.source.firstPage} AS BOOLEAN)
                               THEN CAST(:#${variable.batch.page.etag} AS TEXT) ELSE etag END,
       last_modified    = CASE WHEN CAST(:#${variable.batch.source.firstPage} AS BOOLEAN)
                               THEN CAST(:#${variable.batch.page.lastModified} AS TEXT) ELSE last_modified END,
       run_started_at   = CASE WHEN CAST(:#${variable.batch.source.firstPage} AS BOOLEAN)
                               THEN now() ELSE run_started_at END,
       updated_at       = now()
 WHERE source_id = :#${exchangeProperty.sourceId}
   AND next_cursor IS NOT DISTINCT FROM CAST(:#${variable.batch.source.fetchedCursor} AS TEXT)
   AND done = CAST(:#${variable.batch.source.wasDone} AS BOOLEAN)

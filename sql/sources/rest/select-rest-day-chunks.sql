-- The chunks the day's document renders, in order.
SELECT chunk_index, title, content
  FROM kb_rest_chunks
 WHERE source_id = :#${exchangeProperty.sourceId}
   AND sync_date = CAST(:#${variable.batch.day.syncDate} AS DATE)
 ORDER BY chunk_index

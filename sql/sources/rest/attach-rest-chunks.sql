-- Links the day's new chunks to the day's document.
UPDATE kb_rest_chunks
   SET document_id = :#${variable.batch.day.documentId}
 WHERE source_id = :#${exchangeProperty.sourceId}
   AND sync_date = CAST(:#${variable.batch.day.syncDate} AS DATE)
   AND document_id IS DISTINCT FROM :#${variable.batch.day.documentId}

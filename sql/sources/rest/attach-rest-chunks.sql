-- Links the day's new chunks to the day's document.
UPDATE kb_rest_chunks
   SET document_id = :#${exchangeProperty.documentId}
 WHERE source_id = :#${exchangeProperty.sourceId}
   AND sync_date = CAST(:#${exchangeProperty.syncDate} AS DATE)
   AND document_id IS DISTINCT FROM :#${exchangeProperty.documentId}

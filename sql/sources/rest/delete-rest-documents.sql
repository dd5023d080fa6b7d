-- Delete of a source, step 2 of 4: its daily documents. The document delete trigger enqueues their delete
-- downstream (RAGFlow / local index); kb_rest_documents rows go with them (ON DELETE CASCADE).
DELETE FROM document
 WHERE id IN (SELECT document_id FROM kb_rest_documents WHERE source_id = :#${exchangeProperty.sourceId})
   AND ragsync_enqueue_source('rest') IS NOT NULL

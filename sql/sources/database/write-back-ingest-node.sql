-- (source database) The hub document RAGSync keeps for the item's node.
UPDATE ingest_document
   SET document_id = :document_id
 WHERE id = :node_remote_id
   AND NOT (document_id <=> :document_id)

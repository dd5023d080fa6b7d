-- (source database) An ingestion item with its document node (no row: deleted).
SELECT i.id, i.storage_path, i.created_at, n.id AS node_id, n.title AS node_title,
       n.storage_path AS node_storage_path, n.knowledge_base AS node_knowledge_base
  FROM ingest_queue_item i
  JOIN ingest_document n ON n.id = i.document_node_id
 WHERE i.id = :id

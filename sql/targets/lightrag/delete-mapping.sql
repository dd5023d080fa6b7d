-- The document is gone from LightRAG: its mapping goes too.
DELETE FROM lightrag_document WHERE document_id = :#${exchangeProperty.documentId}

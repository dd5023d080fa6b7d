-- Every mapping, for the reconciliation: what RAGSync holds in LightRAG or has on its way.
SELECT doc_id, pending_doc_id, pending_file_name FROM lightrag_document

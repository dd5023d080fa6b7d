-- Zero-downtime replace on RAGFlow ('swap'): an update uploads the new version beside the searchable one and
-- deletes the earlier version only once the new one is parsed. previous_ragflow_document_id is that earlier
-- version while the new one parses; a knowledge base may choose 'delete-first' (NULL: app.ragflow.replace-mode).
ALTER TABLE document_sync ADD COLUMN previous_ragflow_document_id TEXT;
ALTER TABLE knowledge_base ADD COLUMN replace_mode TEXT CHECK (replace_mode IN ('swap', 'delete-first'));

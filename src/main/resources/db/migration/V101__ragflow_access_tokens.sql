-- RAGFlow's retrieval is filtered on meta_fields.access, which documents synced earlier lack (they would be hidden):
-- each is synced again; its content is unchanged, so RAGFlow gets a metadata-only update, never an upload.
DO $$
BEGIN
    PERFORM ragsync_enqueue(d.id, d.knowledge_base_id, 'upsert', 'backend')
       FROM document_sync s
       JOIN document d ON d.id = s.document_id
      WHERE s.ragflow_document_id IS NOT NULL
        AND ragsync_target_of(d.knowledge_base_id) = 'ragflow';
END $$;

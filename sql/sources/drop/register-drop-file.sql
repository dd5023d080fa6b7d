-- Registers one version of a dropped file (function in V10): created | changed | unchanged, with the
-- document, knowledge base and enqueued job. The content hash decides; a touch changes nothing.
SELECT r.action, r.document_id, r.knowledge_base_id, r.job_id
  FROM ragsync_register_drop_file(:#${exchangeProperty.drop.dropPath}, :#${exchangeProperty.drop.storagePath},
                                  :#${exchangeProperty.drop.knowledgeBase}, :#${exchangeProperty.drop.title},
                                  :#${exchangeProperty.file.sha256}, :#${exchangeProperty.file.size}) r

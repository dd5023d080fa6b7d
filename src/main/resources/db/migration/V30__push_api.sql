-- Push API (routes/sources/push-*.camel.yaml): an Odoo-style backend pushes documents and links instead of
-- sharing its database. A chatbot is a knowledge base; a pushed source is a document row whose file the push
-- API writes under the storage root. The V3 triggers turn these rows into sync jobs like any backend change.

-- chatbot -> knowledge base, created on first use. Rows are kept after a cleanup (removed_at set) so jobs of a
-- removed chatbot (its delete_kb job) can still be found and retried. The current mapping of a chatbot is its
-- newest row whose knowledge base still exists.
CREATE TABLE push_chatbot (
    id                  BIGSERIAL PRIMARY KEY,
    chatbot_id          TEXT        NOT NULL CHECK (length(chatbot_id) BETWEEN 1 AND 128),
    knowledge_base_id   BIGINT      NOT NULL UNIQUE,
    created_at          TIMESTAMPTZ NOT NULL DEFAULT now(),
    removed_at          TIMESTAMPTZ
);
CREATE INDEX push_chatbot_chatbot_idx ON push_chatbot (chatbot_id, id);

-- one row per pushed source (chatbot + source_type + source_id), owning one document row
CREATE TABLE push_source (
    document_id         BIGINT      PRIMARY KEY REFERENCES document (id) ON DELETE CASCADE,
    knowledge_base_id   BIGINT      NOT NULL REFERENCES knowledge_base (id) ON DELETE CASCADE,
    chatbot_id          TEXT        NOT NULL,
    source_type         TEXT        NOT NULL CHECK (source_type IN ('document', 'link')),
    source_id           TEXT        NOT NULL,
    -- counts the pushes of this source: the highest revision is the content on disk (last write wins)
    revision            BIGINT      NOT NULL DEFAULT 1,
    content_sha256      TEXT        NOT NULL,
    content_bytes       BIGINT      NOT NULL,
    url                 TEXT,
    metadata            JSONB       NOT NULL DEFAULT '{}'::jsonb,
    created_at          TIMESTAMPTZ NOT NULL DEFAULT now(),
    pushed_at           TIMESTAMPTZ NOT NULL DEFAULT now(),
    CONSTRAINT push_source_uq UNIQUE (knowledge_base_id, source_type, source_id)
);

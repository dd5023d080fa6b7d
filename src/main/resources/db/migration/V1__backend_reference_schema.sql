-- Reference backend schema. A backend either adopts these two tables as they are, or maps its own
-- tables onto them (same columns, same triggers from V3). RAGSync never writes to them except the
-- informative knowledge_base.ragflow_dataset_id mirror.
CREATE TABLE knowledge_base (
    id                  BIGSERIAL PRIMARY KEY,
    name                TEXT        NOT NULL CHECK (length(btrim(name)) > 0),
    description         TEXT,
    ragflow_dataset_id  TEXT,
    created_at          TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at          TIMESTAMPTZ NOT NULL DEFAULT now()
);

CREATE TABLE document (
    id                  BIGSERIAL PRIMARY KEY,
    knowledge_base_id   BIGINT      NOT NULL REFERENCES knowledge_base (id) ON DELETE CASCADE,
    title               TEXT        NOT NULL,
    -- path of the file relative to the shared storage root (app.storage.root)
    file_path           TEXT        NOT NULL,
    created_at          TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at          TIMESTAMPTZ NOT NULL DEFAULT now()
);

CREATE INDEX document_knowledge_base_idx ON document (knowledge_base_id);

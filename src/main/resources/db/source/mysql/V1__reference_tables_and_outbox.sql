-- A MySQL 8 / MariaDB 10.6+ source database: the reference backend tables and the manager's ingestion tables
-- (created only where the backend has none; same columns as the hub's PostgreSQL ones, in MySQL types), and the
-- outbox the hub relays from. The triggers write the outbox in the source's own transaction, so no change is
-- missed while the hub is down. MariaDB reads the same statements.

CREATE TABLE IF NOT EXISTS knowledge_base (
    id                  BIGINT       NOT NULL AUTO_INCREMENT PRIMARY KEY,
    name                VARCHAR(255) NOT NULL,
    description         TEXT,
    ragflow_dataset_id  VARCHAR(255),
    -- ragflow | local | NULL (the hub's default target)
    target              VARCHAR(32),
    tenant              VARCHAR(255),
    -- a JSON array of role names, NULL = no restriction
    allowed_roles       JSON,
    created_at          DATETIME(6)  NOT NULL DEFAULT CURRENT_TIMESTAMP(6),
    updated_at          DATETIME(6)  NOT NULL DEFAULT CURRENT_TIMESTAMP(6) ON UPDATE CURRENT_TIMESTAMP(6)
);

CREATE TABLE IF NOT EXISTS document (
    id                  BIGINT       NOT NULL AUTO_INCREMENT PRIMARY KEY,
    knowledge_base_id   BIGINT       NOT NULL,
    title               TEXT         NOT NULL,
    -- path of the file relative to the shared storage root (app.storage.root)
    file_path           TEXT         NOT NULL,
    allowed_roles       JSON,
    created_at          DATETIME(6)  NOT NULL DEFAULT CURRENT_TIMESTAMP(6),
    updated_at          DATETIME(6)  NOT NULL DEFAULT CURRENT_TIMESTAMP(6) ON UPDATE CURRENT_TIMESTAMP(6),
    KEY document_knowledge_base_idx (knowledge_base_id),
    CONSTRAINT document_knowledge_base_fk FOREIGN KEY (knowledge_base_id) REFERENCES knowledge_base (id) ON DELETE CASCADE
);

-- The manager's DocumentNode, IngestionQueueItem and IngestionLog.
CREATE TABLE IF NOT EXISTS ingest_document (
    id              BIGINT       NOT NULL AUTO_INCREMENT PRIMARY KEY,
    title           TEXT         NOT NULL,
    storage_path    TEXT         NOT NULL,
    knowledge_base  VARCHAR(255) NOT NULL DEFAULT 'ingest',
    -- the hub's document for the node (written back by the hub, informative)
    document_id     BIGINT,
    created_at      DATETIME(6)  NOT NULL DEFAULT CURRENT_TIMESTAMP(6),
    updated_at      DATETIME(6)  NOT NULL DEFAULT CURRENT_TIMESTAMP(6) ON UPDATE CURRENT_TIMESTAMP(6)
);

-- status: queued -> processing -> indexed | failed | download_failed (written by the hub)
CREATE TABLE IF NOT EXISTS ingest_queue_item (
    id                  BIGINT       NOT NULL AUTO_INCREMENT PRIMARY KEY,
    document_node_id    BIGINT       NOT NULL,
    storage_path        TEXT         NOT NULL,
    status              VARCHAR(20)  NOT NULL DEFAULT 'queued',
    created_at          DATETIME(6)  NOT NULL DEFAULT CURRENT_TIMESTAMP(6),
    started_at          DATETIME(6),
    ended_at            DATETIME(6),
    rag_message         TEXT,
    -- the hub's job carrying the item (set by the hub)
    sync_job_id         BIGINT,
    updated_at          DATETIME(6)  NOT NULL DEFAULT CURRENT_TIMESTAMP(6),
    CONSTRAINT ingest_queue_item_status_check
        CHECK (status IN ('queued', 'processing', 'indexed', 'failed', 'download_failed')),
    KEY ingest_queue_item_status_idx (status, created_at),
    KEY ingest_queue_item_created_at_idx (created_at),
    CONSTRAINT ingest_queue_item_node_fk FOREIGN KEY (document_node_id) REFERENCES ingest_document (id) ON DELETE CASCADE
);

CREATE TABLE IF NOT EXISTS ingest_log (
    id          BIGINT       NOT NULL AUTO_INCREMENT PRIMARY KEY,
    item_id     BIGINT       NOT NULL,
    level       VARCHAR(16)  NOT NULL,
    event       VARCHAR(64)  NOT NULL,
    message     TEXT,
    created_at  DATETIME(6)  NOT NULL DEFAULT CURRENT_TIMESTAMP(6),
    KEY ingest_log_item_idx (item_id, id),
    KEY ingest_log_created_at_idx (created_at),
    CONSTRAINT ingest_log_item_fk FOREIGN KEY (item_id) REFERENCES ingest_queue_item (id) ON DELETE CASCADE
);

-- One row per change the hub has not relayed yet: which row of which table. The hub reads the row's current
-- state when it relays (gone = deleted), so several changes of one row relay as one. A change the hub's database
-- refuses (a constraint) is set aside with the reason; the row's next change relays it again.
CREATE TABLE ragsync_outbox (
    id              BIGINT       NOT NULL AUTO_INCREMENT PRIMARY KEY,
    table_name      VARCHAR(32)  NOT NULL,
    op              VARCHAR(8)   NOT NULL,
    row_id          BIGINT       NOT NULL,
    created_at      DATETIME(6)  NOT NULL DEFAULT CURRENT_TIMESTAMP(6),
    refused_at      DATETIME(6),
    refused_reason  TEXT,
    KEY ragsync_outbox_refused_idx (refused_at)
);

CREATE TRIGGER ragsync_knowledge_base_inserted AFTER INSERT ON knowledge_base FOR EACH ROW
    INSERT INTO ragsync_outbox (table_name, op, row_id) VALUES ('knowledge_base', 'insert', NEW.id);
-- the hub's own mirror of the dataset id is not a change
CREATE TRIGGER ragsync_knowledge_base_updated AFTER UPDATE ON knowledge_base FOR EACH ROW
    INSERT INTO ragsync_outbox (table_name, op, row_id)
    SELECT 'knowledge_base', 'update', NEW.id FROM DUAL
     WHERE NOT (OLD.name <=> NEW.name AND OLD.description <=> NEW.description AND OLD.target <=> NEW.target
                AND OLD.tenant <=> NEW.tenant AND OLD.allowed_roles <=> NEW.allowed_roles);
CREATE TRIGGER ragsync_knowledge_base_deleted AFTER DELETE ON knowledge_base FOR EACH ROW
    INSERT INTO ragsync_outbox (table_name, op, row_id) VALUES ('knowledge_base', 'delete', OLD.id);

CREATE TRIGGER ragsync_document_inserted AFTER INSERT ON document FOR EACH ROW
    INSERT INTO ragsync_outbox (table_name, op, row_id) VALUES ('document', 'insert', NEW.id);
CREATE TRIGGER ragsync_document_updated AFTER UPDATE ON document FOR EACH ROW
    INSERT INTO ragsync_outbox (table_name, op, row_id)
    SELECT 'document', 'update', NEW.id FROM DUAL
     WHERE NOT (OLD.file_path <=> NEW.file_path AND OLD.title <=> NEW.title
                AND OLD.knowledge_base_id <=> NEW.knowledge_base_id AND OLD.allowed_roles <=> NEW.allowed_roles);
CREATE TRIGGER ragsync_document_deleted AFTER DELETE ON document FOR EACH ROW
    INSERT INTO ragsync_outbox (table_name, op, row_id) VALUES ('document', 'delete', OLD.id);

CREATE TRIGGER ragsync_ingest_item_inserted AFTER INSERT ON ingest_queue_item FOR EACH ROW
    INSERT INTO ragsync_outbox (table_name, op, row_id) VALUES ('ingest_queue_item', 'insert', NEW.id);
-- the status, times and message are the hub's writes: only a new file of the item is a change
CREATE TRIGGER ragsync_ingest_item_updated AFTER UPDATE ON ingest_queue_item FOR EACH ROW
    INSERT INTO ragsync_outbox (table_name, op, row_id)
    SELECT 'ingest_queue_item', 'update', NEW.id FROM DUAL
     WHERE NOT (OLD.storage_path <=> NEW.storage_path AND OLD.document_node_id <=> NEW.document_node_id);
CREATE TRIGGER ragsync_ingest_item_deleted AFTER DELETE ON ingest_queue_item FOR EACH ROW
    INSERT INTO ragsync_outbox (table_name, op, row_id) VALUES ('ingest_queue_item', 'delete', OLD.id);

-- rows the backend had before the outbox existed are relayed once too (the hub skips items it has already)
INSERT INTO ragsync_outbox (table_name, op, row_id) SELECT 'knowledge_base', 'insert', id FROM knowledge_base ORDER BY id;
INSERT INTO ragsync_outbox (table_name, op, row_id) SELECT 'document', 'insert', id FROM document ORDER BY id;
INSERT INTO ragsync_outbox (table_name, op, row_id)
    SELECT 'ingest_queue_item', 'insert', id FROM ingest_queue_item WHERE status = 'queued' ORDER BY created_at, id;

-- Guarded pruning: a reconciliation that would delete too large a share of a dataset, or that saw only part of
-- it, deletes nothing and leaves this report for the operator; approving it deletes the held orphans that are
-- still orphans then. One open hold per dataset: a later run replaces it.
CREATE TABLE reconcile_hold (
    id                  BIGSERIAL   PRIMARY KEY,
    knowledge_base_id   BIGINT      NOT NULL REFERENCES knowledge_base (id) ON DELETE CASCADE,
    ragflow_dataset_id  TEXT        NOT NULL,
    orphans             JSONB       NOT NULL,
    orphan_count        INT         NOT NULL,
    listed              INT         NOT NULL,
    max_delete_percent  INT         NOT NULL,
    reason              TEXT        NOT NULL,
    detail              TEXT        NOT NULL,
    created_at          TIMESTAMPTZ NOT NULL DEFAULT now(),
    approved_at         TIMESTAMPTZ,
    approved_by         TEXT,
    deleted_count       INT
);
CREATE UNIQUE INDEX reconcile_hold_open_idx ON reconcile_hold (ragflow_dataset_id) WHERE approved_at IS NULL;

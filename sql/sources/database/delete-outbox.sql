-- (source database) Relayed changes, removed in the transaction that claimed them.
DELETE FROM ragsync_outbox WHERE id IN (:ids)

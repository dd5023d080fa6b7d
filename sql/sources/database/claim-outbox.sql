-- (source database) The oldest unrelayed changes, locked until the relay deletes them; SKIP LOCKED lets several
-- hubs relay one source side by side, each its own rows.
SELECT o.id, o.table_name, o.op, o.row_id, o.created_at
  FROM ragsync_outbox o
 WHERE o.refused_at IS NULL
 ORDER BY o.id
 LIMIT :batchSize
   FOR UPDATE SKIP LOCKED

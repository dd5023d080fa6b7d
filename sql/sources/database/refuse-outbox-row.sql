-- (source database) A change the hub's database refused, set aside with the reason (kept for the operator; the
-- row's next change is relayed again).
UPDATE ragsync_outbox
   SET refused_at = CURRENT_TIMESTAMP(6), refused_reason = :reason
 WHERE id = :id

-- The hold approved: who, when, and how many of its orphans were deleted (the others had been mapped since).
UPDATE reconcile_hold
   SET approved_at = now(), approved_by = :#${exchangeProperty.approvedBy},
       deleted_count = :#${exchangeProperty.deletedCount}
 WHERE id = :#${exchangeProperty.holdId}
   AND approved_at IS NULL

-- Gives the reconcile lease back (only if this instance still holds it).
DELETE FROM ragsync_singleton_lease
 WHERE name = 'reconcile'
   AND holder = :#${properties:app.instance-id}

-- Gives the reconcile lease back (only if this process still holds it).
DELETE FROM ragsync_singleton_lease
 WHERE name = 'reconcile'
   AND holder = :#${properties:app.instance-id}
   AND holder_process = :#${bean:processClaim?method=token}

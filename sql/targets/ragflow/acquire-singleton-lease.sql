-- Takes the reconcile lease (reconciliation and the approval of held deletions) when it is free, expired or held
-- by an earlier process of this instance (killed before it gave it back); returns a row only when this process
-- holds it now (then it alone reconciles or deletes). A second run in the same process is refused too.
INSERT INTO ragsync_singleton_lease (name, holder, holder_process, lease_until)
VALUES ('reconcile', :#${properties:app.instance-id}, :#${bean:processClaim?method=token},
        now() + make_interval(secs => CAST(:#${properties:app.reconcile.lease-seconds} AS DOUBLE PRECISION)))
ON CONFLICT (name) DO UPDATE
   SET holder = EXCLUDED.holder, holder_process = EXCLUDED.holder_process, lease_until = EXCLUDED.lease_until,
       acquired_at = now()
 WHERE ragsync_singleton_lease.lease_until < now()
    OR (ragsync_singleton_lease.holder = EXCLUDED.holder
        AND ragsync_singleton_lease.holder_process IS DISTINCT FROM EXCLUDED.holder_process)
RETURNING holder, lease_until

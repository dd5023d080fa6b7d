-- Takes the reconcile lease for this instance when it is free, expired or already ours; returns a row only when
-- this instance holds it now (then it alone reconciles).
INSERT INTO ragsync_singleton_lease (name, holder, lease_until)
VALUES ('reconcile', :#${properties:app.instance-id},
        now() + make_interval(secs => CAST(:#${properties:app.reconcile.lease-seconds} AS DOUBLE PRECISION)))
ON CONFLICT (name) DO UPDATE
   SET holder = EXCLUDED.holder, lease_until = EXCLUDED.lease_until, acquired_at = now()
 WHERE ragsync_singleton_lease.lease_until < now()
    OR ragsync_singleton_lease.holder = EXCLUDED.holder
RETURNING holder, lease_until

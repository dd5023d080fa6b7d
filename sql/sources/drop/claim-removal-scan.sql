-- One instance at a time runs the removal scan: it holds a lease that it renews at every run; another
-- instance takes over once the lease (three scan intervals) has run out.
INSERT INTO ragsync_lease (name, owner, lease_until)
VALUES ('file-drop-removal-scan', :#${properties:app.instance-id},
        now() + make_interval(secs => :#${properties:app.drop.removal-scan-interval-ms} * 3 / 1000.0))
ON CONFLICT (name) DO UPDATE
   SET owner = EXCLUDED.owner,
       lease_until = EXCLUDED.lease_until
 WHERE ragsync_lease.lease_until < now()
    OR ragsync_lease.owner = EXCLUDED.owner
RETURNING owner

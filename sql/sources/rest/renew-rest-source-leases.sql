-- Heartbeat: this process is still fetching these sources, so their scheduler claims are extended.
UPDATE kb_rest_cursors
   SET scheduler_lease_until = now() + make_interval(secs => :#${properties:app.rest.scheduler-lease-seconds})
 WHERE scheduler_claim_token = :#${exchangeProperty.claim.token}
   AND scheduler_lease_until IS NOT NULL

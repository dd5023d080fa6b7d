-- Each REST source's state for the dashboard, failing ones first: last outcome and error, failed batches in a
-- row, when the last one failed, and when the scheduler tries again (a 429's Retry-After or the back-off).
SELECT coalesce(json_agg(s ORDER BY s."consecutiveFailures" DESC, s.id), '[]'::json)::text AS sources
  FROM (SELECT k.id, k.title, k.tenant_id AS "tenantId", k.enabled, k.schedule, k.backoffice_only AS "backofficeOnly",
               c.done, c.last_status AS "lastStatus", c.last_http_status AS "lastHttpStatus", c.last_error AS "lastError",
               c.consecutive_failures AS "consecutiveFailures",
               to_char(c.last_failed_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') AS "lastFailedAt",
               to_char(c.last_synced_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') AS "lastSyncedAt",
               CASE WHEN c.retry_after_until > now()
                    THEN to_char(c.retry_after_until AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') END
                   AS "nextAttemptAfter"
          FROM kb_sources k
          JOIN kb_rest_cursors c ON c.source_id = k.id
         ORDER BY c.consecutive_failures DESC, k.id
         LIMIT :#${exchangeProperty.limit}) s

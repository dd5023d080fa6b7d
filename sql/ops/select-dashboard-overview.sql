-- The dashboard's summary as one JSON document: counts by status, queue state, progress of the current bulk,
-- whether RAGFlow jobs are paused (the gate's state comes in as parameters).
SELECT json_build_object(
         'generatedAt', to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"'),
         'counts', (SELECT coalesce(json_object_agg(c.status, c.jobs), '{}'::json)
                      FROM (SELECT status, count(*) AS jobs FROM sync_job GROUP BY status) c),
         'queue', (SELECT json_build_object('depth', q.depth, 'due', q.due,
                                            'waitingForRetry', q.waiting_for_retry,
                                            'oldestAgeSeconds', q.oldest_age_seconds)
                     FROM ops_queue_state q),
         'progress', (SELECT json_build_object('total', p.total, 'done', p.done, 'failed', p.failed,
                                               'remaining', p.remaining, 'percent', p.percent,
                                               'since', to_char(p.since AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"'),
                                               'ratePerMinute', p.rate_per_minute, 'etaSeconds', p.eta_seconds)
                        FROM ops_sync_progress p),
         'ragflow', json_build_object('jobsPaused', NOT CAST(:#${exchangeProperty.ragflowOpen} AS BOOLEAN),
                                      'reason', CAST(:#${exchangeProperty.ragflowReason} AS TEXT))
       )::text AS overview

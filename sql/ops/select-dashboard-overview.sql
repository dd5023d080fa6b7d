-- The dashboard's summary as one JSON document: counts by status, queue state, progress of the current bulk,
-- whether RAGFlow jobs are paused (the gate's state comes in as parameters) or uploads held back (V99). No time estimate while a running job's
-- holder is gone (its lease ran out): that job ends only once recovered, whatever the rate of the others.
SELECT json_build_object(
         'generatedAt', to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"'),
         'counts', (SELECT coalesce(json_object_agg(c.status, c.jobs), '{}'::json)
                      FROM ops_job_counts c),
         'queue', (SELECT json_build_object('depth', q.depth, 'due', q.due,
                                            'waitingForRetry', q.waiting_for_retry,
                                            'oldestAgeSeconds', q.oldest_age_seconds)
                     FROM ops_queue_state q),
         'progress', (SELECT json_build_object('total', p.total, 'done', p.done, 'failed', p.failed,
                                               'remaining', p.remaining, 'percent', p.percent,
                                               'since', to_char(p.since AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"'),
                                               'ratePerMinute', p.rate_per_minute,
                                               'etaSeconds', CASE WHEN a.abandoned = 0 THEN p.eta_seconds END,
                                               'abandonedJobs', a.abandoned)
                        FROM ops_sync_progress p
                        CROSS JOIN (SELECT count(*) AS abandoned FROM sync_job
                                     WHERE status = 'processing' AND phase = 'sync' AND lease_until < now()) a),
         'ragflow', (SELECT json_build_object('jobsPaused', NOT CAST(:#${exchangeProperty.ragflowOpen} AS BOOLEAN),
                                              'reason', CAST(:#${exchangeProperty.ragflowReason} AS TEXT),
                                              'parsing', b.parsing,
                                              'oldestParseSeconds', b.oldest_parse_seconds,
                                              'holdingBack', b.holding_back,
                                              'holdingBackReason', b.reason,
                                              'uploadsWaiting', (SELECT count(*) FROM sync_job
                                                                  WHERE status = 'queued' AND target = 'ragflow'
                                                                    AND op = 'upsert'))
                       FROM ragsync_ragflow_backpressure(:#${properties:app.ragflow.backpressure.max-parsing},
                                                         :#${properties:app.ragflow.backpressure.backlog-seconds}) b)
       )::text AS overview

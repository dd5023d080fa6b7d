-- Progress of the current bulk of work (view from V40__ops_views.sql), for the periodic progress log line.
SELECT total, done, failed, remaining, percent, rate_per_minute, eta_seconds,
       to_char(since AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') AS since
  FROM ops_sync_progress

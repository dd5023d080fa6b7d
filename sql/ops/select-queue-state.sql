-- Queue depth, jobs due now and the age in seconds of the oldest queued job (view from V40__ops_views.sql).
SELECT depth, due, waiting_for_retry, oldest_age_seconds
  FROM ops_queue_state

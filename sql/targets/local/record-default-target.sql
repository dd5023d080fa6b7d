-- The default target of knowledge bases without one: the enqueue triggers stamp new jobs with it.
INSERT INTO ragsync_setting (key, value) VALUES ('default_target', :target)
ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value, updated_at = now()

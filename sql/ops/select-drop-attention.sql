-- Dropped files the drop does not sync, as one JSON document: how many are refused (rejected: unsupported,
-- empty, too big, no knowledge base folder...) and skipped (hidden or temporary files), and the newest of them
-- with their reason.
SELECT json_build_object(
         'counts', json_build_object(
             'rejected', (SELECT count(*) FROM drop_file WHERE status = 'rejected'),
             'skipped', (SELECT count(*) FROM drop_file WHERE status = 'skipped')),
         'files', (SELECT coalesce(json_agg(f ORDER BY f."checkedAt" DESC, f.path), '[]'::json)
                     FROM (SELECT relative_path AS path, status, reason,
                                  to_char(checked_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') AS "checkedAt"
                             FROM drop_file
                            WHERE status IN ('rejected', 'skipped')
                            ORDER BY checked_at DESC, relative_path
                            LIMIT :#${exchangeProperty.limit}) f)
       )::text AS drop_files

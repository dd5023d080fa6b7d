-- Records that a dropped file is skipped on purpose (hidden or temporary: DropFiles.skipReason) and why, so
-- the dashboard shows it. The removal scan forgets the row once the file is gone.
INSERT INTO drop_file (relative_path, storage_path, status, reason, checked_at, updated_at)
VALUES (:#${exchangeProperty.drop.dropPath}, :#${exchangeProperty.drop.storagePath}, 'skipped',
        :#${exchangeProperty.drop.skipReason}, now(), now())
ON CONFLICT (relative_path) DO UPDATE
   SET storage_path = EXCLUDED.storage_path,
       status = 'skipped',
       reason = EXCLUDED.reason,
       content_hash = NULL,
       checked_at = now(),
       updated_at = now()

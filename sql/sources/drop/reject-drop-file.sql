-- Records that a dropped file is refused (unsupported, empty, too big, unreadable, bad name, no knowledge
-- base folder) and why. A document registered from an earlier version keeps that version downstream.
INSERT INTO drop_file (relative_path, storage_path, status, reason, checked_at, updated_at)
VALUES (:#${exchangeProperty.drop.dropPath}, :#${exchangeProperty.drop.storagePath}, 'rejected',
        :#${exchangeProperty.dropReason}, now(), now())
ON CONFLICT (relative_path) DO UPDATE
   SET storage_path = EXCLUDED.storage_path,
       status = 'rejected',
       reason = EXCLUDED.reason,
       content_hash = NULL,
       checked_at = now(),
       updated_at = now()

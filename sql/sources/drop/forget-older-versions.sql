-- Keeps the consumer's idempotent repository at one entry per file: the keys of older versions of this
-- file (path|size|mtime) are removed once the current one has been handled.
DELETE FROM ragsync_drop_seen
 WHERE processorname = 'file-drop'
   AND left(messageid, length(:#${exchangeProperty.drop.dropPath}) + 1) = :#${exchangeProperty.drop.dropPath} || '|'
   AND messageid <> :#${exchangeProperty.drop.seenKey}

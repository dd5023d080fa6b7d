-- Serialises every write of one chatbot (first-use creation, pushes, deletes, cleanup) until the transaction
-- ends: the file on disk and the rows are always written in the same order, so the last push wins.
SELECT pg_advisory_xact_lock(hashtextextended('ragsync-push:' || :#${variable.push.chatbotId}, 0))

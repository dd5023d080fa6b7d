-- Removes a source's chunks (replaced by a new version, or the source was deleted).
DELETE FROM index_chunk
 WHERE source_type = :sourceType
   AND source_id = :sourceId

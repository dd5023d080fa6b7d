DELETE FROM index_source
 WHERE source_type = :sourceType
   AND source_id = :sourceId

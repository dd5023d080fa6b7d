-- How this database stores embeddings: 'vector(d)' with pgvector, 'real[]' in the small-scale mode; and the
-- pgvector version (iterative HNSW scans need 0.8+).
SELECT format_type(a.atttypid, a.atttypmod) AS column_type,
       (SELECT e.extversion FROM pg_extension e WHERE e.extname = 'vector') AS pgvector_version
  FROM pg_attribute a
 WHERE a.attrelid = CAST('index_chunk' AS regclass)
   AND a.attname = 'embedding'

-- (source database) A document as it is now (no row: deleted).
SELECT d.id, d.knowledge_base_id, d.title, d.file_path, CAST(d.allowed_roles AS CHAR) AS allowed_roles
  FROM document d
 WHERE d.id = :id

-- Every file the drop knows about, to check which are gone.
SELECT relative_path, storage_path, document_id, status
  FROM drop_file
 ORDER BY relative_path

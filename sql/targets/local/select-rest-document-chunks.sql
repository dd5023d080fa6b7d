-- The chunks a REST source made of the items of a daily document, in order, each with its own tenant, roles and
-- metadata: the local index stores them as they are (no re-chunking of the rendered file, no cap).
SELECT chunk_index,
       title,
       content,
       content_hash,
       CAST(metadata AS TEXT)      AS metadata_json,
       CAST(allowed_roles AS TEXT) AS allowed_roles_json,
       tenant_id
  FROM kb_rest_chunks
 WHERE document_id = :#${exchangeProperty.documentId}
 ORDER BY chunk_index, id

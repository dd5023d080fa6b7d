-- One REST source with where its pull stands (the input of a batch).
SELECT s.id, s.tenant_id, s.title, s.config::text AS config, s.enabled, s.knowledge_base_id, s.schedule,
       c.next_cursor, c.done, c.etag, c.last_modified, c.consecutive_failures, c.past_reported_end,
       array_to_string(c.run_pages, ',') AS run_pages
  FROM kb_sources s
  JOIN kb_rest_cursors c ON c.source_id = s.id
 WHERE s.id = :#${exchangeProperty.sourceId}

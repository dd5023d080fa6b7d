-- The REST sources with their metrics, as the JSON the backoffice lists (one source when sourceId is set).
-- config holds no secret: headersTemplate keeps the {{API_KEY}} placeholder, the key itself is server-side.
SELECT COALESCE(jsonb_agg(jsonb_build_object(
           'id', s.id,
           'tenantId', s.tenant_id,
           'type', s.type,
           'title', s.title,
           'config', s.config,
           'enabled', s.enabled,
           'backofficeOnly', s.backoffice_only,
           'schedule', s.schedule,
           'knowledgeBaseId', s.knowledge_base_id,
           'createdAt', s.created_at,
           'updatedAt', s.updated_at,
           'metrics', jsonb_build_object(
               'pages', c.page_count,
               'items', c.item_count,
               'chunks', (SELECT count(*) FROM kb_rest_chunks k WHERE k.source_id = s.id),
               'documents', (SELECT count(*) FROM kb_rest_documents r WHERE r.source_id = s.id),
               'nextCursor', c.next_cursor,
               'done', c.done,
               'lastStatus', c.last_status,
               'lastHttpStatus', c.last_http_status,
               'lastUrl', c.last_url,
               'lastSyncedAt', c.last_synced_at,
               'lastError', c.last_error,
               'retryAfterUntil', c.retry_after_until))
         ORDER BY s.id), '[]'::jsonb)::text AS sources
  FROM kb_sources s
  JOIN kb_rest_cursors c ON c.source_id = s.id
 WHERE CAST(:#${exchangeProperty.sourceId} AS BIGINT) IS NULL
    OR s.id = CAST(:#${exchangeProperty.sourceId} AS BIGINT)

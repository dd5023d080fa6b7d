-- Stores the chunks of one page (batch mode: one row per chunk). A content hash the source already has is
-- skipped, across batches and days; chunk_index continues the day's document.
INSERT INTO kb_rest_chunks (tenant_id, source_id, sync_date, chunk_index, title, content, metadata,
                            allowed_roles, content_hash)
SELECT :#tenantId, CAST(:#sourceId AS BIGINT), CAST(:#${variable.batch.day.syncDate} AS DATE),
       COALESCE((SELECT max(k.chunk_index) + 1 FROM kb_rest_chunks k
                  WHERE k.source_id = CAST(:#sourceId AS BIGINT)
                    AND k.sync_date = CAST(:#${variable.batch.day.syncDate} AS DATE)), 0),
       :#title, :#content, CAST(:#metadata AS JSONB), CAST(:#allowedRoles AS JSONB), :#contentHash
ON CONFLICT (source_id, content_hash) DO NOTHING

-- Updates a REST source (validated config). The cursor stays where it is; its tenant follows the source.
WITH src AS (
    UPDATE kb_sources
       SET tenant_id = :#tenantId,
           title = :#title,
           config = CAST(:#config AS JSONB),
           backoffice_only = CAST(:#backofficeOnly AS BOOLEAN),
           enabled = CAST(:#enabled AS BOOLEAN),
           schedule = CAST(:#schedule AS TEXT),
           updated_at = now()
     WHERE id = :#${exchangeProperty.sourceId}
    RETURNING id, tenant_id
), cursor AS (
    UPDATE kb_rest_cursors c
       SET tenant_id = src.tenant_id, updated_at = now()
      FROM src
     WHERE c.source_id = src.id
)
SELECT id FROM src

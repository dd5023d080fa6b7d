-- Creates a REST source (validated config) and its cursor at the first page.
WITH src AS (
    INSERT INTO kb_sources (tenant_id, type, title, config, backoffice_only, enabled, schedule)
    VALUES (:#tenantId, 'rest', :#title, CAST(:#config AS JSONB), CAST(:#backofficeOnly AS BOOLEAN),
            CAST(:#enabled AS BOOLEAN), CAST(:#schedule AS TEXT))
    RETURNING id, tenant_id
), cursor AS (
    INSERT INTO kb_rest_cursors (source_id, tenant_id)
    SELECT id, tenant_id FROM src
)
SELECT id FROM src

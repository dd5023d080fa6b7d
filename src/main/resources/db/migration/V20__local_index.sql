-- Local vector index target (routes/targets/local-*.camel.yaml, io.ragsync.index.ChunkStore).
--
-- Target choice: knowledge_base.target ('ragflow' | 'local'; NULL = the global default, which the app writes
-- into ragsync_setting 'default_target' at start-up from app.index.default-target). ragsync_enqueue now
-- stamps each job with its knowledge base's target, so sources never need to know it.
--
-- Chunk store: with the pgvector extension (available in the server) the embedding is a vector(d) column
-- with an HNSW cosine index; without it (plain PostgreSQL, the embedded default, the test suite) it is a
-- real[] column scored exactly in SQL: the small-scale mode. d comes from the Flyway placeholder
-- embedding_dimension (app.index.embedding.dimension); a later change of dimension needs a new migration.

ALTER TABLE knowledge_base ADD COLUMN IF NOT EXISTS target TEXT
    CHECK (target IS NULL OR target IN ('ragflow', 'local'));
-- optional access control for the local index's retrieval (NULL = no restriction)
ALTER TABLE knowledge_base ADD COLUMN IF NOT EXISTS tenant TEXT;
ALTER TABLE knowledge_base ADD COLUMN IF NOT EXISTS allowed_roles TEXT[];
ALTER TABLE document ADD COLUMN IF NOT EXISTS allowed_roles TEXT[];

CREATE TABLE ragsync_setting (
    key         TEXT PRIMARY KEY,
    value       TEXT NOT NULL,
    updated_at  TIMESTAMPTZ NOT NULL DEFAULT now()
);

-- One row per indexed source (a backend document, a link, a REST record): what the index holds for it.
CREATE TABLE index_source (
    knowledge_base_id   BIGINT      NOT NULL,
    source_type         TEXT        NOT NULL CHECK (source_type IN ('document', 'link', 'rest')),
    source_id           TEXT        NOT NULL,
    content_hash        TEXT        NOT NULL,
    meta_hash           TEXT,
    embedding_model     TEXT        NOT NULL,
    chunk_count         INT         NOT NULL,
    truncated           BOOLEAN     NOT NULL DEFAULT false,
    indexed_at          TIMESTAMPTZ NOT NULL DEFAULT now(),
    PRIMARY KEY (source_type, source_id)
);
CREATE INDEX index_source_kb_idx ON index_source (knowledge_base_id);

CREATE TABLE index_chunk (
    id                  BIGSERIAL PRIMARY KEY,
    knowledge_base_id   BIGINT      NOT NULL,
    source_type         TEXT        NOT NULL CHECK (source_type IN ('document', 'link', 'rest')),
    source_id           TEXT        NOT NULL,
    chunk_index         INT         NOT NULL,
    content             TEXT        NOT NULL,
    content_hash        TEXT        NOT NULL,
    embedding_model     TEXT        NOT NULL,
    metadata            JSONB       NOT NULL DEFAULT '{}',
    -- NULL or empty = visible to every role
    allowed_roles       TEXT[],
    -- NULL = visible to every tenant
    tenant              TEXT,
    created_at          TIMESTAMPTZ NOT NULL DEFAULT now(),
    UNIQUE (source_type, source_id, chunk_index)
);
CREATE INDEX index_chunk_kb_idx ON index_chunk (knowledge_base_id);
CREATE INDEX index_chunk_hash_idx ON index_chunk (source_type, source_id, content_hash);

DO $$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'vector')
       AND EXISTS (SELECT 1 FROM pg_available_extensions WHERE name = 'vector') THEN
        BEGIN
            CREATE EXTENSION IF NOT EXISTS vector;
        EXCEPTION WHEN OTHERS THEN
            RAISE NOTICE 'pgvector is available but cannot be created (%): using the real[] small-scale mode', SQLERRM;
        END;
    END IF;
    IF EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'vector') THEN
        EXECUTE format('ALTER TABLE index_chunk ADD COLUMN embedding vector(%s) NOT NULL', ${embedding_dimension});
        EXECUTE 'CREATE INDEX index_chunk_embedding_hnsw ON index_chunk USING hnsw (embedding vector_cosine_ops)';
    ELSE
        ALTER TABLE index_chunk ADD COLUMN embedding REAL[] NOT NULL;
    END IF;
END $$;

-- Vectors are stored L2-normalised, so cosine similarity is their dot product (small-scale mode).
CREATE FUNCTION ragsync_dot(a REAL[], b REAL[]) RETURNS DOUBLE PRECISION
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
    SELECT sum(CAST(x AS DOUBLE PRECISION) * y) FROM unnest(a, b) AS t(x, y)
$$;

-- RAGFlow's retrieval metadata_condition ({"logic":"and"|"or","conditions":[{"name","comparison_operator",
-- "value"}]}) evaluated against a chunk's metadata: strings compare case-insensitively, numbers as numbers,
-- list values match per item; NULL or no conditions = no filter.
CREATE FUNCTION ragsync_metadata_value_matches(v TEXT, op TEXT, expected JSONB) RETURNS BOOLEAN
LANGUAGE plpgsql IMMUTABLE AS $$
DECLARE
    e TEXT := CASE WHEN jsonb_typeof(expected) = 'string' THEN expected #>> '{}' ELSE expected::text END;
    num_re CONSTANT TEXT := '^-?[0-9]+(\.[0-9]+)?([eE][-+]?[0-9]+)?$';
    cmp INT;
BEGIN
    IF op IN ('empty') THEN RETURN v IS NULL OR v = ''; END IF;
    IF op IN ('not empty') THEN RETURN v IS NOT NULL AND v <> ''; END IF;
    IF v IS NULL THEN RETURN op IN ('not is', '!=', '≠', 'not contains', 'not in'); END IF;
    IF op IN ('in', 'not in') THEN
        RETURN (op = 'in') = EXISTS (
            SELECT 1 FROM jsonb_array_elements(CASE WHEN jsonb_typeof(expected) = 'array' THEN expected
                                                    ELSE jsonb_build_array(expected) END) x
             WHERE lower(CASE WHEN jsonb_typeof(x) = 'string' THEN x #>> '{}' ELSE x::text END) = lower(v));
    END IF;
    IF op IN ('contains') THEN RETURN strpos(lower(v), lower(e)) > 0; END IF;
    IF op IN ('not contains') THEN RETURN strpos(lower(v), lower(e)) = 0; END IF;
    IF op IN ('start with') THEN RETURN left(lower(v), length(e)) = lower(e); END IF;
    IF op IN ('end with') THEN RETURN right(lower(v), length(e)) = lower(e); END IF;
    IF v ~ num_re AND e ~ num_re THEN
        cmp := sign(CAST(v AS NUMERIC) - CAST(e AS NUMERIC));
    ELSE
        cmp := CASE WHEN lower(v) < lower(e) THEN -1 WHEN lower(v) > lower(e) THEN 1 ELSE 0 END;
    END IF;
    RETURN CASE op
        WHEN 'is' THEN cmp = 0 WHEN '=' THEN cmp = 0
        WHEN 'not is' THEN cmp <> 0 WHEN '!=' THEN cmp <> 0 WHEN '≠' THEN cmp <> 0
        WHEN '>' THEN cmp > 0 WHEN '<' THEN cmp < 0
        WHEN '>=' THEN cmp >= 0 WHEN '≥' THEN cmp >= 0
        WHEN '<=' THEN cmp <= 0 WHEN '≤' THEN cmp <= 0
        ELSE false END;
END $$;

CREATE FUNCTION ragsync_metadata_matches(metadata JSONB, condition JSONB) RETURNS BOOLEAN
LANGUAGE plpgsql IMMUTABLE AS $$
DECLARE
    c JSONB;
    field JSONB;
    ok BOOLEAN;
    any_ok BOOLEAN := false;
    all_ok BOOLEAN := true;
    is_or BOOLEAN := lower(coalesce(condition ->> 'logic', 'and')) = 'or';
BEGIN
    IF condition IS NULL OR jsonb_typeof(condition -> 'conditions') IS DISTINCT FROM 'array'
       OR jsonb_array_length(condition -> 'conditions') = 0 THEN
        RETURN true;
    END IF;
    FOR c IN SELECT * FROM jsonb_array_elements(condition -> 'conditions') LOOP
        field := metadata -> (c ->> 'name');
        IF jsonb_typeof(field) = 'array' THEN
            IF lower(c ->> 'comparison_operator') IN ('not is', '!=', '≠', 'not contains', 'not in') THEN
                SELECT coalesce(bool_and(ragsync_metadata_value_matches(
                           CASE WHEN jsonb_typeof(x) = 'string' THEN x #>> '{}' ELSE x::text END,
                           lower(c ->> 'comparison_operator'), c -> 'value')), true)
                  INTO ok FROM jsonb_array_elements(field) x;
            ELSE
                SELECT coalesce(bool_or(ragsync_metadata_value_matches(
                           CASE WHEN jsonb_typeof(x) = 'string' THEN x #>> '{}' ELSE x::text END,
                           lower(c ->> 'comparison_operator'), c -> 'value')), false)
                  INTO ok FROM jsonb_array_elements(field) x;
            END IF;
        ELSE
            ok := ragsync_metadata_value_matches(
                      CASE WHEN field IS NULL OR jsonb_typeof(field) = 'null' THEN NULL
                           WHEN jsonb_typeof(field) = 'string' THEN field #>> '{}' ELSE field::text END,
                      lower(c ->> 'comparison_operator'), c -> 'value');
        END IF;
        any_ok := any_ok OR ok;
        all_ok := all_ok AND ok;
    END LOOP;
    RETURN CASE WHEN is_or THEN any_ok ELSE all_ok END;
END $$;

-- Jobs carry the target of their knowledge base (NULL = the global default of ragsync_setting).
CREATE FUNCTION ragsync_target_of(p_knowledge_base_id BIGINT) RETURNS TEXT
LANGUAGE sql STABLE AS $$
    SELECT coalesce((SELECT k.target FROM knowledge_base k WHERE k.id = p_knowledge_base_id),
                    (SELECT s.value FROM ragsync_setting s WHERE s.key = 'default_target'),
                    'ragflow')
$$;

CREATE FUNCTION ragsync_enqueue(p_document_id BIGINT, p_knowledge_base_id BIGINT, p_op TEXT, p_source TEXT,
                                p_target TEXT)
RETURNS BIGINT LANGUAGE plpgsql AS $$
DECLARE
    v_job_id BIGINT;
    v_inserted BOOLEAN;
BEGIN
    IF p_op = 'delete_kb' THEN
        INSERT INTO sync_job (document_id, knowledge_base_id, op, source, target)
        VALUES (NULL, p_knowledge_base_id, p_op, p_source, p_target)
        ON CONFLICT (knowledge_base_id) WHERE status = 'queued' AND op = 'delete_kb'
        DO UPDATE SET updated_at = now(), coalesced_count = sync_job.coalesced_count + 1,
                      target = EXCLUDED.target
        RETURNING id, (xmax = 0) INTO v_job_id, v_inserted;
    ELSE
        INSERT INTO sync_job (document_id, knowledge_base_id, op, source, target)
        VALUES (p_document_id, p_knowledge_base_id, p_op, p_source, p_target)
        ON CONFLICT (document_id) WHERE status = 'queued' AND document_id IS NOT NULL
        DO UPDATE SET op = EXCLUDED.op,
                      knowledge_base_id = EXCLUDED.knowledge_base_id,
                      source = EXCLUDED.source,
                      target = EXCLUDED.target,
                      retry_count = 0,
                      next_retry_at = NULL,
                      last_error = NULL,
                      updated_at = now(),
                      coalesced_count = sync_job.coalesced_count + 1
        RETURNING id, (xmax = 0) INTO v_job_id, v_inserted;
    END IF;
    INSERT INTO sync_job_log (job_id, level, event, message)
    VALUES (v_job_id, 'INFO', CASE WHEN v_inserted THEN 'enqueued' ELSE 'coalesced' END,
            p_op || ' from ' || p_source || ' for target ' || p_target);
    RETURN v_job_id;
END $$;

-- The four-argument form every source calls resolves the target from the knowledge base.
CREATE OR REPLACE FUNCTION ragsync_enqueue(p_document_id BIGINT, p_knowledge_base_id BIGINT, p_op TEXT, p_source TEXT)
RETURNS BIGINT LANGUAGE sql AS $$
    SELECT ragsync_enqueue(p_document_id, p_knowledge_base_id, p_op, p_source, ragsync_target_of(p_knowledge_base_id))
$$;

-- A deleted knowledge base is gone from its table when its trigger runs: take the target from OLD.
CREATE OR REPLACE FUNCTION ragsync_knowledge_base_deleted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM ragsync_enqueue(NULL, OLD.id, 'delete_kb', 'backend',
                            coalesce(OLD.target, ragsync_target_of(NULL)));
    RETURN OLD;
END $$;

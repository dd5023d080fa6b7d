-- Gives the hub's role every object of public it does not own yet, except an extension's: tables first (their
-- sequences and indexes follow them), then views, sequences, routines and standalone types. A String.format
-- template (EmbeddedPostgresServer): %1$s is the role, %% a literal percent sign.
DO $$
DECLARE r record;
BEGIN
    FOR r IN SELECT c.oid::regclass AS name, CASE c.relkind WHEN 'v' THEN 'VIEW'
                    WHEN 'm' THEN 'MATERIALIZED VIEW' WHEN 'S' THEN 'SEQUENCE' WHEN 'f' THEN 'FOREIGN TABLE'
                    ELSE 'TABLE' END AS kind
               FROM pg_class c
              WHERE c.relnamespace = 'public'::regnamespace AND c.relkind IN ('r', 'p', 'v', 'm', 'S', 'f')
                AND c.relowner <> '%1$s'::regrole
                AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = 'pg_class'::regclass
                                   AND d.objid = c.oid AND d.deptype = 'e')
              ORDER BY c.relkind NOT IN ('r', 'p'), c.relkind = 'S' LOOP
        EXECUTE format('ALTER %%s %%s OWNER TO %1$s', r.kind, r.name);
    END LOOP;
    FOR r IN SELECT p.oid::regprocedure AS name, CASE p.prokind WHEN 'p' THEN 'PROCEDURE'
                    WHEN 'a' THEN 'AGGREGATE' ELSE 'FUNCTION' END AS kind
               FROM pg_proc p
              WHERE p.pronamespace = 'public'::regnamespace AND p.proowner <> '%1$s'::regrole
                AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = 'pg_proc'::regclass
                                   AND d.objid = p.oid AND d.deptype = 'e') LOOP
        EXECUTE format('ALTER %%s %%s OWNER TO %1$s', r.kind, r.name);
    END LOOP;
    FOR r IN SELECT t.oid::regtype AS name
               FROM pg_type t LEFT JOIN pg_class c ON c.oid = t.typrelid
              WHERE t.typnamespace = 'public'::regnamespace AND t.typowner <> '%1$s'::regrole
                AND (t.typtype IN ('d', 'e', 'r') OR (t.typtype = 'c' AND c.relkind = 'c'))
                AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = 'pg_type'::regclass
                                   AND d.objid = t.oid AND d.deptype = 'e') LOOP
        EXECUTE format('ALTER TYPE %%s OWNER TO %1$s', r.name);
    END LOOP;
END $$

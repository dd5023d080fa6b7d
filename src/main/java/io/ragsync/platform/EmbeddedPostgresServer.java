package io.ragsync.platform;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.commons.lang3.reflect.FieldUtils;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.SingleConnectionDataSource;

/**
 * The embedded PostgreSQL of the default run, stopped by {@link #close()} when Spring destroys this bean: zonky's
 * shutdown hook would stop it ~0.1 s into Spring's graceful stop, so its once-only {@code closed} flag is held set.
 * The hub connects as {@value #APP_ROLE}, repaired on every start: no superuser, CREATEROLE, CREATEDB or membership,
 * so no {@code COPY ... PROGRAM} nor server files. Trust on loopback stays zonky's: a password would keep out no local
 * process that can log in as postgres anyway.
 */
public final class EmbeddedPostgresServer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedPostgresServer.class);

    public static final String APP_ROLE = "ragsync";

    private final EmbeddedPostgres postgres;
    private final AtomicBoolean hookGuard;
    private String database = APP_ROLE;

    EmbeddedPostgresServer(EmbeddedPostgres postgres) {
        this.postgres = postgres;
        this.hookGuard = closedFlag(postgres);
        if (hookGuard != null) {
            hookGuard.set(true);
        }
    }

    public static EmbeddedPostgresServer start(EmbeddedPostgres.Builder builder) throws IOException {
        EmbeddedPostgresServer server = new EmbeddedPostgresServer(builder.start());
        try {
            server.prepareAppRole();
        } catch (RuntimeException e) {
            server.close();
            throw new IOException("cannot prepare the role '" + APP_ROLE + "' of the embedded PostgreSQL", e);
        }
        return server;
    }

    private void prepareAppRole() {
        String adminUrl = postgres.getJdbcUrl("postgres", "postgres");
        try (SingleConnectionDataSource admin = new SingleConnectionDataSource(adminUrl, true)) {
            JdbcTemplate s = new JdbcTemplate(admin);
            if (!exists(s, "SELECT 1 FROM pg_roles WHERE rolname = '" + APP_ROLE + "'")) {
                s.execute("CREATE ROLE " + APP_ROLE + " LOGIN");
            }
            s.execute("ALTER ROLE " + APP_ROLE
                    + " LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS");
            for (String role : s.queryForList("SELECT m.roleid::regrole::text FROM pg_auth_members m"
                    + " WHERE m.member = '" + APP_ROLE + "'::regrole", String.class)) {
                s.execute("REVOKE " + role + " FROM " + APP_ROLE);
            }
            // in a data folder of an older version the hub's tables are in the database postgres
            boolean older = !exists(s, "SELECT 1 FROM pg_database WHERE datname = '" + APP_ROLE + "'")
                    && exists(s, "SELECT 1 WHERE to_regclass('public.flyway_schema_history') IS NOT NULL");
            database = older ? "postgres" : APP_ROLE;
            if (!older && !exists(s, "SELECT 1 FROM pg_database WHERE datname = '" + APP_ROLE + "'")) {
                s.execute("CREATE DATABASE " + APP_ROLE + " OWNER " + APP_ROLE);
            }
        }
        String databaseUrl = postgres.getJdbcUrl("postgres", database);
        try (SingleConnectionDataSource admin = new SingleConnectionDataSource(databaseUrl, true)) {
            JdbcTemplate s = new JdbcTemplate(admin);
            // the superuser creates pgvector before Flyway (V20 needs it); the hub owns public and all in it
            if (exists(s, "SELECT 1 FROM pg_available_extensions WHERE name = 'vector' AND installed_version IS NULL")) {
                s.execute("CREATE EXTENSION IF NOT EXISTS vector");
            }
            s.execute("ALTER SCHEMA public OWNER TO " + APP_ROLE);
            s.execute(SqlFiles.read("platform", "hand-over-public").formatted(APP_ROLE));
        }
    }

    private static boolean exists(JdbcTemplate s, String query) {
        return !s.queryForList(query).isEmpty();
    }

    public int port() {
        return postgres.getPort();
    }

    public String jdbcUrl() {
        return postgres.getJdbcUrl(APP_ROLE, database);
    }

    /** What zonky's shutdown hook calls; for the tests. */
    EmbeddedPostgres embedded() {
        return postgres;
    }

    @Override
    public void close() throws IOException {
        if (hookGuard != null) {
            hookGuard.set(false);
        }
        postgres.close();
    }

    /** zonky's once-only flag ({@code EmbeddedPostgres.closed}, 2.1.0), or null in a version without it (logged). */
    private static AtomicBoolean closedFlag(EmbeddedPostgres postgres) {
        try {
            return (AtomicBoolean) FieldUtils.readDeclaredField(postgres, "closed", true);
        } catch (ReflectiveOperationException | RuntimeException e) {
            LOG.warn("Cannot hold back the embedded PostgreSQL's own shutdown hook ({}): on SIGTERM it may stop"
                    + " before RAGSync has returned its jobs to the queue", e.toString());
            return null;
        }
    }
}

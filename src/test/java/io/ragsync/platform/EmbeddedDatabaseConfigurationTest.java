package io.ragsync.platform;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.zaxxer.hikari.HikariDataSource;
import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.ragsync.support.ChildHub;
import io.ragsync.support.TestPostgres;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

class EmbeddedDatabaseConfigurationTest {

    /** The embedded default's pool takes DB_POOL_SIZE and DB_CONNECT_TIMEOUT_MS like a configured database's. */
    @Test
    void poolIsSizedAndTimedFromTheDatasourceSettings() throws Exception {
        try (HikariDataSource pool = EmbeddedDatabaseConfiguration.pool(
                TestPostgres.get().getJdbcUrl("postgres", "postgres"), "postgres", 3, 1500)) {
            assertThat(pool.getMaximumPoolSize()).isEqualTo(3);
            assertThat(pool.getConnectionTimeout()).isEqualTo(1500);
            try (Connection c = pool.getConnection()) {
                assertThat(c.isValid(2)).isTrue();
            }
        }
    }

    /**
     * What zonky's JVM shutdown hook runs on SIGTERM ({@code EmbeddedPostgres.close()}) leaves the server up for the
     * hub's graceful stop; the bean's own close, last, stops it.
     */
    @Test
    void onlyTheBeansCloseStopsTheServer(@TempDir Path dataDir) throws Exception {
        EmbeddedPostgresServer server = EmbeddedPostgresServer.start(
                EmbeddedPostgres.builder().setDataDirectory(dataDir).setCleanDataDirectory(false));
        try {
            server.embedded().close();
            try (Connection c = DriverManager.getConnection(server.jdbcUrl())) {
                assertThat(c.isValid(2)).as("server still up after the shutdown hook's close").isTrue();
            }
        } finally {
            server.close();
        }
        assertThatThrownBy(() -> DriverManager.getConnection(server.jdbcUrl()).close())
                .as("server stopped by the bean's close")
                .isInstanceOf(SQLException.class);
        assertThat(dataDir.resolve("postmaster.pid")).doesNotExist();
    }

    /**
     * A run killed with SIGKILL leaves its PostgreSQL serving the data folder; the next start on that folder (a
     * free port, as by default) stops it, says so in one line, and starts without an error.
     */
    @Test
    void aServerLeftRunningByAKilledRunIsStoppedAndTheNextStartSucceeds(@TempDir Path dataDir) throws Exception {
        long leftoverPid;
        try (ChildHub child = ChildHub.startMain(EmbeddedPostgresChild.class, List.of(dataDir.toString()))) {
            child.awaitOutput(EmbeddedPostgresChild.READY);
            leftoverPid = Long.parseLong(Files.readAllLines(dataDir.resolve("postmaster.pid")).get(0).trim());
            assertThat(child.kill()).isEqualTo(137);
        }
        assertThat(ProcessHandle.of(leftoverPid).map(ProcessHandle::isAlive)).as("left running").contains(true);

        Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        ListAppender<ILoggingEvent> events = new ListAppender<>();
        events.start();
        root.addAppender(events);
        EmbeddedPostgresServer server;
        try {
            server = new EmbeddedDatabaseConfiguration().embeddedPostgres(dataDir.toString(), 0);
        } finally {
            root.detachAppender(events);
        }
        try (Connection c = DriverManager.getConnection(server.jdbcUrl())) {
            assertThat(c.isValid(2)).isTrue();
        } finally {
            server.close();
        }
        assertThat(ProcessHandle.of(leftoverPid).map(ProcessHandle::isAlive)).as("stopped").isNotEqualTo(Optional.of(true));
        assertThat(events.list).filteredOn(e -> e.getLevel().isGreaterOrEqual(Level.ERROR)).isEmpty();
        assertThat(events.list).filteredOn(e -> e.getLoggerName().equals(LeftoverPostgres.class.getName()))
                .singleElement()
                .satisfies(e -> assertThat(e.getArgumentArray()).contains(leftoverPid));
    }
}

package io.ragsync.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.zaxxer.hikari.HikariDataSource;
import io.ragsync.support.TestPostgres;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

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
}

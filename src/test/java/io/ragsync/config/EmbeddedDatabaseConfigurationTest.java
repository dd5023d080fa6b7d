package io.ragsync.config;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import io.ragsync.support.TestPostgres;
import java.sql.Connection;
import org.junit.jupiter.api.Test;

/** The embedded default's pool takes DB_POOL_SIZE and DB_CONNECT_TIMEOUT_MS like a configured database's. */
class EmbeddedDatabaseConfigurationTest {

    @Test
    void poolIsSizedAndTimedFromTheDatasourceSettings() throws Exception {
        try (HikariDataSource pool = (HikariDataSource) new EmbeddedDatabaseConfiguration()
                .dataSource(TestPostgres.get(), 3, 1500)) {
            assertThat(pool.getMaximumPoolSize()).isEqualTo(3);
            assertThat(pool.getConnectionTimeout()).isEqualTo(1500);
            try (Connection c = pool.getConnection()) {
                assertThat(c.isValid(2)).isTrue();
            }
        }
    }
}

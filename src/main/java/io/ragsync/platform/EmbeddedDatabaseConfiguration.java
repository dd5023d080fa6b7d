package io.ragsync.platform;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.condition.ConditionalOnExpression;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Without DB_URL the hub starts its own PostgreSQL, data kept in {@code app.embedded-db.dir}, as a non-superuser. */
@Configuration(proxyBeanMethods = false)
@ConditionalOnExpression("'${spring.datasource.url:}'.isBlank()")
public class EmbeddedDatabaseConfiguration {

    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedDatabaseConfiguration.class);

    /** Stopped when Spring destroys it, after the pool and everything using it ({@link EmbeddedPostgresServer}). */
    @Bean(destroyMethod = "close")
    public EmbeddedPostgresServer embeddedPostgres(@Value("${app.embedded-db.dir}") String dir,
                                                   @Value("${app.embedded-db.port}") int port) throws IOException {
        Path dataDir = Path.of(dir).toAbsolutePath().normalize();
        Files.createDirectories(dataDir);
        // a run killed with SIGKILL leaves its server holding the folder: the next start would fail on postmaster.pid
        LeftoverPostgres.stop(dataDir, Duration.ofSeconds(30));
        EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder()
                .setDataDirectory(dataDir)
                .setCleanDataDirectory(false);
        if (port > 0) {
            builder.setPort(port);
        }
        EmbeddedPostgresServer postgres = EmbeddedPostgresServer.start(builder);
        LOG.info("No DB_URL configured: started the embedded PostgreSQL on localhost:{} with its data in {},"
                + " connecting as role '{}' (set DB_URL, DB_USER, DB_PASSWORD to use your own database)",
                postgres.port(), dataDir, EmbeddedPostgresServer.APP_ROLE);
        return postgres;
    }

    /** Sized and timed like a configured pool (DB_POOL_SIZE, DB_CONNECT_TIMEOUT_MS). */
    @Bean(destroyMethod = "close")
    public DataSource dataSource(EmbeddedPostgresServer postgres,
                                 @Value("${spring.datasource.hikari.maximum-pool-size:10}") int poolSize,
                                 @Value("${spring.datasource.hikari.connection-timeout:10000}") long connectionTimeoutMs) {
        return pool(postgres.jdbcUrl(), EmbeddedPostgresServer.APP_ROLE, poolSize, connectionTimeoutMs);
    }

    static HikariDataSource pool(String jdbcUrl, String username, int poolSize, long connectionTimeoutMs) {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(jdbcUrl);
        config.setUsername(username);
        config.setMaximumPoolSize(poolSize);
        config.setConnectionTimeout(connectionTimeoutMs);
        config.setPoolName("ragsync-embedded");
        config.addDataSourceProperty("stringtype", "unspecified");
        return new HikariDataSource(config);
    }
}

package io.ragsync.sources.database;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.camel.CamelContext;
import org.apache.camel.builder.TemplatedRouteBuilder;
import org.apache.camel.spring.boot.CamelContextConfiguration;
import org.flywaydb.core.Flyway;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * One small pool per configured source database, its schema migrated by Flyway, and its relay and write-back routes
 * from the templates of routes/sources/database. Not DataSource beans, so Boot's stay on the hub's PostgreSQL.
 */
@Component
@EnableConfigurationProperties(SourceDatabaseSettings.class)
public class SourceDatabases implements DisposableBean, CamelContextConfiguration {

    private static final Logger LOG = LoggerFactory.getLogger(SourceDatabases.class);
    /** MySQL 8 and MariaDB 10.6+ read the same DDL and trigger statements. */
    private static final String MIGRATIONS = "classpath:db/source/mysql";
    /** Apart from a Flyway history the backend may keep for itself. */
    private static final String HISTORY_TABLE = "ragsync_schema_history";

    /** A source database as the relay uses it. */
    public record SourceDatabase(String name, HikariDataSource pool, NamedParameterJdbcTemplate jdbc,
                                 TransactionTemplate tx) {
    }

    private final Map<String, SourceDatabase> byName = new LinkedHashMap<>();
    private final SourceDatabaseSettings settings;

    public SourceDatabases(SourceDatabaseSettings settings) {
        this.settings = settings;
        for (SourceDatabaseSettings.Source source : settings.sourceDatabases()) {
            if (byName.containsKey(source.name())) {
                throw new IllegalStateException("app.source-databases names " + source.name() + " twice");
            }
            HikariDataSource pool = pool(source, settings.sourceDatabase().poolSize());
            byName.put(source.name(), new SourceDatabase(source.name(), pool, new NamedParameterJdbcTemplate(pool),
                    new TransactionTemplate(new DataSourceTransactionManager(pool))));
            migrate(source, pool);
        }
    }

    private static HikariDataSource pool(SourceDatabaseSettings.Source source, int size) {
        HikariConfig config = new HikariConfig();
        config.setPoolName("source-db-" + source.name());
        config.setDriverClassName("org.mariadb.jdbc.Driver");
        config.setJdbcUrl(source.driverUrl());
        config.setUsername(source.username());
        config.setPassword(source.password());
        config.setMaximumPoolSize(size);
        config.setMinimumIdle(0);
        return new HikariDataSource(config);
    }

    private static void migrate(SourceDatabaseSettings.Source source, HikariDataSource pool) {
        var result = Flyway.configure().dataSource(pool).locations(MIGRATIONS).table(HISTORY_TABLE)
                // a backend with tables of its own: its tables stay, ours are created beside them
                .baselineOnMigrate(true).baselineVersion("0")
                .load().migrate();
        LOG.info("source database {} ({}): schema at version {}, {} migrations applied", source.name(),
                source.vendor(), result.targetSchemaVersion, result.migrationsExecuted);
    }

    /** The configured source database of this name (names come from configuration only). */
    public SourceDatabase get(String name) {
        return Optional.ofNullable(byName.get(name))
                .orElseThrow(() -> new IllegalArgumentException("no source database named " + name));
    }

    public int batchSize() {
        return settings.sourceDatabase().batchSize();
    }

    @Override
    public void beforeApplicationStart(CamelContext camel) {
        // the templates are loaded with the routes, at start
    }

    @Override
    public void afterApplicationStart(CamelContext camel) {
        for (String name : byName.keySet()) {
            for (String template : List.of("source-database-relay", "source-database-write-back")) {
                TemplatedRouteBuilder.builder(camel, template).routeId(template + "-" + name)
                        .parameter("source", name).add();
            }
        }
    }

    @Override
    public void destroy() {
        byName.values().forEach(s -> s.pool().close());
    }
}

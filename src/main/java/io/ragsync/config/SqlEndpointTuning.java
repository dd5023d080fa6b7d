package io.ragsync.config;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLTransientConnectionException;
import java.util.OptionalInt;
import javax.sql.DataSource;
import org.apache.camel.Endpoint;
import org.apache.camel.component.sql.DefaultSqlPrepareStatementStrategy;
import org.apache.camel.component.sql.SqlEndpoint;
import org.apache.camel.component.sql.SqlHelper;
import org.apache.camel.component.sql.SqlPrepareStatementStrategy;
import org.apache.camel.support.LifecycleStrategySupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Tunes every {@code sql:} endpoint when it is created (before its producer, which copies both settings); what the
 * statements do is unchanged:
 * <ul>
 * <li>its statement strategy becomes {@link PropertySqlParameters} (exchange properties read directly, the JDBC
 * text computed once), unless the endpoint names its own;</li>
 * <li>its parameter count is asked once. Unless an endpoint is given {@code parametersCount}, camel-sql asks the
 * JDBC driver for it on every call, and the PostgreSQL driver answers with an extra round trip in which the server
 * parses the statement once more: two round trips per statement instead of one (about 40 % of the database's CPU
 * in a bulk sync).</li>
 * </ul>
 * Left to camel-sql's per-call count: endpoints with an {@code :#in:} list (their count varies per call),
 * endpoints that take their SQL from the message body, endpoints given a count in their URI, and any statement
 * the database cannot prepare at start-up (e.g. the pgvector search where the extension is missing). Camel adds
 * every {@code LifecycleStrategy} bean to the context at start-up, so endpoints of reloaded routes are counted too.
 */
@Component
public class SqlEndpointTuning extends LifecycleStrategySupport {

    private static final Logger LOG = LoggerFactory.getLogger(SqlEndpointTuning.class);

    /** Set when a connection could not be had: the remaining endpoints do not wait for one each. */
    private volatile boolean databaseUnreachable;

    @Override
    public void onEndpointAdd(Endpoint endpoint) {
        if (endpoint instanceof SqlEndpoint sql) {
            if (sql.getPrepareStatementStrategy() == null
                    || sql.getPrepareStatementStrategy().getClass() == DefaultSqlPrepareStatementStrategy.class) {
                sql.setPrepareStatementStrategy(new PropertySqlParameters(sql.getSeparator()));
            }
            if (sql.getParametersCount() <= 0 && !sql.isUseMessageBodyForSql() && !databaseUnreachable) {
                try {
                    count(sql).ifPresent(sql::setParametersCount);
                } catch (SQLTransientConnectionException e) {
                    databaseUnreachable = true;
                    LOG.warn("No database connection while creating sql endpoints ({}): their statements ask for their"
                            + " parameter count on every call", e.getMessage());
                }
            }
        }
    }

    /**
     * The statement's parameter count as the driver reports it, or empty when it must be asked per call.
     *
     * @throws SQLTransientConnectionException when no connection could be had (the pool's timeout)
     */
    static OptionalInt count(SqlEndpoint sql) throws SQLTransientConnectionException {
        String jdbcSql;
        DataSource dataSource;
        try {
            String query = SqlHelper.resolveQuery(sql.getCamelContext(), sql.getQuery(),
                    sql.isUsePlaceholder() ? sql.getPlaceholder() : null);
            // an IN list's size, and so the count, varies per call (':#in:' reads ':?in:' once resolved)
            if (query == null || query.contains(":#in:") || query.contains(":?in:") || sql.getJdbcTemplate() == null) {
                return OptionalInt.empty();
            }
            SqlPrepareStatementStrategy strategy = sql.getPrepareStatementStrategy() != null
                    ? sql.getPrepareStatementStrategy() : new DefaultSqlPrepareStatementStrategy(sql.getSeparator());
            jdbcSql = strategy.prepareQuery(query, sql.isAllowNamedParameters(), null);
            dataSource = sql.getJdbcTemplate().getDataSource();
        } catch (Exception e) {
            LOG.debug("{}: parameter count left to camel-sql per call ({})", sql.getEndpointBaseUri(), e.getMessage());
            return OptionalInt.empty();
        }
        if (dataSource == null) {
            return OptionalInt.empty();
        }
        try (Connection connection = dataSource.getConnection();
                PreparedStatement statement = connection.prepareStatement(jdbcSql)) {
            return OptionalInt.of(statement.getParameterMetaData().getParameterCount());
        } catch (SQLTransientConnectionException e) {
            throw e;
        } catch (Exception e) {
            // e.g. the pgvector search where the extension is missing: camel-sql asks per call, as it always did
            LOG.debug("{}: parameter count left to camel-sql per call ({})", sql.getEndpointBaseUri(), e.getMessage());
            return OptionalInt.empty();
        }
    }
}

package io.ragsync.platform;

import java.util.List;
import java.util.OptionalInt;
import org.apache.camel.Endpoint;
import org.apache.camel.component.sql.DefaultSqlPrepareStatementStrategy;
import org.apache.camel.component.sql.SqlEndpoint;
import org.apache.camel.component.sql.SqlHelper;
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
 * <li>its parameter count is set. Unless an endpoint is given {@code parametersCount}, camel-sql asks the JDBC
 * driver for it on every call, and the PostgreSQL driver answers with an extra round trip in which the server
 * parses the statement once more: two round trips per statement instead of one (about 40 % of the database's CPU
 * in a bulk sync). The count is the number of named parameters camel-sql fills in, read from the statement's text
 * (no database needed): a statement whose driver count differed would already fail in camel-sql's
 * populate step, and {@code SqlEndpointTuningTest} compares both for every statement of the hub.</li>
 * </ul>
 * Left to camel-sql's per-call count: endpoints with an {@code :#in:} list (their count varies per call) or
 * nested braces in a parameter, statements without named parameters, endpoints that take their SQL from the
 * message body, and endpoints given a count in their URI. Camel adds every {@code LifecycleStrategy} bean to the
 * context at start-up, so endpoints of reloaded routes are tuned too.
 */
@Component
public class SqlEndpointTuning extends LifecycleStrategySupport {

    private static final Logger LOG = LoggerFactory.getLogger(SqlEndpointTuning.class);

    @Override
    public void onEndpointAdd(Endpoint endpoint) {
        if (endpoint instanceof SqlEndpoint sql) {
            if (sql.getPrepareStatementStrategy() == null
                    || sql.getPrepareStatementStrategy().getClass() == DefaultSqlPrepareStatementStrategy.class) {
                sql.setPrepareStatementStrategy(new PropertySqlParameters(sql.getSeparator()));
            }
            if (sql.getParametersCount() <= 0 && !sql.isUseMessageBodyForSql()) {
                count(sql).ifPresent(sql::setParametersCount);
            }
        }
    }

    /** The number of named parameters of the endpoint's statement, or empty when camel-sql must ask per call. */
    static OptionalInt count(SqlEndpoint sql) {
        String query;
        try {
            query = SqlHelper.resolveQuery(sql.getCamelContext(), sql.getQuery(),
                    sql.isUsePlaceholder() ? sql.getPlaceholder() : null);
        } catch (Exception e) {
            LOG.debug("{}: parameter count left to camel-sql per call ({})", sql.getEndpointBaseUri(), e.getMessage());
            return OptionalInt.empty();
        }
        // an in-list or nested braces: PropertySqlParameters.parse leaves the statement to camel-sql
        return query == null ? OptionalInt.empty() : PropertySqlParameters.parse(query)
                .map(List::size).filter(n -> n > 0).map(OptionalInt::of).orElse(OptionalInt.empty());
    }
}

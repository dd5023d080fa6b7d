package io.ragsync.platform;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ragsync.platform.storage.StoredFile;
import io.ragsync.support.ConverterSearches;
import io.ragsync.support.HubTestSupport;
import java.lang.reflect.Proxy;
import java.nio.file.Path;
import java.sql.SQLTransientConnectionException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.sql.DataSource;
import org.apache.camel.Exchange;
import org.apache.camel.RuntimeExchangeException;
import org.apache.camel.component.sql.DefaultSqlPrepareStatementStrategy;
import org.apache.camel.component.sql.SqlComponent;
import org.apache.camel.component.sql.SqlEndpoint;
import org.apache.camel.component.sql.SqlHelper;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.api.Test;

/**
 * Every sql endpoint of the running hub is tuned by {@link SqlEndpointTuning}, and {@link PropertySqlParameters}
 * gives each statement exactly the parameters and JDBC text camel-sql's own strategy gives.
 */
class SqlEndpointTuningTest extends HubTestSupport {

    private static final Pattern PROPERTY = Pattern.compile("\\$\\{exchangeProperty\\.(\\w+)");
    private static final Pattern VARIABLE = Pattern.compile("\\$\\{variable\\.(\\w+)");

    @Test
    void everySqlEndpointHasTheStrategyAndTheParameterCountTheDriverReports() throws Exception {
        List<SqlEndpoint> endpoints = sqlEndpoints();
        assertThat(endpoints).hasSizeGreaterThan(50);
        List<String> uncounted = new ArrayList<>();
        int checkedWithTheDriver = 0;
        for (SqlEndpoint sql : endpoints) {
            assertThat(sql.getPrepareStatementStrategy()).as(sql.getEndpointUri()).isInstanceOf(PropertySqlParameters.class);
            String query = query(sql);
            var parameters = PropertySqlParameters.parse(query);
            if (query.contains(":?in:")) {
                assertThat(sql.getParametersCount()).as("%s has an in-list: counted per call", sql.getEndpointUri()).isZero();
            } else if (sql.getParametersCount() > 0) {
                // the count set is what the JDBC driver says (the question camel-sql would ask on every call)
                assertThat(parameters).as(sql.getEndpointUri()).isPresent();
                assertThat(parameters.get()).as(sql.getEndpointUri()).hasSize(sql.getParametersCount());
                Integer driverCount = driverParameterCount(sql.getPrepareStatementStrategy().prepareQuery(query, true, null));
                if (driverCount != null) {
                    assertThat(driverCount).as(sql.getEndpointUri()).isEqualTo(sql.getParametersCount());
                    checkedWithTheDriver++;
                }
            } else {
                uncounted.add(sql.getEndpointUri() + " " + parameters.map(List::size).orElse(-1));
            }
        }
        // left uncounted: statements without parameters (0 means "ask" to camel-sql) and none else
        assertThat(uncounted).allSatisfy(u -> assertThat(u).endsWith(" 0"));
        assertThat(checkedWithTheDriver).isGreaterThan(50);
    }

    @Test
    void givesEveryStatementTheSameParametersAndTextAsCamelSql() throws Exception {
        int compared = 0;
        for (SqlEndpoint sql : sqlEndpoints()) {
            String query = query(sql);
            if (query.contains(":?in:")) {
                continue;
            }
            DefaultSqlPrepareStatementStrategy camelSql = new DefaultSqlPrepareStatementStrategy(sql.getSeparator());
            PropertySqlParameters tuned = new PropertySqlParameters(sql.getSeparator());
            assertThat(tuned.prepareQuery(query, true, null)).as(sql.getEndpointUri())
                    .isEqualTo(camelSql.prepareQuery(query, true, null));
            // every property the statement names gets a distinct value; plain names come from a Map body
            Exchange exchange = new DefaultExchange(camel);
            Matcher m = PROPERTY.matcher(query);
            while (m.find()) {
                exchange.setProperty(m.group(1), m.group(1) + "-value");
            }
            Matcher v = VARIABLE.matcher(query);
            while (v.find()) {
                exchange.setVariable(v.group(1), Map.of("id", v.group(1) + "-variable"));
            }
            Map<String, Object> body = new java.util.HashMap<>();
            PropertySqlParameters.parse(query).orElseThrow().stream().filter(p -> !p.key().startsWith("$"))
                    .forEach(p -> body.put(p.key(), p.key() + "-body"));
            exchange.getMessage().setBody(body);
            assertThat(outcome(tuned, query, exchange)).as(sql.getEndpointUri()).isEqualTo(outcome(camelSql, query, exchange));
            compared++;
        }
        assertThat(compared).isGreaterThan(50);
    }

    @Test
    void readsPropertiesDirectlyAndLeavesOtherFormsToCamelSql() throws Exception {
        String query = "UPDATE t SET a = :?${exchangeProperty.jobId}, b = :?plain, c = :?${properties:app.jobs.lease-seconds},"
                + " d = :?${exchangeProperty.missing}, e = :?${exchangeProperty.items.size}";
        var parsed = PropertySqlParameters.parse(query).orElseThrow();
        assertThat(parsed).extracting(PropertySqlParameters.Parameter::property)
                .containsExactly("jobId", null, null, "missing", "items");
        assertThat(parsed).extracting(PropertySqlParameters.Parameter::component)
                .containsExactly(null, null, null, null, "size");
        assertThat(parsed).extracting(PropertySqlParameters.Parameter::configuration)
                .containsExactly(null, null, "app.jobs.lease-seconds", null, null);
        Exchange exchange = new DefaultExchange(camel);
        exchange.setProperty("jobId", 42L);
        exchange.setProperty("items", List.of("a", "b"));
        exchange.getMessage().setHeader("plain", "from-header");
        PropertySqlParameters strategy = new PropertySqlParameters(',');
        List<Object> values = values(strategy, query, exchange);
        assertThat(values(strategy, query, exchange)).as("second call, configuration from the cache").isEqualTo(values);
        assertThat(values).containsExactly(42L, "from-header", camel.resolvePropertyPlaceholders("{{app.jobs.lease-seconds}}"), null, 2);
        // a plain key found nowhere fails as camel-sql fails
        assertThatThrownBy(() -> values(new PropertySqlParameters(','), "SELECT :?nowhere", new DefaultExchange(camel)))
                .isInstanceOf(RuntimeExchangeException.class).hasMessageContaining("Cannot find key [nowhere]");
        // a variable, and a component of the record it holds, are read the same way
        exchange.setVariable("file", new StoredFile(Path.of("/s/a.txt"), "a.txt", "a.txt", 42L, "abc123"));
        assertThat(values(strategy, "SELECT :?${variable.file}, :?${variable.file.sha256}", exchange))
                .containsExactly(exchange.getVariable("file"), "abc123");
        // a record inside a record, as ${exchangeProperty.doc.file.size} reads a RagflowDocument's StoredFile
        exchange.setProperty("outer", new Outer(exchange.getVariable("file", StoredFile.class)));
        assertThat(values(strategy, "SELECT :?${exchangeProperty.outer.file.size}", exchange)).containsExactly(42L);
        // a component no record has is left to camel-sql, which fails as it always did
        assertThatThrownBy(() -> values(strategy, "SELECT :?${exchangeProperty.outer.file.none}", exchange))
                .hasMessageContaining("Method with name: none not found");
        assertThat(PropertySqlParameters.parse("SELECT :?${variable.file.sha256}").orElseThrow())
                .singleElement().satisfies(p -> assertThat(p.variable()).isTrue());
        // in-lists and nested braces stay entirely with camel-sql
        assertThat(PropertySqlParameters.parse("SELECT 1 WHERE id IN (:?in:ids)")).isEmpty();
    }

    /**
     * {@code ${exchangeProperty.file.sha256}} of a record (the StoredFile the routes hold) is read through the
     * record's accessor, as Camel's OGNL reads it, without camel-sql's Simple evaluation on a copy of the exchange
     * and its body-to-Map conversions (a search of every type converter when the body is a List or a String);
     * anything else named that way is left to camel-sql, with its outcome.
     */
    @Test
    void readsRecordComponentsDirectlyAndLeavesOtherValuesToCamelSql() throws Exception {
        String query = "SELECT :?${exchangeProperty.file.sha256}, :?${exchangeProperty.file.size}";
        DefaultSqlPrepareStatementStrategy camelSql = new DefaultSqlPrepareStatementStrategy(',');
        try (DefaultCamelContext context = new DefaultCamelContext()) {
            ConverterSearches searches = ConverterSearches.count(context, (type, value) -> true);
            context.start();
            Exchange exchange = new DefaultExchange(context);
            exchange.setProperty("file", new StoredFile(Path.of("/s/a.txt"), "a.txt", "a.txt", 42L, "abc123"));
            exchange.getMessage().setBody(List.of("chunk 1", "chunk 2"));
            PropertySqlParameters tuned = new PropertySqlParameters(',');

            assertThat(values(tuned, query, exchange)).containsExactly("abc123", 42L);
            assertThat(searches.searches()).as("no conversion for a record component").isZero();
            assertThat(values(camelSql, query, exchange)).containsExactly("abc123", 42L);
            assertThat(searches.searches()).as("camel-sql converts the List body").isPositive();

            for (Object other : new Object[] {Map.of("sha256", "from-map", "size", 7), "a string", null}) {
                exchange.setProperty("file", other);
                assertThat(outcome(tuned, query, exchange)).as("file = %s", other).isEqualTo(outcome(camelSql, query, exchange));
            }
        }
    }

    @Test
    void countsWithoutTheDatabase() throws Exception {
        AtomicInteger asked = new AtomicInteger();
        DataSource down = (DataSource) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {DataSource.class},
                (proxy, method, args) -> {
                    if (method.getName().equals("getConnection")) {
                        asked.incrementAndGet();
                        throw new SQLTransientConnectionException("pool - Connection is not available, request timed out");
                    }
                    throw new UnsupportedOperationException(method.getName());
                });
        SqlComponent component = new SqlComponent();
        component.setCamelContext(camel);
        component.setDataSource(down);
        SqlEndpointTuning tuning = new SqlEndpointTuning();
        for (int i = 1; i <= 3; i++) {
            SqlEndpoint endpoint = (SqlEndpoint) component.createEndpoint(
                    "sql:SELECT :#${exchangeProperty.p" + i + "}" + ", :#${exchangeProperty.q}".repeat(i - 1));
            tuning.onEndpointAdd(endpoint);
            assertThat(endpoint.getParametersCount()).isEqualTo(i);
            assertThat(endpoint.getPrepareStatementStrategy()).isInstanceOf(PropertySqlParameters.class);
        }
        // in-lists vary per call: left to camel-sql
        SqlEndpoint inList = (SqlEndpoint) component.createEndpoint("sql:SELECT 1 WHERE id IN (:#in:${exchangeProperty.ids})");
        tuning.onEndpointAdd(inList);
        assertThat(inList.getParametersCount()).isZero();
        assertThat(asked).hasValue(0);
    }

    /** The driver's parameter count of a statement on the hub's database, or null when it cannot be prepared. */
    private Integer driverParameterCount(String jdbcSql) {
        try {
            return jdbc.execute((java.sql.Connection c) -> {
                try (var statement = c.prepareStatement(jdbcSql)) {
                    return statement.getParameterMetaData().getParameterCount();
                }
            });
        } catch (org.springframework.dao.DataAccessException e) {
            return null; // e.g. the pgvector search where the extension is missing
        }
    }

    private List<SqlEndpoint> sqlEndpoints() {
        return camel.getEndpoints().stream().filter(SqlEndpoint.class::isInstance).map(SqlEndpoint.class::cast).toList();
    }

    private String query(SqlEndpoint sql) throws Exception {
        return SqlHelper.resolveQuery(camel, sql.getQuery(), sql.isUsePlaceholder() ? sql.getPlaceholder() : null);
    }

    /** The values, or the failure's class and message (an OGNL call on a test value fails in both the same way). */
    private static Object outcome(DefaultSqlPrepareStatementStrategy strategy, String query, Exchange exchange) {
        try {
            return values(strategy, query, exchange);
        } catch (Exception e) {
            return e.getClass().getName() + ": " + e.getMessage().replaceAll("Exchange\\[[^]]*]", "");
        }
    }

    private static List<Object> values(DefaultSqlPrepareStatementStrategy strategy, String query, Exchange exchange) throws Exception {
        Object body = exchange.getMessage().getBody();
        Iterator<?> it = strategy.createPopulateIterator(query, strategy.prepareQuery(query, true, exchange), 0, exchange, body);
        List<Object> values = new ArrayList<>();
        while (it != null && it.hasNext()) {
            values.add(it.next());
        }
        return values;
    }

    /** A record holding a record, for a parameter two components deep. */
    public record Outer(StoredFile file) {
    }
}

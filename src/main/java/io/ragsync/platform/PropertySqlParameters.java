package io.ragsync.platform;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.RecordComponent;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.camel.Exchange;
import org.apache.camel.RuntimeExchangeException;
import org.apache.camel.component.sql.DefaultSqlPrepareStatementStrategy;
import org.apache.camel.component.sql.SqlHelper;

/**
 * camel-sql's statement strategy with two costs taken out of the per-call path; what the statements receive is
 * unchanged.
 * <ul>
 * <li>A named parameter {@code :#${exchangeProperty.name}} or {@code :#${variable.name}} (the forms the SQL files
 * use) is read straight from the exchange property or variable, and {@code :#${exchangeProperty.name.component}}
 * (or {@code name.component.component}) straight from the records it holds (e.g. {@code file.sha256} of a
 * {@code StoredFile}, {@code job.id} of a {@code Job}, {@code doc.file.size}; any other value, or none, is left to
 * camel-sql). camel-sql evaluates every {@code ${...}} parameter as a Simple expression on a fresh copy of the whole exchange, after trying
 * twice to convert the body to a Map (a search of every type converter when the body is a List or a String): a
 * tenth of the hub's CPU in a bulk sync.</li>
 * <li>A configuration value {@code :#${properties:key}} is resolved once per endpoint, as the {@code {{key}}}
 * placeholders of a route are (a route reload creates new endpoints, which resolve again); Spring's property
 * lookup on every call cost as much as the rest of the statement's parameters.</li>
 * <li>Every other parameter form (plain names, other OGNL, {@code $simple{...}}, a property with a default) still
 * goes through camel-sql's own lookup, in the same order, with the same error when a key is missing.</li>
 * <li>The JDBC text of a statement (named parameters replaced by {@code ?}) is computed once per statement, not
 * per call.</li>
 * </ul>
 * Statements with an {@code :#in:} list keep camel-sql's behaviour entirely (their JDBC text depends on the
 * list's size). Installed on every sql endpoint by {@link SqlEndpointTuning}.
 */
public class PropertySqlParameters extends DefaultSqlPrepareStatementStrategy {

    /** camel-sql's own pattern for a named parameter (DefaultSqlPrepareStatementStrategy.NAME_PATTERN). */
    private static final Pattern NAMED_PARAMETER = Pattern.compile(
            "\\:\\?((in\\:(\\w+|\\$\\{[^\\}]+\\}|\\$simple\\{[^\\}]+\\}))|(\\w+|\\$\\{[^\\}]+\\}|\\$simple\\{[^\\}]+\\}))");
    private static final Pattern EXCHANGE_VALUE = Pattern.compile("\\$\\{(exchangeProperty|variable)\\.(\\w+)(?:\\.([\\w.]+))?\\}");
    private static final Pattern CONFIGURATION = Pattern.compile("\\$\\{properties:([\\w.\\-]+)\\}");

    /**
     * One named parameter: an exchange property or variable read directly (or one component of the record it
     * holds), a configuration key resolved once, or (all null) a key left to camel-sql's lookup.
     */
    record Parameter(String key, boolean variable, String property, String component, String configuration) {

        Object value(Exchange exchange) {
            return variable ? exchange.getVariable(property) : exchange.getProperty(property);
        }
    }

    /** A record component a parameter cannot be read from directly (camel-sql reads it). */
    private static final Object NOT_DIRECT = new Object();

    private final Map<Class<?>, Map<String, Optional<Method>>> accessors = new ConcurrentHashMap<>();

    private final Map<String, Optional<List<Parameter>>> parameters = new ConcurrentHashMap<>();
    private final Map<String, String> configuration = new ConcurrentHashMap<>();
    private final Map<String, String> jdbcText = new ConcurrentHashMap<>();

    public PropertySqlParameters(char separator) {
        super(separator);
    }

    @Override
    public String prepareQuery(String query, boolean allowNamedParameters, Exchange exchange) throws SQLException {
        if (query.contains(":?in:")) {
            return super.prepareQuery(query, allowNamedParameters, exchange);
        }
        String key = (allowNamedParameters ? "N" : "P") + query;
        String prepared = jdbcText.get(key);
        if (prepared == null) {
            prepared = super.prepareQuery(query, allowNamedParameters, exchange);
            jdbcText.put(key, prepared);
        }
        return prepared;
    }

    @Override
    public Iterator<?> createPopulateIterator(String query, String preparedQuery, int expectedParams, Exchange exchange,
            Object value) throws SQLException {
        List<Parameter> named = parameters.computeIfAbsent(query,
                q -> hasNamedParameters(q) ? parse(q) : Optional.empty()).orElse(null);
        if (named == null) {
            return super.createPopulateIterator(query, preparedQuery, expectedParams, exchange, value);
        }
        List<Object> values = new ArrayList<>(named.size());
        Object direct;
        for (Parameter p : named) {
            if (p.property() != null && p.component() == null) {
                values.add(p.value(exchange));
            } else if (p.component() != null && (direct = path(p.value(exchange), p.component())) != NOT_DIRECT) {
                values.add(direct);
            } else if (p.configuration() != null) {
                values.add(configuration(p, exchange, value));
            } else if (SqlHelper.hasParameter(p.key(), exchange, value)) {
                values.add(SqlHelper.lookupParameter(p.key(), exchange, value));
            } else {
                throw new RuntimeExchangeException(String.format("Cannot find key [%s] in message body or headers to use"
                        + " when setting named parameter in query [%s]", p.key(), query), exchange);
            }
        }
        return values.iterator();
    }

    /** The record components {@code path} (e.g. {@code file.size}) names, one after the other, or NOT_DIRECT. */
    private Object path(Object value, String path) {
        Object reached = value;
        for (String name : path.split("\\.")) {
            reached = component(reached, name);
            if (reached == NOT_DIRECT) {
                return NOT_DIRECT;
            }
        }
        return reached;
    }

    /**
     * The record component {@code name} of {@code value} through its accessor (what Camel's OGNL calls for a record),
     * or {@link #NOT_DIRECT} when the value is no record or has no such component.
     */
    private Object component(Object value, String name) {
        if (!(value instanceof Record)) {
            return NOT_DIRECT;
        }
        Optional<Method> accessor = accessors.computeIfAbsent(value.getClass(), c -> new ConcurrentHashMap<>())
                .computeIfAbsent(name, n -> Arrays.stream(value.getClass().getRecordComponents())
                        .filter(rc -> rc.getName().equals(n)).map(RecordComponent::getAccessor)
                        .filter(m -> Modifier.isPublic(m.getDeclaringClass().getModifiers())).findFirst());
        if (accessor.isEmpty()) {
            return NOT_DIRECT;
        }
        try {
            return accessor.get().invoke(value);
        } catch (ReflectiveOperationException e) {
            return NOT_DIRECT;
        }
    }

    private Object configuration(Parameter p, Exchange exchange, Object value) {
        String resolved = configuration.get(p.configuration());
        if (resolved == null) {
            // the first call resolves it as camel-sql does (a missing key fails the same way)
            Object looked = SqlHelper.lookupParameter(p.key(), exchange, value);
            if (looked == null) {
                return null;
            }
            resolved = looked.toString();
            configuration.put(p.configuration(), resolved);
        }
        return resolved;
    }

    /**
     * The named parameters of a statement in order, or empty when camel-sql must handle it itself: an
     * {@code in:} list, or a parameter whose braces nest (camel-sql then reads on to the closing bracket).
     */
    static Optional<List<Parameter>> parse(String query) {
        List<Parameter> found = new ArrayList<>();
        Matcher m = NAMED_PARAMETER.matcher(query);
        while (m.find()) {
            String key = m.group(1);
            if (key.startsWith("in:") || key.chars().filter(c -> c == '{').count() != key.chars().filter(c -> c == '}').count()) {
                return Optional.empty();
            }
            Matcher direct = EXCHANGE_VALUE.matcher(key);
            boolean read = direct.matches();
            Matcher config = CONFIGURATION.matcher(key);
            found.add(new Parameter(key, read && "variable".equals(direct.group(1)), read ? direct.group(2) : null,
                    read ? direct.group(3) : null, config.matches() ? config.group(1) : null));
        }
        return Optional.of(List.copyOf(found));
    }
}

package io.ragsync.support;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiPredicate;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.support.TypeConverterSupport;

/**
 * Counts Camel's failed type-converter searches: a fallback converter is asked only once every registered
 * converter failed, so one that answers nothing and counts sees each search that found nothing. Registered on a
 * context it stays there (Camel has no way to remove a fallback converter); {@link #close()} stops the counting.
 */
public final class ConverterSearches extends TypeConverterSupport implements AutoCloseable {

    private final String routeId;
    private final BiPredicate<Class<?>, Object> which;
    private final AtomicInteger count = new AtomicInteger();
    private volatile boolean counting = true;

    private ConverterSearches(String routeId, BiPredicate<Class<?>, Object> which) {
        this.routeId = routeId;
        this.which = which;
    }

    /** Counts, from now on, the failed searches of {@code camel} for a target type and value {@code which} accepts. */
    public static ConverterSearches count(CamelContext camel, BiPredicate<Class<?>, Object> which) {
        return count(camel, null, which);
    }

    /** The same for the exchanges of one route only (null: any), so that other routes' timers do not count. */
    public static ConverterSearches count(CamelContext camel, String routeId, BiPredicate<Class<?>, Object> which) {
        ConverterSearches searches = new ConverterSearches(routeId, which);
        camel.getTypeConverterRegistry().addFallbackTypeConverter(searches, false);
        return searches;
    }

    public int searches() {
        return count.get();
    }

    @Override
    public <T> T convertTo(Class<T> type, Exchange exchange, Object value) {
        boolean ofTheRoute = routeId == null || exchange != null && routeId.equals(exchange.getFromRouteId());
        if (counting && ofTheRoute && which.test(type, value)) {
            count.incrementAndGet();
        }
        return null;
    }

    @Override
    public void close() {
        counting = false;
    }
}

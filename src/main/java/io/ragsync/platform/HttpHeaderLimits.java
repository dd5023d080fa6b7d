package io.ragsync.platform;

import org.apache.camel.component.http.HttpComponent;
import org.apache.hc.client5.http.impl.io.ManagedHttpClientConnectionFactory;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManager;
import org.apache.hc.client5.http.io.HttpClientConnectionManager;
import org.apache.hc.client5.http.socket.ConnectionSocketFactory;
import org.apache.hc.core5.http.config.Http1Config;
import org.apache.hc.core5.http.config.Registry;
import org.apache.hc.core5.http.io.SocketConfig;
import org.apache.hc.core5.pool.PoolConcurrencyPolicy;
import org.apache.hc.core5.util.TimeValue;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Bounds on the head of every HTTP answer the hub reads from outside: HttpClient reads status and header lines
 * into memory, without end unless told, before any body limit ({@link LimitedEntity}) applies. A longer line or
 * more lines fail the call with HttpCore's MessageConstraintException (an IOException).
 * The camel-http components {@code http} and {@code https} (RAGFlow, LightRAG, REST sources) are built with them.
 */
@Configuration(proxyBeanMethods = false)
public class HttpHeaderLimits {

    /** The longest status or header line read, in bytes. */
    public static final int MAX_LINE_LENGTH = 8 * 1024;
    /** The most header lines one answer may have. */
    public static final int MAX_HEADER_COUNT = 100;

    /** The connections of a connection manager, reading answer heads within the bounds. */
    public static ManagedHttpClientConnectionFactory connectionFactory() {
        return ManagedHttpClientConnectionFactory.builder()
                .http1Config(Http1Config.custom()
                        .setMaxLineLength(MAX_LINE_LENGTH)
                        .setMaxHeaderCount(MAX_HEADER_COUNT)
                        .build())
                .build();
    }

    @Bean("http")
    public HttpComponent httpComponent() {
        return new BoundedHttpComponent();
    }

    @Bean("https")
    public HttpComponent httpsComponent() {
        return new BoundedHttpComponent();
    }

    /** Camel's HTTP component whose per-endpoint connection managers read heads within the bounds. */
    public static class BoundedHttpComponent extends HttpComponent {

        // as Camel's own, with the bounded connection factory where Camel passes none
        @Override
        protected HttpClientConnectionManager createConnectionManager(Registry<ConnectionSocketFactory> registry,
                                                                      int maxTotalConnections, int connectionsPerRoute,
                                                                      SocketConfig defaultSocketConfig) {
            PoolingHttpClientConnectionManager manager = new PoolingHttpClientConnectionManager(registry,
                    PoolConcurrencyPolicy.STRICT, TimeValue.ofMilliseconds(getConnectionTimeToLive()),
                    connectionFactory());
            int maxTotal = maxTotalConnections == 0 ? getMaxTotalConnections() : maxTotalConnections;
            if (maxTotal > 0) {
                manager.setMaxTotal(maxTotal);
            }
            int perRoute = connectionsPerRoute == 0 ? getConnectionsPerRoute() : connectionsPerRoute;
            if (perRoute > 0) {
                manager.setDefaultMaxPerRoute(perRoute);
            }
            manager.setDefaultSocketConfig(defaultSocketConfig);
            return manager;
        }
    }
}

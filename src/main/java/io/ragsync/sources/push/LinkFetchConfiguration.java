package io.ragsync.sources.push;

import java.io.IOException;
import java.io.InputStream;
import org.apache.commons.io.input.ProxyInputStream;
import org.apache.camel.component.http.HttpComponent;
import org.apache.hc.client5.http.config.ConnectionConfig;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManagerBuilder;
import org.apache.hc.core5.http.ClassicHttpResponse;
import org.apache.hc.core5.http.Header;
import org.apache.hc.core5.http.HttpEntity;
import org.apache.hc.core5.http.io.entity.HttpEntityWrapper;
import org.apache.hc.core5.util.Timeout;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The HTTP component of pushed links ({@code linkfetch:}): own timeouts, DNS through {@link LinkFetchGuard} (also
 * after redirects), no cookies; a body over max-bytes or past total-timeout-ms is cut off, not read into memory.
 */
@Configuration(proxyBeanMethods = false)
public class LinkFetchConfiguration {

    @Bean("linkfetch")
    public HttpComponent linkFetchComponent(LinkFetchGuard guard,
                                            @Value("${app.push.link-fetch.connect-timeout-ms}") long connectTimeoutMs,
                                            @Value("${app.push.link-fetch.read-timeout-ms}") long readTimeoutMs,
                                            @Value("${app.push.link-fetch.total-timeout-ms}") long totalTimeoutMs,
                                            @Value("${app.push.link-fetch.max-bytes}") long maxBytes) {
        HttpComponent component = new HttpComponent();
        component.setClientConnectionManager(PoolingHttpClientConnectionManagerBuilder.create()
                .setDnsResolver(guard)
                .setDefaultConnectionConfig(ConnectionConfig.custom()
                        .setConnectTimeout(Timeout.ofMilliseconds(connectTimeoutMs))
                        .setSocketTimeout(Timeout.ofMilliseconds(readTimeoutMs))
                        .build())
                .setMaxConnTotal(20)
                .setMaxConnPerRoute(4)
                .build());
        component.setConnectTimeout(connectTimeoutMs);
        component.setSoTimeout(readTimeoutMs);
        component.setResponseTimeout(readTimeoutMs);
        component.setConnectionRequestTimeout(connectTimeoutMs);
        component.setFollowRedirects(true);
        component.setCookieManagementDisabled(true);
        component.setHttpClientConfigurer(builder -> builder.addResponseInterceptorLast((response, details, context) -> {
            Header length = response.getFirstHeader("Content-Length");
            if (length != null) {
                try {
                    if (Long.parseLong(length.getValue().strip()) > maxBytes) {
                        throw new LinkTooLargeException("the page is " + length.getValue() + " bytes, over the limit of "
                                + maxBytes + " bytes (app.push.link-fetch.max-bytes)");
                    }
                } catch (NumberFormatException ignored) {
                    // a broken Content-Length is left to the limited stream below
                }
            }
            if (response instanceof ClassicHttpResponse classic && classic.getEntity() != null) {
                classic.setEntity(new LimitedEntity(classic.getEntity(), maxBytes, totalTimeoutMs));
            }
        }));
        return component;
    }

    /** A fetched page over the size limit or the total time limit. */
    public static class LinkTooLargeException extends IOException {
        public LinkTooLargeException(String message) {
            super(message);
        }
    }

    /** An entity whose stream fails once more than maxBytes were read or the deadline has passed. */
    static final class LimitedEntity extends HttpEntityWrapper {
        private final long maxBytes;
        private final long deadline;

        LimitedEntity(HttpEntity entity, long maxBytes, long totalTimeoutMs) {
            super(entity);
            this.maxBytes = maxBytes;
            this.deadline = System.currentTimeMillis() + totalTimeoutMs;
        }

        @Override
        public InputStream getContent() throws IOException {
            return new LimitedStream(super.getContent(), maxBytes, deadline);
        }

        @Override
        public boolean isStreaming() {
            return true;
        }

        @Override
        public boolean isRepeatable() {
            return false;
        }

        @Override
        public void writeTo(java.io.OutputStream out) throws IOException {
            try (InputStream in = getContent()) {
                in.transferTo(out);
            }
        }
    }

    /** Counts in commons-io's hook after each read. */
    static final class LimitedStream extends ProxyInputStream {
        private final long maxBytes;
        private final long deadline;
        private long count;

        LimitedStream(InputStream in, long maxBytes, long deadline) {
            super(in);
            this.maxBytes = maxBytes;
            this.deadline = deadline;
        }

        @Override
        protected void afterRead(int n) throws IOException {
            if (n <= 0) {
                return;
            }
            count += n;
            if (count > maxBytes) {
                throw new LinkTooLargeException("the page is over the limit of " + maxBytes
                        + " bytes (app.push.link-fetch.max-bytes)");
            }
            if (System.currentTimeMillis() > deadline) {
                throw new LinkTooLargeException("the page took longer than the total fetch time limit"
                        + " (app.push.link-fetch.total-timeout-ms)");
            }
        }
    }
}

package io.ragsync.sources.push;

import java.io.IOException;
import java.io.InputStream;
import org.apache.commons.io.input.BoundedInputStream;
import org.apache.commons.lang3.math.NumberUtils;
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
            // a broken Content-Length is left to the limited stream below
            if (length != null && NumberUtils.toLong(length.getValue().strip(), Long.MIN_VALUE) > maxBytes) {
                throw new LinkTooLargeException("the page is " + length.getValue() + " bytes, over the limit of "
                        + maxBytes + " bytes (app.push.link-fetch.max-bytes)");
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

        /** commons-io counts: the read after byte maxBytes + 1 fails, as does any read past the deadline. */
        @Override
        public InputStream getContent() throws IOException {
            return BoundedInputStream.builder().setInputStream(super.getContent()).setMaxCount(maxBytes + 1)
                    .setOnMaxCount((max, count) -> {
                        throw new LinkTooLargeException("the page is over the limit of " + maxBytes
                                + " bytes (app.push.link-fetch.max-bytes)");
                    })
                    .setAfterRead(n -> {
                        if (n > 0 && System.currentTimeMillis() > deadline) {
                            throw new LinkTooLargeException("the page took longer than the total fetch time limit"
                                    + " (app.push.link-fetch.total-timeout-ms)");
                        }
                    }).get();
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
}

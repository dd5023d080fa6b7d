package io.ragsync.sources.rest;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import org.apache.camel.component.http.HttpClientConfigurer;
import org.apache.hc.client5.http.config.RequestConfig;
import org.apache.hc.client5.http.impl.classic.HttpClientBuilder;
import org.apache.hc.core5.http.ClassicHttpResponse;
import org.apache.hc.core5.http.HttpEntity;
import org.apache.hc.core5.http.io.entity.HttpEntityWrapper;
import org.apache.hc.core5.util.Timeout;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;
import org.springframework.util.unit.DataSize;

/**
 * REST source fetches: no retries (the scheduler, not HttpClient, waits out a 429), no redirects, no cookies, and
 * no page beyond app.rest.max-page-size: the page is read whole into memory, so a larger one fails its batch.
 */
@Component("restHttpClientConfigurer")
public class RestHttpClientConfigurer implements HttpClientConfigurer {

    private final long timeoutMs;
    private final DataSize maxPageSize;

    public RestHttpClientConfigurer(@Value("${app.rest.fetch-timeout-ms:4000}") long timeoutMs,
                                    @Value("${app.rest.max-page-size:16MB}") DataSize maxPageSize) {
        this.timeoutMs = timeoutMs;
        this.maxPageSize = maxPageSize;
    }

    @Override
    public void configureHttpClient(HttpClientBuilder builder) {
        builder.disableAutomaticRetries();
        builder.disableRedirectHandling();
        builder.disableCookieManagement();
        builder.setDefaultRequestConfig(RequestConfig.custom()
                .setResponseTimeout(Timeout.ofMilliseconds(timeoutMs))
                .setConnectionRequestTimeout(Timeout.ofMilliseconds(timeoutMs))
                .setRedirectsEnabled(false)
                .build());
        // first in the chain, so that it bounds the body as read: after a gzip or deflate encoding is undone
        builder.addExecInterceptorFirst("max-page-size", (request, scope, chain) -> {
            ClassicHttpResponse response = chain.proceed(request, scope);
            if (response.getEntity() != null) {
                response.setEntity(new Bounded(response.getEntity(), maxPageSize));
            }
            return response;
        });
    }

    /** The answer's body, failing once it is longer than the limit (HttpClient reads whatever is sent). */
    private static final class Bounded extends HttpEntityWrapper {
        private final DataSize limit;

        Bounded(HttpEntity entity, DataSize limit) {
            super(entity);
            this.limit = limit;
        }

        @Override
        public InputStream getContent() throws IOException {
            if (getContentLength() > limit.toBytes()) {
                throw tooLarge();
            }
            return new FilterInputStream(super.getContent()) {
                private long read;

                @Override
                public int read() throws IOException {
                    int b = super.read();
                    count(b < 0 ? 0 : 1);
                    return b;
                }

                @Override
                public int read(byte[] buffer, int offset, int length) throws IOException {
                    int n = super.read(buffer, offset, length);
                    count(Math.max(n, 0));
                    return n;
                }

                private void count(int n) throws IOException {
                    read += n;
                    if (read > limit.toBytes()) {
                        throw tooLarge();
                    }
                }
            };
        }

        private IOException tooLarge() {
            long bytes = limit.toBytes();
            String size = bytes % (1024 * 1024) == 0 ? limit.toMegabytes() + " MB" : bytes + " bytes";
            return new IOException("the page is larger than " + size + " (app.rest.max-page-size): ask for fewer"
                    + " items per page (defaultPageSize)");
        }
    }
}

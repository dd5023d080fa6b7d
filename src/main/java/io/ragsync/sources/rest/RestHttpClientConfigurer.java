package io.ragsync.sources.rest;

import io.ragsync.platform.LimitedEntity;
import java.io.IOException;
import org.apache.camel.component.http.HttpClientConfigurer;
import org.apache.hc.client5.http.config.RequestConfig;
import org.apache.hc.client5.http.impl.classic.HttpClientBuilder;
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
        LimitedEntity.limitSize(builder, "max-page-size", maxPageSize.toBytes(), size -> new IOException(
                "the page is larger than " + size + " (app.rest.max-page-size): ask for fewer items per page"
                        + " (defaultPageSize)"));
    }
}

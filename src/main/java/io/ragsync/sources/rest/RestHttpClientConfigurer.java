package io.ragsync.sources.rest;

import org.apache.camel.component.http.HttpClientConfigurer;
import org.apache.hc.client5.http.config.RequestConfig;
import org.apache.hc.client5.http.impl.classic.HttpClientBuilder;
import org.apache.hc.core5.util.Timeout;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/** REST source fetches: no retries (the scheduler, not HttpClient, waits out a 429), no redirects, no cookies. */
@Component("restHttpClientConfigurer")
public class RestHttpClientConfigurer implements HttpClientConfigurer {

    private final long timeoutMs;

    public RestHttpClientConfigurer(@Value("${app.rest.fetch-timeout-ms:4000}") long timeoutMs) {
        this.timeoutMs = timeoutMs;
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
    }
}

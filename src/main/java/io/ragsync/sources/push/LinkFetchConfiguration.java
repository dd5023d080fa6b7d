package io.ragsync.sources.push;

import io.ragsync.platform.HttpHeaderLimits;
import io.ragsync.platform.LimitedEntity;
import java.io.IOException;
import java.net.SocketTimeoutException;
import org.apache.commons.lang3.math.NumberUtils;
import org.apache.camel.component.http.HttpComponent;
import org.apache.hc.client5.http.config.ConnectionConfig;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManagerBuilder;
import org.apache.hc.core5.http.Header;
import org.apache.hc.core5.util.Timeout;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The HTTP component of pushed links ({@code linkfetch:}): own timeouts, DNS through {@link LinkFetchGuard} (also
 * after redirects), no cookies, answer heads within {@link HttpHeaderLimits}; a body over max-bytes is cut off, not
 * read into memory; a fetch whose head has not arrived total-timeout-ms after its request was sent is cancelled, and
 * one fails at the first body read ending later.
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
                .setConnectionFactory(HttpHeaderLimits.connectionFactory())
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
        component.setHttpClientConfigurer(builder -> {
            builder.addResponseInterceptorLast((response, details, context) -> {
                Header length = response.getFirstHeader("Content-Length");
                // a broken Content-Length is left to the limited stream below
                if (length != null && NumberUtils.toLong(length.getValue().strip(), Long.MIN_VALUE) > maxBytes) {
                    throw new LinkTooLargeException("the page is " + length.getValue() + " bytes, over the limit"
                            + " of " + maxBytes + " bytes (app.push.link-fetch.max-bytes)");
                }
            });
            LimitedEntity.install(builder, "link-fetch-limits", maxBytes, totalTimeoutMs,
                    () -> new LinkTooLargeException("the page is over the limit of " + maxBytes
                            + " bytes (app.push.link-fetch.max-bytes)"),
                    () -> new SocketTimeoutException("the page took longer than the total fetch time limit of "
                            + totalTimeoutMs + " ms (app.push.link-fetch.total-timeout-ms)"));
        });
        return component;
    }

    /** A fetched page over the size limit. */
    public static class LinkTooLargeException extends IOException {
        public LinkTooLargeException(String message) {
            super(message);
        }
    }
}

package io.ragsync.sources.push;

import java.time.Duration;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.servlet.config.annotation.AsyncSupportConfigurer;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/**
 * The web server's timeout of an asynchronous request (every platform-http route answers asynchronously) outlasts
 * the longest push: its link fetch, then its wait for the job. At the server's default (Tomcat: 30 s, the default
 * sync wait) a push that waited its full time got the server's 503 instead of its 202 with the job id.
 * A larger spring.mvc.async.request-timeout is kept.
 */
@Configuration(proxyBeanMethods = false)
public class PushRequestTimeout implements WebMvcConfigurer {

    /** Room for reading the body, storing the source and answering, beyond the fetch and the wait. */
    static final long MARGIN_MS = 15_000;

    private final long timeoutMs;

    public PushRequestTimeout(@Value("${app.push.sync-timeout-ms}") long syncTimeoutMs,
                              @Value("${app.push.link-fetch.total-timeout-ms}") long linkFetchTotalMs,
                              @Value("${spring.mvc.async.request-timeout:0ms}") Duration configured) {
        this.timeoutMs = Math.max(configured.toMillis(), syncTimeoutMs + linkFetchTotalMs + MARGIN_MS);
    }

    // after Spring Boot's own configurer (order 0), which sets only spring.mvc.async.request-timeout
    @Override
    public void configureAsyncSupport(AsyncSupportConfigurer configurer) {
        configurer.setDefaultTimeout(timeoutMs);
    }
}

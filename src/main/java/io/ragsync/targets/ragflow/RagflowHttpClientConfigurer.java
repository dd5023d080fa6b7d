package io.ragsync.targets.ragflow;

import org.apache.camel.component.http.HttpClientConfigurer;
import org.apache.hc.client5.http.impl.classic.HttpClientBuilder;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * The RAGFlow endpoint's HTTP client: no Accept-Encoding unless app.ragflow.http-compression (compressing small JSON
 * costs CPU on both sides), no cookies (the API key authenticates every request).
 */
@Component("ragflowHttpClientConfigurer")
public class RagflowHttpClientConfigurer implements HttpClientConfigurer {

    private final boolean compression;

    public RagflowHttpClientConfigurer(@Value("${app.ragflow.http-compression:false}") boolean compression) {
        this.compression = compression;
    }

    @Override
    public void configureHttpClient(HttpClientBuilder builder) {
        if (!compression) {
            builder.disableContentCompression();
        }
        builder.disableCookieManagement();
    }
}

package io.ragsync.targets.ragflow;

import org.apache.camel.component.http.HttpClientConfigurer;
import org.apache.hc.client5.http.impl.classic.HttpClientBuilder;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * The HTTP client of the RAGFlow endpoint (routes/targets/ragflow/ragflow-client.camel.yaml), on top of the http
 * component's settings (timeouts, no automatic retries). RAGFlow answers with small JSON envelopes: unless
 * app.ragflow.http-compression is on, the client does not ask for compressed answers (no Accept-Encoding), so
 * neither RAGFlow (or the proxy in front of it) nor the hub spends CPU compressing and inflating every answer.
 * Turn it on when RAGFlow sits behind a slow link, where the reconciliation's page listings are worth compressing.
 * No cookies either: the API key authenticates every request, a session cookie would only be carried along.
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

package io.ragsync.targets.ragflow;

import io.ragsync.platform.LimitedEntity;
import org.apache.camel.component.http.HttpClientConfigurer;
import org.apache.hc.client5.http.impl.classic.HttpClientBuilder;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;
import org.springframework.util.unit.DataSize;

/**
 * The RAGFlow endpoint's HTTP client: no Accept-Encoding unless app.ragflow.http-compression (compressing small JSON
 * costs CPU on both sides), no cookies (the API key authenticates every request), no answer beyond
 * app.targets.max-answer-size.
 */
@Component("ragflowHttpClientConfigurer")
public class RagflowHttpClientConfigurer implements HttpClientConfigurer {

    private final boolean compression;
    private final DataSize maxAnswerSize;

    public RagflowHttpClientConfigurer(@Value("${app.ragflow.http-compression:false}") boolean compression,
                                       @Value("${app.targets.max-answer-size:16MB}") DataSize maxAnswerSize) {
        this.compression = compression;
        this.maxAnswerSize = maxAnswerSize;
    }

    @Override
    public void configureHttpClient(HttpClientBuilder builder) {
        if (!compression) {
            builder.disableContentCompression();
        }
        builder.disableCookieManagement();
        LimitedEntity.limitAnswers(builder, maxAnswerSize);
    }
}

package io.ragsync.targets.lightrag;

import io.ragsync.platform.LimitedEntity;
import org.apache.camel.component.http.HttpClientConfigurer;
import org.apache.hc.client5.http.impl.classic.HttpClientBuilder;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;
import org.springframework.util.unit.DataSize;

/** The LightRAG endpoint's HTTP client: no cookies (the key authenticates), no answer beyond app.targets.max-answer-size. */
@Component("lightragHttpClientConfigurer")
public class LightragHttpClientConfigurer implements HttpClientConfigurer {

    private final DataSize maxAnswerSize;

    public LightragHttpClientConfigurer(@Value("${app.targets.max-answer-size:16MB}") DataSize maxAnswerSize) {
        this.maxAnswerSize = maxAnswerSize;
    }

    @Override
    public void configureHttpClient(HttpClientBuilder builder) {
        builder.disableCookieManagement();
        LimitedEntity.limitAnswers(builder, maxAnswerSize);
    }
}

package io.ragsync.support;

import com.github.tomakehurst.wiremock.extension.ResponseDefinitionTransformerV2;

/**
 * A WireMock stub's behaviour in code (RAGFlow, a paginated REST API, an embeddings API): a response
 * transformer that applies only to the stub mappings that name it.
 */
public abstract class StubBehaviour implements ResponseDefinitionTransformerV2 {

    private final String name;

    protected StubBehaviour(String name) {
        this.name = name;
    }

    @Override
    public String getName() {
        return name;
    }

    @Override
    public boolean applyGlobally() {
        return false;
    }
}

package io.ragsync.sources.rest;

import io.ragsync.platform.api.ApiException;
import java.util.Map;
import java.util.stream.Collectors;

/** A REST source (or its config) that cannot be saved or run: one clear message per offending field. */
public class RestConfigException extends ApiException {

    public RestConfigException(Map<String, String> fieldErrors) {
        super(400, "invalid_source", fieldErrors.keySet().iterator().next(), fieldErrors.entrySet().stream()
                .map(e -> e.getKey() + ": " + e.getValue()).collect(Collectors.joining("; ")), fieldErrors);
    }
}

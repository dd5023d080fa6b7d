package io.ragsync.rest;

import java.util.Map;
import java.util.stream.Collectors;

/** A REST source (or its config) that cannot be saved or run: one clear message per offending field. */
public class RestConfigException extends IllegalArgumentException {

    private final transient Map<String, String> fieldErrors;

    public RestConfigException(Map<String, String> fieldErrors) {
        super(fieldErrors.entrySet().stream().map(e -> e.getKey() + ": " + e.getValue())
                .collect(Collectors.joining("; ")));
        this.fieldErrors = Map.copyOf(fieldErrors);
    }

    public Map<String, String> getFieldErrors() {
        return fieldErrors;
    }
}

package io.ragsync.sources.rest;

import java.util.List;
import java.util.Map;

/** A validated kb_sources.config, built only by {@link RestSourceValidator}; keys in routes/sources/README.md. */
public record RestSourceConfig(
        String baseUrl,
        CursorStyle cursorStyle,
        String cursorParam,
        String pageSizeParam,
        Integer defaultPageSize,
        String itemsPath,
        String nextCursorPath,
        String currentOffsetPath,
        String totalPath,
        String totalHeader,
        String totalPagesPath,
        int firstPage,
        Map<String, String> headersTemplate,
        boolean requiresAuth,
        String provider,
        List<String> textFields,
        String titleField,
        String idField,
        List<String> allowedRolesOverride,
        boolean ifNoneMatchHeader,
        boolean ifModifiedSinceHeader) {

    public static final String API_KEY_PLACEHOLDER = "{{API_KEY}}";

    public boolean usesApiKey() {
        return headersTemplate.values().stream().anyMatch(v -> v.contains(API_KEY_PLACEHOLDER));
    }
}

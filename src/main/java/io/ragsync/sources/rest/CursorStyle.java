package io.ragsync.sources.rest;

import java.util.Locale;

/** How a REST API tells the next page: a cursor in the body, an offset with a total, a page number, a Link header. */
public enum CursorStyle {
    CURSOR, OFFSET, PAGE, LINK;

    public static CursorStyle parse(String value) {
        return value == null ? null : switch (value.trim().toLowerCase(Locale.ROOT)) {
            case "cursor" -> CURSOR;
            case "offset" -> OFFSET;
            case "page" -> PAGE;
            case "link" -> LINK;
            default -> null;
        };
    }

    public String json() {
        return name().toLowerCase(Locale.ROOT);
    }
}

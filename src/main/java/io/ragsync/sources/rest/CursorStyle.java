package io.ragsync.sources.rest;

import org.apache.commons.lang3.EnumUtils;

/** How a REST API tells the next page: a cursor in the body, an offset with a total, a page number, a Link header. */
public enum CursorStyle {
    CURSOR, OFFSET, PAGE, LINK;

    public static CursorStyle parse(String value) {
        return value == null ? null : EnumUtils.getEnumIgnoreCase(CursorStyle.class, value.trim());
    }
}

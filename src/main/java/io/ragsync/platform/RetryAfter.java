package io.ragsync.platform;

import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.OptionalLong;

/** The one Retry-After reader (seconds or HTTP date): neither Spring's HttpHeaders nor camel-http reads both forms. */
public final class RetryAfter {

    private RetryAfter() {
    }

    /** Seconds to wait (never negative), or empty when the header is absent or unreadable. */
    public static OptionalLong seconds(String header) {
        String value = header == null ? "" : header.strip();
        if (value.isEmpty()) {
            return OptionalLong.empty();
        }
        try {
            return OptionalLong.of(Math.max(0, Long.parseLong(value)));
        } catch (NumberFormatException notSeconds) {
            try {
                ZonedDateTime at = ZonedDateTime.parse(value, DateTimeFormatter.RFC_1123_DATE_TIME);
                return OptionalLong.of(Math.max(0, Duration.between(ZonedDateTime.now(at.getZone()), at).getSeconds()));
            } catch (DateTimeParseException notDate) {
                return OptionalLong.empty();
            }
        }
    }
}

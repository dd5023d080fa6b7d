package io.ragsync.platform;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import org.junit.jupiter.api.Test;

/** The one Retry-After reader: delta-seconds, an HTTP date, and nothing for what is absent or unreadable. */
class RetryAfterTest {

    @Test
    void readsSecondsAndDates() {
        assertThat(RetryAfter.seconds(" 120 ")).hasValue(120);
        assertThat(RetryAfter.seconds("-5")).hasValue(0);
        String inAMinute = ZonedDateTime.now(ZoneOffset.UTC).plusSeconds(65).format(DateTimeFormatter.RFC_1123_DATE_TIME);
        assertThat(RetryAfter.seconds(inAMinute).getAsLong()).isBetween(55L, 65L);
        String past = ZonedDateTime.now(ZoneOffset.UTC).minusHours(1).format(DateTimeFormatter.RFC_1123_DATE_TIME);
        assertThat(RetryAfter.seconds(past)).hasValue(0);
    }

    @Test
    void absentOrUnreadableIsEmpty() {
        assertThat(RetryAfter.seconds(null)).isEmpty();
        assertThat(RetryAfter.seconds("  ")).isEmpty();
        assertThat(RetryAfter.seconds("soon")).isEmpty();
    }
}

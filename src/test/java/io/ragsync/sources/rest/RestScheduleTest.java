package io.ragsync.sources.rest;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class RestScheduleTest {

    private static Map<String, Object> row(long id, String schedule, boolean done, Instant started) {
        Map<String, Object> r = new HashMap<>();
        r.put("source_id", id);
        r.put("schedule", schedule);
        r.put("done", done);
        r.put("run_started_at", started == null ? null : Timestamp.from(started));
        return r;
    }

    @Test
    void runsContinueUntilDoneAndRestartWhenTheCronFires() {
        Instant now = Instant.parse("2026-11-23T13:30:00Z");
        List<Long> due = new RestSchedule(3600).due(List.of(
                row(1, "0 0 3 * * ?", false, now.minusSeconds(60)),           // mid-run: always
                row(2, "0 0 3 * * ?", true, now.minusSeconds(3600)),          // done at 12:30, next 03:00 tomorrow
                row(3, "0 0 * * * ?", true, now.minusSeconds(3600)),          // hourly, fired at 13:00
                row(4, "0 0 * * * ?", true, null)), now);                      // never ran
        assertThat(due).containsExactly(1L, 3L, 4L);
    }

    @Test
    void aFailingSourceBacksOffExponentiallyUpToItsOwnInterval() {
        RestSchedule schedule = new RestSchedule(3600);
        Instant now = Instant.parse("2026-11-23T13:30:00Z");
        // hourly: 1 min, 2, 4, 8, 16, 32, then the hour itself
        assertThat(IntStream.rangeClosed(1, 9).mapToLong(n -> schedule.failureBackoffSeconds("0 0 * * * ?", n, 60, now)).toArray())
                .containsExactly(60L, 120L, 240L, 480L, 960L, 1920L, 3600L, 3600L, 3600L);
        // the next attempts of a source whose batches keep failing, each computed when the previous one failed
        Instant at = now;
        List<Instant> attempts = new java.util.ArrayList<>();
        for (int n = 1; n <= 8; n++) {
            at = at.plusSeconds(schedule.failureBackoffSeconds("0 0 * * * ?", n, 60, at));
            attempts.add(at);
        }
        assertThat(attempts).containsExactly(Instant.parse("2026-11-23T13:31:00Z"), Instant.parse("2026-11-23T13:33:00Z"),
                Instant.parse("2026-11-23T13:37:00Z"), Instant.parse("2026-11-23T13:45:00Z"),
                Instant.parse("2026-11-23T14:01:00Z"), Instant.parse("2026-11-23T14:33:00Z"),
                Instant.parse("2026-11-23T15:33:00Z"), Instant.parse("2026-11-23T16:33:00Z"));
        // daily: the doubling goes on past an hour; every 10 s: never more often than the base
        assertThat(schedule.failureBackoffSeconds("0 0 3 * * ?", 8, 60, now)).isEqualTo(7680);
        assertThat(schedule.failureBackoffSeconds("0 0 3 * * ?", 40, 60, now)).isEqualTo(86400);
        assertThat(schedule.failureBackoffSeconds("0/10 * * * * ?", 5, 60, now)).isEqualTo(60);
        // no schedule (backoffice only): capped at the longest wait
        assertThat(schedule.failureBackoffSeconds(null, 12, 60, now)).isEqualTo(3600);
    }

}

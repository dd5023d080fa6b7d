package io.ragsync.rest;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
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
        List<Long> due = new RestSchedule().due(List.of(
                row(1, "0 0 3 * * ?", false, now.minusSeconds(60)),           // mid-run: always
                row(2, "0 0 3 * * ?", true, now.minusSeconds(3600)),          // done at 12:30, next 03:00 tomorrow
                row(3, "0 0 * * * ?", true, now.minusSeconds(3600)),          // hourly, fired at 13:00
                row(4, "0 0 * * * ?", true, null)), now);                      // never ran
        assertThat(due).containsExactly(1L, 3L, 4L);
    }
}

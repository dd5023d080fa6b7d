package io.ragsync.rest;

import java.text.ParseException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Map;
import org.quartz.CronExpression;
import org.springframework.stereotype.Component;

/**
 * Which scheduled sources run a batch at this tick: a source in the middle of a run (not done) always; a
 * finished one when its schedule (a Quartz cron) has fired since its last run started.
 */
@Component("restSchedule")
public class RestSchedule {

    /** Rows of sql/rest/select-scheduled-rest-sources.sql → the ids of the sources due now. */
    public List<Long> due(List<Map<String, Object>> rows) {
        return due(rows, Instant.now());
    }

    List<Long> due(List<Map<String, Object>> rows, Instant now) {
        List<Long> ids = new ArrayList<>();
        for (Map<String, Object> row : rows) {
            if (isDue((String) row.get("schedule"), Boolean.TRUE.equals(row.get("done")), instant(row.get("run_started_at")), now)) {
                ids.add(((Number) row.get("source_id")).longValue());
            }
        }
        return ids;
    }

    static boolean isDue(String schedule, boolean done, Instant runStartedAt, Instant now) {
        if (!done || runStartedAt == null) {
            return true;
        }
        try {
            Date next = new CronExpression(schedule).getNextValidTimeAfter(Date.from(runStartedAt));
            return next != null && !next.toInstant().isAfter(now);
        } catch (ParseException e) {
            return false; // validated on save; a bad one never runs on schedule
        }
    }

    private static Instant instant(Object value) {
        if (value == null) {
            return null;
        }
        if (value instanceof java.sql.Timestamp ts) {
            return ts.toInstant();
        }
        if (value instanceof OffsetDateTime odt) {
            return odt.toInstant();
        }
        if (value instanceof Date d) {
            return d.toInstant();
        }
        return Instant.parse(value.toString());
    }
}

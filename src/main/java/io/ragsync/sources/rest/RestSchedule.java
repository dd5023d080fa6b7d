package io.ragsync.sources.rest;

import java.text.ParseException;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import io.ragsync.jobs.ProcessClaim;
import org.quartz.CronExpression;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/** Which scheduled sources run a batch at this tick, and how long a failing source waits before its next attempt. */
@Component("restSchedule")
public class RestSchedule {

    /** The longest wait after failures of a source without a schedule (run from the backoffice only). */
    private final long maxBackoffSeconds;
    private final Claim claim;

    /** Who claims a due source: this instance and this process (claim-rest-source.sql, renew-rest-source-leases.sql). */
    public record Claim(String instanceId, String token) {
    }

    @Autowired
    public RestSchedule(@Value("${app.rest.max-retry-after-seconds:3600}") long maxBackoffSeconds,
                        @Value("${app.instance-id}") String instanceId, ProcessClaim process) {
        this.maxBackoffSeconds = maxBackoffSeconds;
        this.claim = new Claim(instanceId, process.token());
    }

    RestSchedule(long maxBackoffSeconds) {
        this.maxBackoffSeconds = maxBackoffSeconds;
        this.claim = new Claim("test", "test-process");
    }

    public Claim claim() {
        return claim;
    }

    /** Rows of sql/sources/rest/select-scheduled-rest-sources.sql → the ids of the sources due now. */
    public List<Long> due(List<Map<String, Object>> rows) {
        return due(rows, Instant.now());
    }

    List<Long> due(List<Map<String, Object>> rows, Instant now) {
        return rows.stream().filter(row -> isDue((String) row.get("schedule"), Boolean.TRUE.equals(row.get("done")),
                        Optional.ofNullable((Date) row.get("run_started_at")).map(Date::toInstant).orElse(null), now))
                .map(row -> ((Number) row.get("source_id")).longValue()).toList();
    }

    /** Mid-run (not done) always; a finished source once its cron has fired since its last run started. */
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

    /** The base doubled at each failure in a row, capped at the source's interval: an hourly source retries hourly. */
    public long failureBackoffSeconds(String schedule, int failuresInARow, long baseSeconds, Instant now) {
        long base = Math.max(1, baseSeconds);
        long cap = Math.max(base, intervalSeconds(schedule, now, maxBackoffSeconds));
        int doublings = Math.min(Math.max(0, failuresInARow - 1), 30);
        return Math.min(cap, base << doublings);
    }

    /** The time between the schedule's next two fires after now (a cron may be irregular: the next gap counts). */
    static long intervalSeconds(String schedule, Instant now, long dflt) {
        if (schedule == null || schedule.isBlank()) {
            return dflt;
        }
        try {
            CronExpression cron = new CronExpression(schedule);
            Date first = cron.getNextValidTimeAfter(Date.from(now));
            Date second = first == null ? null : cron.getNextValidTimeAfter(first);
            return second == null ? dflt : (second.getTime() - first.getTime()) / 1000;
        } catch (ParseException e) {
            return dflt;
        }
    }
}

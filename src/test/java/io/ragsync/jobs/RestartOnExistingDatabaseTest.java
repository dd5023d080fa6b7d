package io.ragsync.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import io.ragsync.support.ChildHub;
import io.ragsync.support.IsolatedHubTest;
import io.ragsync.support.TestPostgres;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

/**
 * A hub restarted on a database whose clustered Quartz triggers are overdue: no trigger may fire before the
 * Camel context runs (a firing then finds no context and logs an ERROR trace), and every overdue one fires once it does.
 */
class RestartOnExistingDatabaseTest {

    private static final String DATABASE = "ragsync_restart";

    @Test
    void overdueTriggersFireOnlyOnceCamelRunsAndLogNoError() throws Exception {
        Map<String, String> props = IsolatedHubTest.isolatedProperties(DATABASE, "restart-1", Map.of());
        JdbcTemplate db = new JdbcTemplate(new DriverManagerDataSource(TestPostgres.jdbcUrl(DATABASE), "postgres", ""));

        try (ChildHub first = ChildHub.start(props).awaitStarted()) {
            Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> triggers(db).size() >= 3);
            first.stop(Duration.ofSeconds(60));
        }
        // every schedule is overdue at the next start, as after a stop longer than its period
        db.update("UPDATE qrtz_triggers SET next_fire_time = (extract(epoch FROM now()) * 1000)::bigint - 10000");
        long restartedAt = db.queryForObject("SELECT (extract(epoch FROM now()) * 1000)::bigint", Long.class);

        try (ChildHub second = ChildHub.start(props).awaitStarted()) {
            // each overdue trigger has fired in the restarted hub (its next time moved on) and its run has ended
            Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> triggers(db).stream()
                    .allMatch(t -> ((Number) t.get("next_fire_time")).longValue() > restartedAt)
                    && db.queryForObject("SELECT count(*) FROM qrtz_fired_triggers WHERE trigger_name <> 'job-maintenance'",
                    Integer.class) == 0);
            List<String> errors = Files.readAllLines(second.log().toPath()).stream()
                    .filter(line -> line.matches("^\\S+\\s+ERROR\\s.*")).toList();
            assertThat(errors).as("ERROR lines of the restarted hub (log %s)", second.log()).isEmpty();
        }
    }

    private static List<Map<String, Object>> triggers(JdbcTemplate db) {
        return db.queryForList("SELECT trigger_name, next_fire_time FROM qrtz_triggers");
    }
}

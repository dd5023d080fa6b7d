package io.ragsync.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import io.ragsync.support.HubTestSupport;
import org.junit.jupiter.api.Test;

/**
 * A claim whose statement fails (a deadlock victim, a dropped connection, a database restarting) gives back the
 * workers it reserved: the queue goes on once the database answers again.
 */
class ClaimFailureTest extends HubTestSupport {

    private static final String CLAIM_ARGUMENTS =
            "(INT, TEXT, TEXT, DOUBLE PRECISION, BOOLEAN, BOOLEAN, BOOLEAN, INT, INT)";

    @Test
    void failedClaimsGiveTheirWorkersBackAndTheQueueGoesOn() {
        double polls = counterTotal("ragsync.jobs.polls");
        double failures = counterTotal("ragsync.jobs.claim.failures");
        // every claim fails until the function is back
        jdbc.execute("ALTER FUNCTION ragsync_job_claim" + CLAIM_ARGUMENTS + " RENAME TO ragsync_job_claim_away");
        try {
            // the synchronous timer begins a poll only once the one before has ended: two polls failed in full
            eventually(() -> counterTotal("ragsync.jobs.polls") >= polls + 3);
        } finally {
            jdbc.execute("ALTER FUNCTION ragsync_job_claim_away" + CLAIM_ARGUMENTS + " RENAME TO ragsync_job_claim");
        }

        assertThat(counterTotal("ragsync.jobs.claim.failures")).isGreaterThanOrEqualTo(failures + 2);
        eventually(() -> slots.busy() == 0);
        long kb = knowledgeBase("After failed claims");
        writeFile("failed-claims/doc.txt", "claimed once the claim works again");
        long doc = document(kb, "Doc", "failed-claims/doc.txt");
        assertThat(awaitJob(doc, "indexed")).containsEntry("retry_count", 0);
    }
}

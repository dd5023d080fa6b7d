package io.ragsync.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import io.ragsync.support.HubTestSupport;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;

/**
 * A claim statement can commit and still fail in the hub (its connection dies before the answer arrives): the
 * database then holds jobs for this process that no worker runs. The heartbeat must not keep them alive; their
 * leases run out and they go back to the queue.
 */
class LostClaimAnswerTest extends HubTestSupport {

    @Autowired
    ProcessClaim processClaim;
    @Value("${app.instance-id}")
    String instance;

    @Test
    void aJobClaimedForThisProcessButHandedToNoWorkerGoesBackToTheQueue() {
        long kb = knowledgeBase("Lost claim answer");
        writeFile("lost-claim/doc.txt", "claimed, but the answer never came");
        long doc;
        gate.pause("test: the job is claimed by hand");
        try {
            doc = document(kb, "Doc", "lost-claim/doc.txt");
            // what the claim committed before its answer was lost: this process's claim, a short lease, no worker
            int claimed = jdbc.update("UPDATE sync_job SET status = 'processing', phase = 'sync', claimed_by = ?,"
                    + " claim_token = ?, started_at = now(), lease_until = now() + interval '1 second'"
                    + " WHERE document_id = ? AND status = 'queued'", instance, processClaim.token(), doc);
            assertThat(claimed).isEqualTo(1);
            eventually(() -> "queued".equals(latestJob(doc).get("status")));
        } finally {
            gate.reopen();
        }
        assertThat(awaitJob(doc, "indexed")).containsEntry("retry_count", 1);
        // this instance never stopped: the note says only what is known, that it no longer renewed the lease
        assertThat(jdbc.queryForList("SELECT l.message FROM sync_job_log l JOIN sync_job j ON j.id = l.job_id"
                + " WHERE j.document_id = ? AND l.event = 'lease_expired'", String.class, doc))
                .singleElement().asString().contains("no longer renewed").doesNotContain("stopped before finishing");
    }
}

package io.ragsync.jobs;

import io.ragsync.targets.ragflow.RagflowGate;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.camel.Exchange;
import org.apache.camel.ExchangeProperty;
import org.apache.camel.Header;
import org.apache.camel.support.SynchronizationAdapter;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * This process's claim token, written beside the instance name on every job and REST source it claims. The
 * instance name survives a restart (a fixed RAGSYNC_INSTANCE_ID, a pod's name), the token does not: the heartbeat
 * renews only the leases of this token, so an earlier process's claims run out or are returned at start. Also the
 * parameters of each claim of jobs (sql/jobs/claim-jobs.sql).
 */
@Component("processClaim")
public class ProcessClaim {

    /** One claim: how many jobs (the workers reserved for them), none while stopping, no RAGFlow job while paused. */
    public record Claim(String token, int limit, boolean claiming, boolean ragflowOpen, boolean queueSingle) {
    }

    private final String token = UUID.randomUUID().toString();
    private final JobSlots slots;
    private final JobPollerControl control;
    private final RagflowGate ragflowGate;
    private final int batchSize;
    private final long slotWaitMs;
    /** Workers the claim under way reserved and claimed() has not yet accounted for. */
    private final AtomicInteger unaccounted = new AtomicInteger();
    /** Gives them back when the poll ends; one per poll, however many claims it loops through, and kept by it. */
    private final SynchronizationAdapter giveBackUnaccounted = new SynchronizationAdapter() {
        @Override
        public void onDone(Exchange poll) {
            slots.releaseUnclaimed(unaccounted.getAndSet(0), 0);
        }

        @Override
        public boolean allowHandover() {
            return false;
        }
    };

    public ProcessClaim(JobSlots slots, JobPollerControl control, RagflowGate ragflowGate,
                        @Value("${app.jobs.batch-size}") int batchSize, @Value("${app.jobs.poll-interval-ms}") long slotWaitMs) {
        this.slots = slots;
        this.control = control;
        this.ragflowGate = ragflowGate;
        this.batchSize = batchSize;
        this.slotWaitMs = slotWaitMs;
    }

    public String token() {
        return token;
    }

    /**
     * The next claim: reserves free workers, waiting up to a poll interval for the first (limit 0: none came). A
     * claim whose statement fails never reaches claimed(): its workers come back when the poll ends.
     */
    public Claim next(@ExchangeProperty("queueConcurrency") String concurrency, Exchange poll)
            throws InterruptedException {
        int limit = slots.reserve(batchSize, slotWaitMs);
        if (limit > 0) {
            unaccounted.set(limit);
            if (!poll.getExchangeExtension().containsOnCompletion(giveBackUnaccounted)) {
                poll.getExchangeExtension().addOnCompletion(giveBackUnaccounted);
            }
        }
        return new Claim(token, limit, control.isClaiming(), ragflowGate.allowsRequests(),
                "single".equals(concurrency));
    }

    /** Gives back the workers reserved for jobs the claim did not find. */
    public void claimed(@ExchangeProperty("claim") Claim claim, @Header("CamelSqlRowCount") int found) {
        unaccounted.set(0);
        slots.releaseUnclaimed(claim.limit(), found);
    }

    /** Whether to claim (again): first thing in a poll, then while a claim finds all the jobs it asked for. */
    public boolean more(@ExchangeProperty("claim") Claim claim, @Header("CamelSqlRowCount") Integer found) {
        return claim == null || claim.limit() > 0 && found != null && found == claim.limit();
    }
}

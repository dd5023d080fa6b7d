package io.ragsync.jobs;

import io.ragsync.targets.ragflow.RagflowGate;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.camel.Body;
import org.apache.camel.Exchange;
import org.apache.camel.ExchangeProperty;
import org.apache.camel.Header;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.core.NestedExceptionUtils;
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

    private static final Logger LOG = LoggerFactory.getLogger(ProcessClaim.class);

    private final String token = UUID.randomUUID().toString();
    private final JobSlots slots;
    private final JobPollerControl control;
    private final RagflowGate ragflowGate;
    private final int batchSize;
    private final long slotWaitMs;

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

    /** The next claim: reserves free workers, waiting up to a poll interval for the first (limit 0: none came). */
    public Claim next(@ExchangeProperty("queueConcurrency") String concurrency) throws InterruptedException {
        return new Claim(token, slots.reserve(batchSize, slotWaitMs), control.isClaiming(),
                ragflowGate.allowsRequests(), "single".equals(concurrency));
    }

    /** Holds the jobs the claim found and gives back the workers reserved for jobs it did not find. */
    public void claimed(@ExchangeProperty("claim") Claim claim, @Body List<Map<String, Object>> jobs) {
        slots.releaseUnclaimed(claim.limit(), jobs.size());
        slots.claimed(jobs);
    }

    /** Gives back every worker reserved for a claim whose statement failed: it claimed nothing. */
    public void claimFailed(@ExchangeProperty("claim") Claim claim, @ExchangeProperty(Exchange.EXCEPTION_CAUGHT) Exception failure) {
        slots.releaseUnclaimed(claim.limit(), 0);
        LOG.warn("poll: the claim failed, its {} worker(s) are free again for the next poll: {}", claim.limit(),
                NestedExceptionUtils.getMostSpecificCause(failure).getMessage());
    }

    /** Whether to claim (again): first thing in a poll, then while a claim finds all the jobs it asked for. */
    public boolean more(@ExchangeProperty("claim") Claim claim, @Header("CamelSqlRowCount") Integer found) {
        return claim == null || claim.limit() > 0 && found != null && found == claim.limit();
    }
}

package io.ragsync.jobs;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.camel.Body;
import org.apache.camel.Exchange;
import org.apache.camel.support.SynchronizationAdapter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * The job workers' free places (routes/jobs/job-poller.camel.yaml). The poller claims only as many jobs as there
 * are free workers, and claims again as soon as one is free, so a slow job (a big upload) never holds back the
 * jobs claimed with it, and an instance never holds more jobs than it runs (another instance would run them).
 * Each claimed job holds one place until it ends ({@code job-run}); the graceful stop waits for all of them. The
 * ids of those jobs are what the lease heartbeat renews: a job the database holds for this process but no worker
 * has (a claim whose answer was lost with its connection) then runs out of lease and goes back to the queue.
 */
@Component("jobSlots")
public class JobSlots {

    private static final Logger LOG = LoggerFactory.getLogger(JobSlots.class);

    private final int workers;
    private final Semaphore free;
    private final Set<Long> held = ConcurrentHashMap.newKeySet();

    public JobSlots(@Value("${app.jobs.parallelism}") int workers) {
        if (workers < 1) {
            throw new IllegalArgumentException("app.jobs.parallelism must be at least 1, was " + workers);
        }
        this.workers = workers;
        this.free = new Semaphore(workers);
    }

    /**
     * Takes between one and {@code max} free places, waiting up to {@code waitMs} for the first; returns how
     * many it took (0: none came free in time, or the instance stops).
     */
    public int reserve(int max, long waitMs) throws InterruptedException {
        if (max < 1 || !free.tryAcquire(waitMs, TimeUnit.MILLISECONDS)) {
            return 0;
        }
        int taken = 1;
        while (taken < max && free.tryAcquire()) {
            taken++;
        }
        return taken;
    }

    /** Gives back the places reserved for a claim that found fewer jobs. */
    public void releaseUnclaimed(int reserved, int claimed) {
        if (reserved > claimed) {
            giveBack(reserved - claimed);
        }
    }

    /** Gives back the place of a job that ended. */
    public void jobEnded() {
        giveBack(1);
    }

    // a place given back twice would let this instance run more jobs than it has workers: such a give-back is
    // dropped and logged, never thrown, so that it cannot stop the poll or the job that meets it
    private void giveBack(int places) {
        int back = Math.min(places, Math.max(0, workers - free.availablePermits()));
        if (back < places) {
            LOG.error("worker places given back twice: {} of {} dropped, so that no more than {} jobs run at once",
                    places - back, places, workers);
        }
        if (back > 0) {
            free.release(back);
        }
    }

    /** Records the jobs a claim found: from now until each ends, their leases are renewed. */
    public void claimed(List<Map<String, Object>> rows) {
        rows.forEach(row -> held.add(jobId(row)));
    }

    /**
     * Gives the job's place back when its exchange ends, however it ends: a stop in a called route skips an
     * enclosing doFinally, not the unit of work's end (and, unlike an onCompletion, nothing is copied).
     */
    public void releaseWhenDone(@Body Map<String, Object> row, Exchange exchange) {
        long jobId = jobId(row);
        exchange.getExchangeExtension().addOnCompletion(new SynchronizationAdapter() {
            @Override
            public void onDone(Exchange ended) {
                held.remove(jobId);
                jobEnded();
            }
        });
    }

    /** The ids of the jobs claimed by this process and not ended, comma-separated (sql/jobs/renew-instance-leases.sql). */
    public String heldJobIds() {
        return held.stream().map(String::valueOf).collect(Collectors.joining(","));
    }

    private static long jobId(Map<String, Object> row) {
        return ((Number) row.get("job_id")).longValue();
    }

    /** Jobs running (or handed to a worker) right now. */
    public int busy() {
        return workers - free.availablePermits();
    }

    /**
     * Waits up to {@code timeoutMs} until no job runs; true if none does. Takes every place while it checks, so
     * call it only once claiming has stopped.
     */
    public boolean awaitIdle(long timeoutMs) throws InterruptedException {
        if (!free.tryAcquire(workers, timeoutMs, TimeUnit.MILLISECONDS)) {
            return false;
        }
        free.release(workers);
        return true;
    }
}

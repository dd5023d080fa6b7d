package io.ragsync.jobs;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.util.concurrent.TimeUnit;
import org.apache.camel.CamelContext;
import org.apache.camel.ProducerTemplate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.ApplicationContext;
import org.springframework.context.ApplicationListener;
import org.springframework.context.event.ContextClosedEvent;
import org.springframework.stereotype.Component;

/**
 * Graceful stop of the job queue (SIGTERM, or any close of the application context). Spring publishes
 * {@link ContextClosedEvent} before it stops Camel, so this runs while routes and the database are still up:
 * claiming stops, the running jobs ({@link JobSlots}) get up to {@code app.jobs.shutdown-grace-seconds} to finish,
 * the job-poller route is stopped, and whatever this instance still holds afterwards goes back to the queue
 * ({@code direct:job-poller-release}). Nothing is left {@code processing} by a clean stop.
 */
@Component("jobPollerControl")
public class JobPollerControl implements ApplicationListener<ContextClosedEvent> {

    static final String POLLER_ROUTE = "job-poller";
    /** Bounds the poller's stop: a poll that claims nothing ends within its wait for a free worker (a poll interval). */
    static final long POLLER_STOP_SECONDS = 10;
    private static final Logger LOG = LoggerFactory.getLogger(JobPollerControl.class);

    private final CamelContext camel;
    private final ApplicationContext applicationContext;
    private final JobSlots slots;
    private final long graceSeconds;
    private volatile boolean claiming = true;

    public JobPollerControl(CamelContext camel, ApplicationContext applicationContext, JobSlots slots,
                            @Value("${app.jobs.shutdown-grace-seconds}") long graceSeconds) {
        this.camel = camel;
        this.applicationContext = applicationContext;
        this.slots = slots;
        this.graceSeconds = graceSeconds;
    }

    /** False once the instance is stopping: the poller claims nothing more. */
    public boolean isClaiming() {
        return claiming;
    }

    @Override
    public void onApplicationEvent(ContextClosedEvent event) {
        if (event.getApplicationContext() == applicationContext) {
            stopGracefully();
        }
    }

    /** Each job worker with its state and top frames: where a job that outlives the grace period is. */
    private static String workers() {
        StringBuilder out = new StringBuilder();
        for (ThreadInfo thread : ManagementFactory.getThreadMXBean().dumpAllThreads(false, false)) {
            // Camel names pool threads "... - <pool>"; one hub runs one Camel context per JVM
            if (thread.getThreadName().endsWith(" - " + JobWorkersConfiguration.POOL)) {
                out.append("\n").append(thread.toString().stripTrailing());
            }
        }
        return out.isEmpty() ? " no thread of the pool is alive" : out.toString();
    }

    /** Stops claiming, waits up to the grace period for in-flight jobs, then releases the rest. */
    public synchronized void stopGracefully() {
        if (!claiming) {
            return;
        }
        claiming = false;
        if (!camel.isStarted()) {
            return;
        }
        LOG.info("Stopping the job queue: no more claims; in-flight jobs get up to {}s to finish", graceSeconds);
        try {
            boolean idle = slots.awaitIdle(TimeUnit.SECONDS.toMillis(graceSeconds));
            if (!idle) {
                LOG.warn("{} job(s) still running after {}s; they go back to the queue. The job workers:{}", slots.busy(),
                        graceSeconds, workers());
            }
            // only now: the route's wire tap hands claimed jobs to the workers, and a job still waiting for a worker
            // when the route stops is dropped without a trace (its stopped send fails), holding its place to the end.
            // The stop waits for the jobs still running (the wire tap's tasks): past the grace, for a second only.
            if (camel.getRoute(POLLER_ROUTE) != null) {
                camel.getRouteController().stopRoute(POLLER_ROUTE, idle ? POLLER_STOP_SECONDS : 1, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            LOG.warn("Interrupted while waiting for in-flight jobs; releasing them");
        } catch (Exception e) {
            LOG.warn("Stopping the job poller failed ({}); releasing its jobs anyway", e.getMessage());
        }
        try (ProducerTemplate producer = camel.createProducerTemplate()) {
            producer.sendBody("direct:job-poller-release", null);
        } catch (Exception e) {
            LOG.error("Could not return this instance's unfinished jobs to the queue: {} (the lease recovery"
                    + " returns them after app.jobs.lease-seconds)", e.getMessage());
        }
    }
}

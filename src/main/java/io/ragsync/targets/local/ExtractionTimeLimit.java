package io.ragsync.targets.local;

import io.ragsync.jobs.PermanentSyncException;
import io.ragsync.jobs.TargetBusyException;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs each text extraction on a thread of its own and gives up on it after a time limit: Tika runs its parsers
 * in-process without one (only tika-pipes' forked JVMs have it), so a parser looping on a crafted file would hold a
 * job worker for good. A given-up extraction is told so and stops at its next step; one computing on is counted
 * until it ends, and while {@code maxOverdue} of them run no extraction starts (the jobs are deferred). Its thread is
 * not interrupted: POI opens a container it cannot open as a file (an interrupted channel) by reading every part
 * into memory.
 */
final class ExtractionTimeLimit {

    private static final Logger LOG = LoggerFactory.getLogger(ExtractionTimeLimit.class);
    private static final int RUNNING = 0;
    private static final int ENDED = 1;
    private static final int OVERDUE = 2;

    private final ExecutorService threads = Executors.newCachedThreadPool(task -> {
        Thread thread = new Thread(task, "text-extraction");
        thread.setDaemon(true);
        return thread;
    });
    private final AtomicInteger overdue = new AtomicInteger();
    private final Duration timeout;
    private final int maxOverdue;

    ExtractionTimeLimit(Duration timeout, int maxOverdue) {
        this.timeout = timeout;
        this.maxOverdue = maxOverdue;
    }

    /** Given-up extractions whose threads still run. */
    int overdue() {
        return overdue.get();
    }

    /**
     * The extraction's result; a failure as it threw it; given up after the limit as a permanent failure. The
     * extraction is given what says whether it has been given up.
     */
    <T> T run(String fileName, Function<BooleanSupplier, T> extraction) {
        int late = overdue.get();
        if (late >= maxOverdue) {
            // the file is not at fault: the job waits, no attempt counted
            throw new TargetBusyException(late + " text extractions past their time limit still run (app.index."
                    + "extraction.max-overdue is " + maxOverdue + "): no extraction starts until one ends, a restart"
                    + " of the hub ends them", Math.max(1, Math.min(60, timeout.toSeconds())));
        }
        AtomicInteger state = new AtomicInteger(RUNNING);
        AtomicBoolean givenUp = new AtomicBoolean();
        Future<T> future = threads.submit(() -> {
            try {
                return extraction.apply(givenUp::get);
            } finally {
                if (!state.compareAndSet(RUNNING, ENDED)) {
                    overdue.decrementAndGet();
                    LOG.info("the text extraction of {} given up earlier has ended", fileName);
                }
            }
        });
        try {
            return future.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            overdue.incrementAndGet();
            if (!state.compareAndSet(RUNNING, OVERDUE)) {
                overdue.decrementAndGet(); // it ended in between: its result stands
                return result(future);
            }
            givenUp.set(true);
            String limit = limit();
            LOG.warn("text extraction of {} given up after {} (app.index.extraction.timeout); {} given up still run",
                    fileName, limit, overdue.get());
            throw new PermanentSyncException("cannot extract text from " + fileName + ": the parser had not finished"
                    + " after " + limit + " (app.index.extraction.timeout)");
        } catch (InterruptedException e) {
            givenUp.set(true);
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while extracting text from " + fileName, e);
        } catch (ExecutionException e) {
            throw thrown(e);
        }
    }

    private static <T> T result(Future<T> future) {
        try {
            return future.get();
        } catch (ExecutionException e) {
            throw thrown(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** The extraction's own failure, as if it had run on the caller's thread. */
    private static RuntimeException thrown(ExecutionException e) {
        if (e.getCause() instanceof RuntimeException runtime) {
            return runtime;
        }
        if (e.getCause() instanceof Error error) {
            throw error;
        }
        return new IllegalStateException(e.getCause());
    }

    private String limit() {
        return timeout.toMillis() % 1000 == 0 ? timeout.toSeconds() + " s" : timeout.toMillis() + " ms";
    }
}

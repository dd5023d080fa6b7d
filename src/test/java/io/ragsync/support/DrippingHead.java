package io.ragsync.support;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

/** A site too slow to finish its head: header lines written one per period, paced by a timer, until the reader goes. */
public final class DrippingHead {

    private DrippingHead() {
    }

    /**
     * Writes at most {@code lines} header lines, one per {@code period}; throws the write's IOException once the
     * reader has closed the connection, returns when all were written.
     */
    public static void drip(OutputStream out, int lines, Duration period) throws IOException, InterruptedException {
        ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
        CompletableFuture<Void> ended = new CompletableFuture<>();
        AtomicInteger written = new AtomicInteger();
        try {
            timer.scheduleAtFixedRate(() -> {
                try {
                    out.write(("X-Drip-" + written.get() + ": x\r\n").getBytes(StandardCharsets.US_ASCII));
                    out.flush();
                } catch (IOException readerGone) {
                    ended.completeExceptionally(readerGone);
                    throw new UncheckedIOException(readerGone); // ends the schedule
                }
                if (written.incrementAndGet() >= lines) {
                    ended.complete(null);
                    throw new IllegalStateException("all lines written"); // ends the schedule
                }
            }, 0, period.toMillis(), TimeUnit.MILLISECONDS);
            ended.get(period.multipliedBy(lines + 10L).toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw (IOException) e.getCause();
        } catch (TimeoutException e) {
            throw new IllegalStateException("the dripping timer stalled", e);
        } finally {
            timer.shutdownNow();
        }
    }
}

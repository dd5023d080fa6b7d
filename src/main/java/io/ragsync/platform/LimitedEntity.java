package io.ragsync.platform;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import java.util.function.Supplier;
import org.apache.commons.io.FileUtils;
import org.apache.commons.io.input.BoundedInputStream;
import org.apache.hc.client5.http.classic.ExecChain;
import org.apache.hc.client5.http.impl.classic.HttpClientBuilder;
import org.apache.hc.core5.concurrent.Cancellable;
import org.apache.hc.core5.http.ClassicHttpRequest;
import org.apache.hc.core5.http.ClassicHttpResponse;
import org.apache.hc.core5.http.HttpException;
import org.apache.hc.core5.http.HttpEntity;
import org.apache.hc.core5.http.io.entity.HttpEntityWrapper;
import org.springframework.util.unit.DataSize;

/**
 * An HTTP answer's body whose stream fails once more than maxBytes were read, or a read ends past the deadline
 * (counted from sending the request).
 * Installed first in HttpClient's chain ({@link #install}), it counts the bytes as read: after a gzip or deflate
 * encoding is undone, since a few kilobytes of gzip can expand to gigabytes.
 */
public final class LimitedEntity extends HttpEntityWrapper {

    private final long maxBytes;
    private final long deadline;
    private final Supplier<IOException> tooLarge;
    private final Supplier<IOException> tooSlow;
    private final Runnable dropConnection;

    private LimitedEntity(HttpEntity entity, long maxBytes, long deadline, Supplier<IOException> tooLarge,
                          Supplier<IOException> tooSlow, Runnable dropConnection) {
        super(entity);
        this.maxBytes = maxBytes;
        this.deadline = deadline;
        this.tooLarge = tooLarge;
        this.tooSlow = tooSlow;
        this.dropConnection = dropConnection;
    }

    /**
     * Wraps every answer's body of the client, outermost in its chain: more than maxBytes fails with tooLarge's
     * exception, a call running more than totalMs from sending its request with tooSlow's. Until the answer's head has
     * arrived the request is cancelled at that deadline (HttpClient's socket timeout bounds one read, not a head
     * dripped line by line); then each read of the body is checked against it. A tripped limit drops the connection:
     * closing the body would otherwise read the rest of it to reuse the connection, for ever if endless.
     */
    public static void install(HttpClientBuilder builder, String name, long maxBytes, long totalMs,
                               Supplier<IOException> tooLarge, Supplier<IOException> tooSlow) {
        builder.addExecInterceptorFirst(name, (request, scope, chain) -> {
            long now = System.currentTimeMillis();
            long deadline = now + Math.min(totalMs, Long.MAX_VALUE - now);
            ClassicHttpResponse response = totalMs == Long.MAX_VALUE ? chain.proceed(request, scope)
                    : withinDeadline(request, scope, chain, totalMs, tooSlow);
            if (response.getEntity() != null) {
                response.setEntity(new LimitedEntity(response.getEntity(), maxBytes, deadline, tooLarge, tooSlow,
                        scope.execRuntime::discardEndpoint));
            }
            return response;
        });
    }

    /** The answer's head, or tooSlow's exception once the request was cancelled totalMs after it began. */
    private static ClassicHttpResponse withinDeadline(ClassicHttpRequest request, ExecChain.Scope scope,
                                                      ExecChain chain, long totalMs, Supplier<IOException> tooSlow)
            throws IOException, HttpException {
        AtomicBoolean late = new AtomicBoolean();
        // HttpUriRequestBase.cancel() also stops a connection lease or connect under way, the runtime a read
        Cancellable cancel = scope.originalRequest instanceof Cancellable c ? c : (Cancellable) scope.execRuntime;
        CompletableFuture<Void> alarm = CompletableFuture.runAsync(() -> {
            late.set(true);
            cancel.cancel();
        }, CompletableFuture.delayedExecutor(totalMs, TimeUnit.MILLISECONDS));
        ClassicHttpResponse response;
        try {
            response = chain.proceed(request, scope);
        } catch (IOException e) {
            if (!late.get()) {
                throw e;
            }
            IOException slow = tooSlow.get();
            slow.addSuppressed(e);
            throw slow;
        } finally {
            alarm.cancel(false);
        }
        // the head arrived as the alarm rang: its body is not read
        if (late.get()) {
            scope.execRuntime.discardEndpoint();
            throw tooSlow.get();
        }
        return response;
    }

    /** Fails every answer of the client larger than maxBytes with tooLarge's exception, given the limit in words. */
    public static void limitSize(HttpClientBuilder builder, String name, long maxBytes,
                                 Function<String, IOException> tooLarge) {
        String size = FileUtils.byteCountToDisplaySize(maxBytes);
        install(builder, name, maxBytes, Long.MAX_VALUE, () -> tooLarge.apply(size), null);
    }

    /** A target's answers (RAGFlow, LightRAG) bounded by app.targets.max-answer-size. */
    public static void limitAnswers(HttpClientBuilder builder, DataSize maxAnswerSize) {
        limitSize(builder, "max-answer-size", maxAnswerSize.toBytes(),
                size -> new IOException("the answer is larger than " + size + " (app.targets.max-answer-size)"));
    }

    /** commons-io counts: the read after byte maxBytes + 1 fails, as does any read past the deadline. */
    @Override
    public InputStream getContent() throws IOException {
        return BoundedInputStream.builder().setInputStream(super.getContent()).setMaxCount(maxBytes + 1)
                .setOnMaxCount((max, count) -> {
                    dropConnection.run();
                    throw tooLarge.get();
                })
                .setAfterRead(n -> {
                    if (n > 0 && System.currentTimeMillis() > deadline) {
                        dropConnection.run();
                        throw tooSlow.get();
                    }
                }).get();
    }

    @Override
    public boolean isStreaming() {
        return true;
    }

    @Override
    public boolean isRepeatable() {
        return false;
    }

    // the wrapper's own writeTo would copy the wrapped body unbounded
    @Override
    public void writeTo(OutputStream out) throws IOException {
        try (InputStream in = getContent()) {
            in.transferTo(out);
        }
    }
}

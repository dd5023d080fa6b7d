package io.ragsync.targets.local;

import dev.langchain4j.data.embedding.Embedding;
import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.model.embedding.EmbeddingModel;
import dev.langchain4j.model.embedding.onnx.allminilml6v2.AllMiniLmL6V2EmbeddingModel;
import io.ragsync.jobs.PermanentSyncException;
import io.ragsync.jobs.TargetUnavailableException;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/** all-MiniLM-L6-v2 in-process; its static initializer cannot run twice, so a failed load is kept for every job. */
@Component("localEmbeddingModel")
public class LocalEmbeddingModel {

    public static final String NAME = "all-minilm-l6-v2";
    public static final int DIMENSION = 384;
    /** Measured: loading failed at 320 MB of max heap, and at 336 and 352 MB in one run of two. */
    public static final long REQUIRED_HEAP_MB = 384;

    private static final Logger LOG = LoggerFactory.getLogger(LocalEmbeddingModel.class);

    /** Loaded on first use by the JVM's class initialisation, once: the model, or the failure to load it. */
    private static final class Loaded {
        static final Object MODEL = load();
    }

    private static Object load() {
        try {
            return new AllMiniLmL6V2EmbeddingModel();
        } catch (OutOfMemoryError | LinkageError | RuntimeException e) {
            RuntimeException failure = loadFailed(e, Runtime.getRuntime().maxMemory(), jvmStopping());
            if (failure instanceof PermanentSyncException) {
                LOG.error("{}", failure.getMessage());
            } else {
                LOG.warn("{}", failure.getMessage());
            }
            return failure;
        }
    }

    /** The JVM refuses new shutdown hooks once it stops (the model's runtime registers one while it loads). */
    private static boolean jvmStopping() {
        Thread probe = new Thread(() -> { });
        try {
            Runtime.getRuntime().addShutdownHook(probe);
            Runtime.getRuntime().removeShutdownHook(probe);
            return false;
        } catch (IllegalStateException stopping) {
            return true;
        }
    }

    /**
     * The failure every local job reports once the model could not be loaded: the cause and what to do. A load cut
     * short by the JVM's stop is no fault of the model: the job is retried, and the next start loads it.
     */
    static RuntimeException loadFailed(Throwable failure, long maxHeapBytes, boolean jvmStopping) {
        Throwable cause = failure;
        while (cause.getCause() != null && cause.getCause() != cause) {
            cause = cause.getCause();
        }
        String what = cause.getClass().getSimpleName() + (cause.getMessage() == null ? "" : ": " + cause.getMessage());
        if (jvmStopping) {
            return new TargetUnavailableException("the local embedding model " + NAME + " was not loaded: the hub"
                    + " is stopping (" + what + "); the job runs again after the next start", 0);
        }
        long maxHeapMb = maxHeapBytes / (1024 * 1024);
        String toDo = maxHeapMb < REQUIRED_HEAP_MB
                ? "; max heap " + maxHeapMb + " MB, it needs " + REQUIRED_HEAP_MB + " MB): start the JVM with -Xmx"
                        + REQUIRED_HEAP_MB + "m or more and requeue the failed jobs, or use EMBEDDING_PROVIDER=http"
                : "): fix the cause and restart the hub, then requeue the failed jobs, or use"
                        + " EMBEDDING_PROVIDER=http";
        return new PermanentSyncException("the local embedding model " + NAME + " could not be loaded (" + what
                + toDo);
    }

    /** One vector per text, in order. */
    public List<float[]> embed(List<String> texts) {
        if (texts.isEmpty()) {
            return List.of();
        }
        if (Loaded.MODEL instanceof RuntimeException failure) {
            throw failure;
        }
        return ((EmbeddingModel) Loaded.MODEL).embedAll(texts.stream().map(TextSegment::from).toList()).content()
                .stream().map(Embedding::vector).toList();
    }
}

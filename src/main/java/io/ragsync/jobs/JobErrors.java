package io.ragsync.jobs;

import io.ragsync.targets.ragflow.RagflowBreaker;
import io.ragsync.targets.ragflow.RagflowConfigException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.UndeclaredThrowableException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import org.apache.camel.Exchange;
import org.apache.camel.RuntimeCamelException;
import org.apache.camel.util.ObjectHelper;
import org.springframework.stereotype.Component;

/**
 * The message a job, a document status or a dead letter records for a failure: the message of the failure
 * itself, without the wrappers Camel and reflection put around it ("Failed to invoke method: extract(...) on
 * textExtractor due to: ...", "org.apache.camel.CamelExecutionException: Exception occurred during execution
 * on the exchange ..."). Operators read these texts; route expressions and bean names mean nothing to them.
 */
@Component("jobErrors")
public class JobErrors {

    /** A job's failure as sql/jobs/fail-job.sql and retry-job.sql record it. */
    public record Failure(String outcome, String message, long retryAfterSeconds, String routeId) {
    }

    /** A job deferred by sql/jobs/defer-job.sql: why, and for how many seconds. */
    public record Deferral(String message, long seconds) {
    }

    private final RagflowBreaker ragflowBreaker;

    public JobErrors(RagflowBreaker ragflowBreaker) {
        this.ragflowBreaker = ragflowBreaker;
    }

    /** The wait a target asked for (TargetBusyException), else the breaker's open time; at least a second. */
    public Deferral deferral(Exchange exchange, long breakerOpenSeconds) {
        return deferral(caughtOrPending(exchange), breakerOpenSeconds);
    }

    Deferral deferral(Throwable cause, long breakerOpenSeconds) {
        TargetBusyException wait = ObjectHelper.getException(TargetBusyException.class, cause);
        long seconds = wait != null ? wait.getRetryAfterSeconds() : breakerOpenSeconds;
        return new Deferral(describe(cause), Math.max(1, seconds));
    }

    /** The exchange's failure, or what the route said went wrong (errorMessage) when nothing was thrown. */
    public Failure failure(Exchange exchange) {
        Throwable caught = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        String given = exchange.getProperty("errorMessage", String.class);
        Long retryAfter = exchange.getProperty("retryAfterSeconds", Long.class);
        TargetBusyException wait = ObjectHelper.getException(TargetBusyException.class, caught);
        String outcome = ObjectHelper.getException(DownloadFailedException.class, caught) != null ? "download_failed"
                : ObjectHelper.getException(RagflowConfigException.class, caught) != null ? "config_error" : "failed";
        return new Failure(outcome, given != null ? given : message(exchange),
                retryAfter != null ? retryAfter : wait != null ? wait.getRetryAfterSeconds() : 0,
                exchange.getProperty(Exchange.FAILURE_ROUTE_ID, String.class));
    }

    /** The caught (or pending) failure of the exchange, unwrapped; null when there is none. */
    public String message(Exchange exchange) {
        return describe(caughtOrPending(exchange));
    }

    /** As {@link #message(Throwable)}; a refusal of RAGFlow's open circuit breaker says which failures opened it. */
    String describe(Throwable cause) {
        String refusal = ragflowBreaker.refusalOf(cause);
        return refusal != null ? refusal : message(cause);
    }

    private static Throwable caughtOrPending(Exchange exchange) {
        Throwable caught = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        return caught != null ? caught : exchange.getException();
    }

    /** The message of the first throwable under {@code failure} that is not a wrapper; its class name if it has none. */
    public static String message(Throwable failure) {
        Throwable root = rootCause(failure);
        if (root == null) {
            return null;
        }
        String message = root.getMessage();
        return message == null || message.isBlank() ? root.getClass().getSimpleName() : message.strip();
    }

    /**
     * Skips Camel's and reflection's wrappers, and exceptions that only repeat their cause (constructed from it
     * alone, so their message is the cause's toString()).
     */
    public static Throwable rootCause(Throwable failure) {
        Throwable t = failure;
        int depth = 0;
        while (t != null && t.getCause() != null && t.getCause() != t && depth++ < 20 && isWrapper(t)) {
            t = t.getCause();
        }
        return t;
    }

    private static boolean isWrapper(Throwable t) {
        if (t instanceof RuntimeCamelException || t instanceof InvocationTargetException
                || t instanceof UndeclaredThrowableException || t instanceof CompletionException
                || t instanceof ExecutionException) {
            return true;
        }
        String message = t.getMessage();
        return message == null || message.equals(t.getCause().toString());
    }
}

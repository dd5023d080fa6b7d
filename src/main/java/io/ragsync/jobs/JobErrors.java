package io.ragsync.jobs;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.UndeclaredThrowableException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import org.apache.camel.Exchange;
import org.apache.camel.RuntimeCamelException;
import org.springframework.stereotype.Component;

/**
 * The message a job, a document status or a dead letter records for a failure: the message of the failure
 * itself, without the wrappers Camel and reflection put around it ("Failed to invoke method: extract(...) on
 * textExtractor due to: ...", "org.apache.camel.CamelExecutionException: Exception occurred during execution
 * on the exchange ..."). Operators read these texts; route expressions and bean names mean nothing to them.
 */
@Component("jobErrors")
public class JobErrors {

    /** The caught (or pending) failure of the exchange, unwrapped; null when there is none. */
    public String message(Exchange exchange) {
        Throwable caught = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        return message(caught != null ? caught : exchange.getException());
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

package io.ragsync.platform.api;

import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Positive;
import org.apache.camel.Exchange;
import org.springframework.stereotype.Component;

/** Typed, strictly checked parameters of the JSON API's operator actions; anything else is a 400 naming the field. */
@Component("apiRequests")
public class ApiRequests {

    /** {@code POST /api/jobs/requeue}: which ended jobs run again (null = every requeueable status). */
    public record Requeue(
            @Pattern(regexp = "failed|config_error|download_failed|truncated",
                    message = "must be one of failed, config_error, download_failed, truncated") String status,
            @Positive Long documentId) {
    }

    private static final ApiBodies BODIES = ApiBodies.api();

    /** The reconciliation's dryRun: a dry run unless exactly {@code false} is sent; anything but true/false is 400. */
    public boolean dryRun(Exchange exchange) {
        String value = exchange.getIn().getHeader("dryRun", String.class);
        if (value != null && !value.equals("true") && !value.equals("false")) {
            throw ApiException.badRequest("dryRun", "dryRun must be true or false");
        }
        return !"false".equals(value);
    }

    /** The requeue body; an empty body requeues every requeueable job (the web layer caps its size). */
    public Requeue requeue(Exchange exchange) {
        return BODIES.bind(BODIES.read(exchange, Long.MAX_VALUE), Requeue.class);
    }
}

package io.ragsync.platform.api;

import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Positive;
import java.io.IOException;
import org.apache.camel.Exchange;
import org.springframework.stereotype.Component;

/** Typed, strictly checked parameters of the operator actions of the JSON API; anything else is a 400 naming the field. */
@Component("apiRequests")
public class ApiRequests {

    /** {@code POST /api/jobs/requeue}: which ended jobs run again (null = every requeueable status). */
    public record Requeue(
            @Pattern(regexp = "failed|config_error|download_failed|truncated",
                    message = "must be one of failed, config_error, download_failed, truncated") String status,
            @Positive Long documentId) {
    }

    private static final ApiBodies BODIES = ApiBodies.api();

    private final ObjectMapper mapper;

    public ApiRequests(ObjectMapper mapper) {
        this.mapper = mapper;
    }

    /** The reconciliation's dryRun: a dry run unless exactly {@code false} is sent; anything but true/false is 400. */
    public boolean dryRun(Exchange exchange) {
        String value = exchange.getIn().getHeader("dryRun", String.class);
        if (value != null && !value.equals("true") && !value.equals("false")) {
            throw ApiException.badRequest("dryRun", "dryRun must be true or false");
        }
        return !"false".equals(value);
    }

    /** The requeue body; an empty body requeues every requeueable job. */
    public Requeue requeue(Exchange exchange) throws IOException {
        byte[] body = exchange.getIn().getBody(byte[].class);
        return BODIES.bind(body == null || body.length == 0 ? null : mapper.readTree(body), Requeue.class);
    }
}

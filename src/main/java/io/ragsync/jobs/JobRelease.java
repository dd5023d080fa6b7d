package io.ragsync.jobs;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.camel.Exchange;
import org.springframework.stereotype.Component;

/**
 * The answer to an operator's release of a job whose holder is gone (POST /api/jobs/{id}/release), from the row
 * sql/jobs/release-abandoned-job.sql returns: 200 with the new status, 409 while the holder's lease is live or
 * the job is not running, 404 for an unknown job.
 */
@Component("jobRelease")
public class JobRelease {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** Turns the statement's row (or null) into the HTTP answer: body, status code and content type. */
    public void answer(Exchange exchange) throws JsonProcessingException {
        Object jobId = exchange.getProperty("jobId");
        Map<?, ?> row = exchange.getMessage().getBody(Map.class);
        Map<String, Object> body = new LinkedHashMap<>();
        int status;
        if (row == null) {
            status = 404;
            body.put("error", "not_found");
            body.put("message", "no job " + jobId);
        } else if (row.get("released_to") != null) {
            status = 200;
            body.put("jobId", row.get("job_id"));
            body.put("releasedFrom", row.get("claimed_by"));
            body.put("status", row.get("released_to"));
        } else {
            status = 409;
            body.put("error", "conflict");
            body.put("jobId", row.get("job_id"));
            body.put("status", row.get("status"));
            body.put("claimedBy", row.get("claimed_by"));
            body.put("message", message(row));
        }
        exchange.getMessage().removeHeaders("*");
        exchange.getMessage().setHeader(Exchange.HTTP_RESPONSE_CODE, status);
        exchange.getMessage().setHeader(Exchange.CONTENT_TYPE, "application/json");
        exchange.getMessage().setBody(JSON.writeValueAsString(body));
    }

    private static String message(Map<?, ?> row) {
        if (!"processing".equals(row.get("status"))) {
            return "the job is not running (" + row.get("status") + "): nothing to release";
        }
        if (!"sync".equals(row.get("phase"))) {
            return "RAGFlow is parsing the document: the parse tracker ends the job, nothing to release";
        }
        return "the job's holder " + row.get("claimed_by") + " is alive (its lease is live): not released";
    }
}

package io.ragsync.targets.lightrag;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ragsync.jobs.PermanentSyncException;
import io.ragsync.jobs.TargetBusyException;
import io.ragsync.targets.lightrag.LightragSync.Mapping;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.camel.Body;
import org.apache.camel.Exchange;
import org.apache.camel.ExchangeProperty;
import org.apache.camel.Message;
import org.apache.hc.client5.http.entity.mime.HttpMultipartMode;
import org.apache.hc.client5.http.entity.mime.MultipartEntityBuilder;
import org.apache.hc.core5.http.ContentType;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * LightRAG's document API: each request built in one step, and how its answers are read. The key never leaves this
 * bean but towards LightRAG.
 */
@Component("lightragApi")
public class LightragApi {

    /** An answer to POST /documents/upload: status success | duplicated (then no track id) | partial_success | failure. */
    public record Insert(String status, String message, String trackId) {
    }

    /** One DocStatusResponse: status pending | processing | preprocessed | processed | failed. */
    public record Doc(String id, String status, String errorMsg, Integer chunksCount, String filePath, String trackId) {
    }

    private static final int PAGE_SIZE = 200;
    private final ObjectMapper json = new ObjectMapper();
    private final String apiKey;
    private final long pollSeconds;

    public LightragApi(@Value("${app.lightrag.api-key:}") String apiKey,
                       @Value("${app.lightrag.track-poll-ms}") long pollMs) {
        this.apiKey = apiKey == null || apiKey.isBlank() ? null : apiKey.strip();
        this.pollSeconds = Math.max(1, pollMs / 1000);
    }

    /** POST /documents/upload: the file streamed from disk under the name LightRAG will know it by. */
    public void uploadRequest(Message message, @ExchangeProperty("lightrag") Mapping m) {
        request(message, "POST", "/documents/upload", MultipartEntityBuilder.create()
                .setMode(HttpMultipartMode.LEGACY)
                .addBinaryBody("file", m.file().path().toFile(), ContentType.APPLICATION_OCTET_STREAM, m.uploadName())
                .build(), null);
    }

    /** GET the track's status; the id is LightRAG's own, encoded so it can only name a track. */
    public void trackRequest(Message message, @ExchangeProperty("lightrag") Mapping m) {
        request(message, "GET", "/documents/track_status/" + URLEncoder.encode(m.pendingTrackId(), StandardCharsets.UTF_8),
                "", null);
    }

    /** DELETE /documents/delete_document for the ids in the body (never empty: LightRAG refuses that). */
    public void deleteRequest(Message message, @Body List<String> ids) throws IOException {
        request(message, "DELETE", "/documents/delete_document",
                json.writeValueAsString(Map.of("doc_ids", ids, "delete_file", false)), "application/json");
    }

    /** POST /documents/paginated for the listing's next page (the first without one), oldest first. */
    public void pageRequest(Message message, @ExchangeProperty("listing") LightragListing listing) throws IOException {
        request(message, "POST", "/documents/paginated", json.writeValueAsString(Map.of(
                "page", listing == null ? 1 : listing.nextPage(), "page_size", PAGE_SIZE,
                "sort_field", "created_at", "sort_direction", "asc")), "application/json");
    }

    private static void request(Message message, String method, String path, Object body, String contentType) {
        message.setBody(body);
        message.setHeader(Exchange.HTTP_METHOD, method);
        message.setHeader(Exchange.HTTP_PATH, path);
        message.setHeader(Exchange.CONTENT_TYPE, contentType);
    }

    /** The credential and the answer format; the key is set at call time so it never appears in a route or a dump. */
    public void authorize(Message message) {
        message.setHeader("X-API-Key", apiKey);
        message.setHeader("Accept", "application/json");
    }

    /** Classifies the answer by its HTTP status (a 2xx answer passes) and drops the key and the HTTP headers. */
    public void check(Exchange exchange) {
        Message message = exchange.getMessage();
        int status = message.getHeader(Exchange.HTTP_RESPONSE_CODE, 0, Integer.class);
        message.removeHeader("X-API-Key");
        message.removeHeaders("CamelHttp*");
        if (status >= 200 && status < 300) {
            return;
        }
        String detail = "LightRAG answered HTTP " + status + ": " + detail(message.getBody(String.class));
        if (status == 401 || status == 403) {
            throw new PermanentSyncException(detail + " (check LIGHTRAG_API_KEY)");
        }
        if (status == 408 || status == 429 || status >= 500) {
            throw new LightragUnavailableException(detail);
        }
        throw new PermanentSyncException(detail);
    }

    public Insert insert(@Body String body) throws IOException {
        JsonNode answer = json.readTree(body);
        Insert insert = new Insert(answer.path("status").asText(), answer.path("message").asText(),
                answer.path("track_id").asText(""));
        if (!insert.status().equals("success") && !insert.status().equals("duplicated")) {
            throw new LightragUnavailableException("LightRAG refused the upload (" + insert.status() + "): "
                    + insert.message());
        }
        // a success without its track could never be followed: retried like an answer LightRAG did not give
        if (insert.status().equals("success") && text(answer, "track_id") == null) {
            throw new LightragUnavailableException("LightRAG took the upload but named no track: " + insert.message());
        }
        return insert;
    }

    /** The documents of a track's status answer. */
    public List<Doc> trackDocs(@Body String body, @ExchangeProperty("lightrag") Mapping m) throws IOException {
        return docs(json.readTree(body), "the track of " + m.pendingFileName());
    }

    /** Defers the job: LightRAG has not finished processing its upload. */
    public void stillProcessing(@ExchangeProperty("tracked") Doc doc) {
        throw new TargetBusyException("LightRAG is still processing the upload (" + (doc == null ? "not listed yet"
                : doc.status()) + ")", pollSeconds);
    }

    /** A busy pipeline refuses a deletion: the job is deferred. */
    public String deletionStarted(@Body String body) throws IOException {
        JsonNode answer = json.readTree(body);
        String status = text(answer, "status");
        if (status == null) {
            throw new LightragUnavailableException("LightRAG answered a deletion without its status");
        }
        if (status.equals("busy")) {
            throw new TargetBusyException("LightRAG refused a deletion while busy: " + answer.path("message").asText(),
                    pollSeconds);
        }
        if (!status.equals("deletion_started")) {
            throw new PermanentSyncException("LightRAG refused the deletion (" + status + "): "
                    + answer.path("message").asText());
        }
        return "removed from LightRAG: " + answer.path("doc_id").asText();
    }

    /** Adds one page of POST /documents/paginated to the listing. */
    public void acceptPage(@Body String body, @ExchangeProperty("listing") LightragListing listing) throws IOException {
        JsonNode answer = json.readTree(body);
        listing.add(docs(answer, "page " + listing.nextPage() + " of the document listing"),
                answer.path("pagination").path("has_next").asBoolean(false));
    }

    /**
     * The answer's documents. An entry without its id or status, or with a chunk count that is no count, is LightRAG
     * not answering as its DocStatusResponse says: the job retries, as it would after a 5xx, and nothing is recorded
     * under an id LightRAG never gave.
     */
    private static List<Doc> docs(JsonNode answer, String what) {
        JsonNode documents = answer.path("documents");
        if (!documents.isArray()) {
            throw new LightragUnavailableException("LightRAG's answer for " + what + " lists no documents");
        }
        List<Doc> docs = new ArrayList<>();
        for (JsonNode d : documents) {
            String id = text(d, "id");
            String status = text(d, "status");
            JsonNode chunks = d.path("chunks_count");
            boolean noCount = !chunks.isMissingNode() && !chunks.isNull()
                    && !(chunks.isIntegralNumber() && chunks.canConvertToInt() && chunks.asInt() >= 0);
            String filePath = d.path("file_path").asText("");
            if (id == null || status == null || noCount) {
                throw new LightragUnavailableException("LightRAG's answer for " + what + " lists a document ("
                        + abbreviate(id == null ? "file " + filePath : id) + ") "
                        + (id == null ? "without its id" : status == null ? "without its status"
                        : "with chunks_count " + abbreviate(chunks.toString())));
            }
            docs.add(new Doc(id, status.toLowerCase(),
                    d.path("error_msg").isTextual() ? d.path("error_msg").asText() : null,
                    chunks.isIntegralNumber() ? chunks.asInt() : null, filePath, text(d, "track_id")));
        }
        return docs;
    }

    /** A field LightRAG gives as a string: null when absent, null, blank or of another type. */
    private static String text(JsonNode node, String field) {
        JsonNode value = node.path(field);
        return value.isTextual() && !value.asText().isBlank() ? value.asText() : null;
    }

    private String detail(String body) {
        if (body == null || body.isBlank()) {
            return "(no body)";
        }
        try {
            JsonNode detail = json.readTree(body).path("detail");
            return abbreviate(detail.isMissingNode() ? body : detail.isTextual() ? detail.asText() : detail.toString());
        } catch (IOException e) {
            return abbreviate(body);
        }
    }

    private static String abbreviate(String text) {
        String line = text.strip().replaceAll("\\s+", " ");
        return line.length() > 300 ? line.substring(0, 300) + "..." : line;
    }
}

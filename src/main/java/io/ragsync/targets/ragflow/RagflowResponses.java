package io.ragsync.targets.ragflow;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import io.ragsync.jobs.JobErrors;
import io.ragsync.jobs.PermanentSyncException;
import io.ragsync.jobs.TargetBusyException;
import io.ragsync.platform.RetryAfter;
import io.ragsync.targets.ragflow.RagflowCall.Missing;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.apache.camel.Exchange;
import org.apache.camel.ExchangeProperty;
import org.apache.camel.Variable;
import org.springframework.stereotype.Component;

/** The one reader of RAGFlow's answers: application errors are HTTP 200 with a non-zero code. */
@Component("ragflowResponses")
public class RagflowResponses {

    /** The call being answered, kept by the route ragflow-call for the reader. */
    public static final String CALL_VARIABLE = "ragflowCall";
    private static final Set<Integer> AUTH_CODES = Set.of(109, 401);

    private final ObjectReader envelopeReader;
    private final ObjectReader itemsReader;

    public RagflowResponses(ObjectMapper mapper) {
        this.envelopeReader = mapper.readerFor(Envelope.class);
        this.itemsReader = mapper.readerForListOf(RagflowAnswer.Item.class);
    }

    /** RAGFlow's envelope: {@code message} and {@code data} may be absent. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    record Envelope(Object code, String message, JsonNode data) {
    }

    public RagflowAnswer read(Exchange exchange) {
        RagflowCall call = exchange.getVariable(CALL_VARIABLE, RagflowCall.class);
        return read(status(exchange), exchange.getMessage().getBody(String.class), retryAfter(exchange),
                call == null ? Missing.FAIL : call.missing());
    }

    /** Whether RAGFlow itself is unavailable (HTTP 408/425/429/5xx): inside the breaker, only this counts. */
    public void checkAvailable(Exchange exchange) {
        checkAvailable(status(exchange), retryAfter(exchange));
    }

    static void checkAvailable(int status, String retryAfter) {
        if (status == 408 || status == 425 || status == 429 || status >= 500) {
            if (retryAfter != null && !retryAfter.isBlank()) {
                long wait = RetryAfter.seconds(retryAfter).orElse(0);
                throw new TargetBusyException("RAGFlow answered HTTP " + status + " with Retry-After " + wait + " s",
                        wait);
            }
            throw new RagflowTransientException("RAGFlow answered HTTP " + status);
        }
    }

    RagflowAnswer read(int status, String body, String retryAfter, Missing missing) {
        if (status == 401 || status == 403) {
            throw new RagflowConfigException("RAGFlow rejected the API key (HTTP " + status + ")");
        }
        if (status == 404) {
            throw new RagflowConfigException("RAGFlow answered HTTP 404 for an API path: check app.ragflow.base-url");
        }
        checkAvailable(status, retryAfter);
        if (status < 200 || status >= 300) {
            throw new PermanentSyncException("RAGFlow answered HTTP " + status);
        }
        Envelope envelope = parse(body);
        if (!(envelope.code() instanceof Number number)) {
            throw new RagflowTransientException("RAGFlow answer without a numeric code");
        }
        int code = number.intValue();
        String message = envelope.message() == null ? "" : envelope.message();
        if (code == 0) {
            // up to v0.24 a missing key answers code 0 with data:false
            if (envelope.data() != null && envelope.data().isBoolean() && !envelope.data().booleanValue()
                    && looksLikeAuth(message)) {
                throw new RagflowConfigException("RAGFlow rejected the API key: " + message);
            }
            return new RagflowAnswer(0, message, items(envelope.data()), envelope.data());
        }
        if (AUTH_CODES.contains(code)) {
            throw new RagflowConfigException("RAGFlow rejected the API key (code " + code + "): " + message);
        }
        // 102 is RAGFlow's "not found / not yours": the call says whether that is absent, a retry or a failure;
        // a parse request for a document RAGFlow already parses is as good as a started parse
        if (code == 102 && (missing == Missing.EMPTY
                || missing == Missing.RETRY && message.contains("currently being processed"))) {
            return new RagflowAnswer(code, message, List.of());
        }
        if (code == 102 && missing == Missing.RETRY) {
            throw new RagflowTransientException("RAGFlow refused the request (" + message + "): the retry looks again");
        }
        boolean permanent = switch (code) {
            // code 100 wraps any unhandled server exception; 405/413/ValueError are not going to change
            case 100 -> message.contains("405") || message.contains("413") || message.startsWith("ValueError");
            case 500 -> isPerFileRejection(message);
            case 105, 106 -> false;
            default -> true;
        };
        if (permanent) {
            throw new RagflowApiException(code, message);
        }
        throw new RagflowTransientException("RAGFlow error " + code + ": " + message);
    }

    private Envelope parse(String body) {
        if (body == null || body.isBlank()) {
            throw new RagflowTransientException("RAGFlow answered with an empty body");
        }
        try {
            return envelopeReader.readValue(body);
        } catch (IOException e) {
            throw new RagflowTransientException("RAGFlow answered with something that is not JSON (a proxy page?)");
        }
    }

    /** The datasets or documents of {@code data}: a list, {@code data.docs}, or one object with an id. */
    private List<RagflowAnswer.Item> items(JsonNode data) {
        JsonNode list = data == null ? null : data.isObject() && data.has("docs") ? data.get("docs") : data;
        try {
            if (list != null && list.isArray()) {
                return itemsReader.readValue(list);
            }
            if (list != null && list.isObject() && list.has("id")) {
                return List.of(itemsReader.treeToValue(list, RagflowAnswer.Item.class));
            }
        } catch (IOException e) {
            throw new RagflowTransientException("RAGFlow answered with items of an unexpected shape: "
                    + e.getMessage());
        }
        return List.of();
    }

    /** Earlier attempts' copies of {@code doc}: tagged with its id, or untagged named as it or {@code a(1).txt}, but
     * never one another document owns. */
    public List<String> leftovers(RagflowAnswer listing, RagflowDocument doc, List<Map<String, Object>> mappedRows) {
        Set<String> mapped = column(mappedRows, "ragflow_document_id");
        String name = doc.ragflowDocumentName();
        int dot = name.lastIndexOf('.');
        Pattern ours = Pattern.compile(Pattern.quote(name.substring(0, dot)) + "(\\(\\d+\\))?"
                + Pattern.quote(name.substring(dot)), Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE);
        String externalId = String.valueOf(doc.documentId());
        return listing.items().stream()
                .filter(item -> externalId.equals(String.valueOf(item.externalId()))
                        || item.externalId() == null && ours.matcher(String.valueOf(item.name())).matches())
                .map(RagflowAnswer.Item::id).filter(id -> !mapped.contains(id)).toList();
    }

    /** The first listed dataset no knowledge base is mapped to ({@code mappedRows}), null when there is none. */
    public RagflowAnswer.Item adoptable(RagflowAnswer listing, List<Map<String, Object>> mappedRows) {
        Set<String> mapped = column(mappedRows, "ragflow_dataset_id");
        return listing.items().stream().filter(item -> !mapped.contains(item.id())).findFirst().orElse(null);
    }

    /** The dataset or document a create or upload answer carries. */
    public RagflowAnswer.Item created(RagflowAnswer answer) {
        if (answer.first() == null || answer.first().id() == null) {
            throw new RagflowTransientException("RAGFlow answered without the id of what it created");
        }
        return answer.first();
    }

    /** Property doc as RAGFlow holds it after its upload answered, and uploadedBytes, the bytes it sent. */
    public void uploaded(Exchange exchange, @ExchangeProperty("doc") RagflowDocument doc,
                         @ExchangeProperty("datasetId") String datasetId, @Variable("uploaded") RagflowAnswer answer) {
        exchange.setProperty("doc", doc.uploaded(datasetId, created(answer)));
        exchange.setProperty("uploadedBytes", doc.file().size());
    }

    /**
     * gone (uploaded again), indexed, failed (FAIL/CANCEL or parse_overdue) or parsing, for the claimed row; sets
     * the outcome statements' ragflowRun, chunkCount, progressMessage, and but while parsing outcome and a message.
     */
    public String parseState(RagflowAnswer listed, Map<String, Object> row, long timeoutSeconds, Exchange exchange) {
        RagflowAnswer.Item doc = listed.first();
        String id = String.valueOf(row.get("ragflow_document_id"));
        String run = doc == null ? null : doc.run();
        String progress = doc == null ? "" : doc.lastProgressLine();
        exchange.setProperty("ragflowRun", run);
        exchange.setProperty("chunkCount", doc == null ? null : doc.chunkCount());
        exchange.setProperty("progressMessage", progress);
        boolean refused = "FAIL".equals(run) || "CANCEL".equals(run);
        if (doc == null) {
            exchange.setProperty("errorMessage", "RAGFlow document " + id + " disappeared while parsing ("
                    + listed.message() + "): uploading again");
            return "gone";
        }
        if ("DONE".equals(run)) {
            outcome(exchange, "indexed", "RAGFlow document " + id + " parsed: " + doc.chunkCount() + " chunks");
            return "indexed";
        }
        if (refused || Boolean.TRUE.equals(row.get("parse_overdue"))) {
            exchange.setProperty("outcome", "failed");
            exchange.setProperty("errorMessage", refused ? "RAGFlow could not parse document " + id + " (" + run + "): "
                    + progress : "RAGFlow did not finish parsing document " + id + " within " + timeoutSeconds
                    + " s (run " + run + ": " + progress + ")");
            return "failed";
        }
        return "parsing";
    }

    /** Outcome parsing, which job-succeeded records for the job and the document in one statement. */
    public void parsing(Exchange exchange, @ExchangeProperty("doc") RagflowDocument doc,
                        @ExchangeProperty("datasetId") String datasetId) {
        outcome(exchange, "parsing", "uploaded as RAGFlow document " + doc.ragflowDocumentId() + " ("
                + doc.ragflowDocumentName() + ") in dataset " + datasetId + "; parsing");
    }

    /** A RAGFlow job step's outcome and its message, as the job statements (sql/jobs) read them. */
    public void outcome(Exchange exchange, String outcome, String message) {
        exchange.setProperty("outcome", outcome);
        exchange.setProperty("ragMessage", message);
    }

    private static int status(Exchange exchange) {
        Integer status = exchange.getMessage().getHeader(Exchange.HTTP_RESPONSE_CODE, Integer.class);
        return status == null ? 0 : status;
    }

    private static String retryAfter(Exchange exchange) {
        return exchange.getMessage().getHeader("Retry-After", String.class);
    }

    /** The values of one column of SQL rows, as strings. */
    static Set<String> column(List<Map<String, Object>> rows, String name) {
        return rows.stream().map(row -> String.valueOf(row.get(name))).collect(Collectors.toSet());
    }

    private static boolean looksLikeAuth(String message) {
        String m = message.toLowerCase();
        return m.contains("authorization") || m.contains("api key") || m.contains("authentication");
    }

    private static boolean isPerFileRejection(String message) {
        return message.contains("has not been supported") || message.contains("File name must be")
                || message.contains("No file");
    }
}

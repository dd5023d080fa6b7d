package io.ragsync.sources.push;

import static com.fasterxml.jackson.annotation.JsonInclude.Include.NON_NULL;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonUnwrapped;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.PropertyNamingStrategies.SnakeCaseStrategy;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import io.ragsync.platform.api.ApiBodies;
import io.ragsync.platform.api.ApiException;
import io.ragsync.platform.api.ApiIds;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Positive;
import jakarta.validation.constraints.Size;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.sql.Timestamp;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.TimeoutException;
import org.apache.camel.Body;
import org.apache.camel.Exchange;
import org.apache.camel.ExchangeProperty;
import org.apache.camel.Header;
import org.apache.camel.Message;
import org.apache.camel.Variable;
import org.apache.commons.codec.digest.DigestUtils;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/** Binds the push API's requests to records (Bean Validation) the routes carry as variables, and writes the answers. */
@Component("pushRequests")
public class PushRequests {

    /** Ids become folder names under the storage root: no dot first, no slashes. */
    static final String ID = "[A-Za-z0-9][A-Za-z0-9._:@-]{0,127}";
    static final String ID_RULE = "must be 1-128 letters, digits or . _ : @ - (not starting with a dot or dash)";
    static final Set<String> SOURCE_TYPES = Set.of("document", "link");
    /** Kept as they are; any other name gets ".txt" appended (the pushed content is text). */
    static final Set<String> TEXT_EXTENSIONS = Set.of("txt", "md");
    static final int FILE_STEM_LIMIT = 120;
    private static final ApiBodies BODIES = ApiBodies.push();

    /** POST /api/internal/document/{document_id}/embed; metadata is stored as sent, these fields are checked. */
    record DocumentBody(@NotNull Object chatbotId, @NotBlank String content, @Valid DocumentMetadata metadata) {
    }

    record DocumentMetadata(String filename, String fileType, String uploadedAt, Number fileSize) {
    }

    /** POST /api/internal/link/{link_id}/embed; without content the hub fetches the page. */
    record LinkBody(@NotNull Object chatbotId, @NotBlank @Size(max = 2048) String url, String content,
                    @Valid LinkMetadata metadata) {
    }

    record LinkMetadata(String title, String scrapedAt) {
    }

    /** POST /api/internal/sync/retry: one job, one pushed source, one chatbot or everything. */
    record RetryBody(@Positive Long jobId, Object chatbotId, Object sourceType, Object sourceId,
                     @Pattern(regexp = "error|pending|all", message = "must be 'error', 'pending' or 'all'")
                     String status) {
    }

    /** A validated push request (variable push): what the routes and statements read; waitMs 0 = answer at once. */
    public record Request(String chatbotId, String sourceType, String sourceId, long waitMs, String title,
                          String fileName, String url, String metadataJson, byte[] content, Long contentBytes,
                          String contentSha256) {

        static Request of(String chatbotId, String sourceType, String sourceId, long waitMs) {
            return new Request(chatbotId, sourceType, sourceId, waitMs, null, null, null, null, null, null, null);
        }

        /** The same source with its content: the pushed text, or the text of the fetched link. */
        Request withContent(byte[] data) {
            return new Request(chatbotId, sourceType, sourceId, waitMs, title, fileName, url, metadataJson, data,
                    (long) data.length, DigestUtils.sha256Hex(data));
        }
    }

    /** A validated retry request (variable push of sync/retry): one job, source or chatbot, or all of them. */
    public record Retry(Long jobId, String chatbotId, String sourceType, String sourceId, boolean oneSource,
                        boolean errors, boolean pending) {
    }

    /** The sync outcome an embed, delete or cleanup answer ends with. */
    @JsonNaming(SnakeCaseStrategy.class)
    record Outcome(Object jobId, String syncStatus, @JsonInclude(NON_NULL) Object error,
                   @JsonInclude(NON_NULL) String statusUrl) {
    }

    @JsonNaming(SnakeCaseStrategy.class)
    record EmbedAnswer(String status, @JsonInclude(NON_NULL) Object documentId, @JsonInclude(NON_NULL) Object linkId,
                       Object chatbotId, Object knowledgeBaseId, Object revision,
                       @JsonInclude(NON_NULL) Object embeddingsCount, @JsonInclude(NON_NULL) Object chunksCreated,
                       @JsonUnwrapped Outcome outcome) {
    }

    @JsonNaming(SnakeCaseStrategy.class)
    record DeleteAnswer(String status, Object chatbotId, Object knowledgeBaseId, String sourceType, Object sourceId,
                        Object deletedCount, @JsonUnwrapped Outcome outcome) {
    }

    /** RAGSync keeps no chat sessions: sessions_deleted is always 0. */
    @JsonNaming(SnakeCaseStrategy.class)
    record CleanupAnswer(String status, Object chatbotId, Object knowledgeBaseId, long embeddingsDeleted,
                         int sessionsDeleted, long documentsDeleted, @JsonUnwrapped Outcome outcome) {
    }

    @JsonNaming(SnakeCaseStrategy.class)
    record JobAnswer(Object jobId, Object status, Object jobStatus, Object op,
                     @JsonInclude(NON_NULL) Object supersededBy, Object chatbotId, Object knowledgeBaseId,
                     Object sourceType, Object sourceId, Object target, @JsonInclude(NON_NULL) Object embeddingsCount,
                     @JsonInclude(NON_NULL) Object chunksCreated, Object retryCount, String nextRetryAt, Object error,
                     Object message, String createdAt, String endedAt) {
    }

    record RetryAnswer(String status, int retried, List<?> jobs) {
    }

    private final LinkFetchGuard linkFetchGuard;
    private final long maxContentBytes;
    private final long maxRequestBytes;
    private final long syncTimeoutMs;

    public PushRequests(LinkFetchGuard linkFetchGuard,
                        @Value("${app.push.max-content-bytes}") long maxContentBytes,
                        @Value("${app.push.max-request-bytes}") long maxRequestBytes,
                        @Value("${app.push.sync-timeout-ms}") long syncTimeoutMs) {
        this.linkFetchGuard = linkFetchGuard;
        this.maxContentBytes = maxContentBytes;
        this.maxRequestBytes = maxRequestBytes;
        this.syncTimeoutMs = syncTimeoutMs;
    }

    /** The JSON body as a tree: 413 over app.push.max-request-bytes, 400 when empty, malformed or not an object. */
    private JsonNode jsonBody(Exchange exchange) {
        return BODIES.object(BODIES.read(exchange, maxRequestBytes));
    }

    /** POST /api/internal/document/{document_id}/embed */
    public Request document(Exchange exchange) {
        JsonNode tree = jsonBody(exchange);
        String sourceId = id(exchange.getIn().getHeader("document_id", String.class), "document_id", true);
        DocumentBody body = BODIES.bind(tree, DocumentBody.class);
        Request request = Request.of(chatbotId(body.chatbotId()), "document", sourceId, waitMs(exchange));
        String fileName = body.metadata() == null ? null : body.metadata().filename();
        String title = fileName != null && !fileName.isBlank() ? fileName.strip() : "document " + sourceId;
        return source(request, tree, title, storedFileName(fileName, "document-" + sourceId), null, body.content());
    }

    /** POST /api/internal/link/{link_id}/embed */
    public Request link(Exchange exchange) {
        JsonNode tree = jsonBody(exchange);
        String sourceId = id(exchange.getIn().getHeader("link_id", String.class), "link_id", true);
        LinkBody body = BODIES.bind(tree, LinkBody.class);
        Request request = Request.of(chatbotId(body.chatbotId()), "link", sourceId, waitMs(exchange));
        String url = httpUrl(body.url().strip());
        String title = body.metadata() == null ? null : body.metadata().title();
        boolean titled = title != null && !title.isBlank();
        return source(request, tree, titled ? title.strip() : url,
                storedFileName(titled ? title + ".txt" : null, "link-" + sourceId), url, body.content());
    }

    /** The pushed source as the routes store it; without content (a link) the hub fetches the page. */
    private Request source(Request request, JsonNode tree, String title, String fileName, String url, String content) {
        JsonNode metadata = tree.path("metadata");
        Request source = new Request(request.chatbotId(), request.sourceType(), request.sourceId(), request.waitMs(),
                title.length() > 500 ? title.substring(0, 500) : title, fileName, url,
                // stored as sent, {} without one
                metadata.isMissingNode() || metadata.isNull() ? "{}" : metadata.toString(), null, null, null);
        return content == null || content.isBlank() ? source : source.withContent(content(content));
    }

    /** An absolute http(s) URL with a host; the link fetch guard checks the address it resolves to. */
    private static String httpUrl(String url) {
        String lower = url.toLowerCase(Locale.ROOT);
        if (!lower.startsWith("http://") && !lower.startsWith("https://")) {
            throw ApiException.invalid("url", "url must be an http or https URL");
        }
        try {
            URI uri = new URI(url);
            if (uri.getHost() == null || uri.getHost().isBlank()) {
                throw ApiException.invalid("url", "url has no host");
            }
        } catch (URISyntaxException e) {
            throw ApiException.invalid("url", "url is not a valid URL: " + e.getReason());
        }
        return url;
    }

    /** The pushed link with the text extracted from its page as the content. */
    public Request fetchedContent(@Variable("push") Request push, @Body String text) {
        if (text == null || text.isBlank()) {
            throw new ApiException(422, "link_fetch_failed", "url", "the page at url has no readable text");
        }
        return push.withContent(content(text));
    }

    /** The link could not be fetched (a caught IOException): forbidden address, too large, timeout, refused... */
    public void linkFetchFailure(@ExchangeProperty(Exchange.EXCEPTION_CAUGHT) Throwable cause) {
        for (Throwable t = cause; t != null; t = t.getCause()) {
            if (t instanceof LinkFetchGuard.ForbiddenAddressException) {
                throw new ApiException(422, "forbidden_address", "url", t.getMessage());
            }
            if (t instanceof LinkFetchConfiguration.LinkTooLargeException) {
                throw new ApiException(413, "link_too_large", "url", t.getMessage());
            }
            if (t instanceof SocketTimeoutException || t instanceof TimeoutException
                    || t.getClass().getSimpleName().contains("Timeout")) {
                throw new ApiException(422, "link_fetch_failed", "url", "the link did not answer in time: "
                        + t.getMessage());
            }
        }
        String message = cause == null ? "unknown error" : cause.getClass().getSimpleName() + ": " + cause.getMessage();
        throw new ApiException(422, "link_fetch_failed", "url", "the link could not be fetched: " + message);
    }

    /** The link answered with a status other than 2xx. */
    public void linkFetchStatus(@Header(Exchange.HTTP_RESPONSE_CODE) Object code) {
        throw new ApiException(422, "link_fetch_failed", "url", "the link answered HTTP " + code);
    }

    /** DELETE /api/internal/chatbot/{chatbot_id}/source/{source_type}/{source_id} */
    public Request deleteSource(Exchange exchange) {
        String chatbotId = chatbotFromPath(exchange);
        String sourceType = exchange.getIn().getHeader("source_type", String.class);
        if (sourceType == null || !SOURCE_TYPES.contains(sourceType)) {
            throw ApiException.badRequest("source_type", "source_type must be 'document' or 'link'");
        }
        String sourceId = id(exchange.getIn().getHeader("source_id", String.class), "source_id", true);
        return Request.of(chatbotId, sourceType, sourceId, waitMs(exchange));
    }

    /** DELETE /api/internal/chatbot/{chatbot_id}/cleanup */
    public Request cleanup(Exchange exchange) {
        return Request.of(chatbotFromPath(exchange), null, null, waitMs(exchange));
    }

    /** GET /api/internal/jobs/{id}: the job to report, as the enqueue statements name it (job_id, no deadline). */
    public Map<String, Object> jobId(@Header("id") String id) {
        return Map.of("job_id", ApiIds.parse(id, "id", "the job id"));
    }

    /** POST /api/internal/sync/retry */
    public Retry retry(Exchange exchange) {
        JsonNode tree = BODIES.read(exchange, maxRequestBytes);
        RetryBody body = BODIES.bind(tree == null ? null : BODIES.object(tree), RetryBody.class);
        String chatbotId = body.chatbotId() == null ? null : chatbotId(body.chatbotId());
        Object sourceType = body.sourceType();
        Object sourceId = body.sourceId();
        if ((sourceType == null) != (sourceId == null) || (sourceType != null && chatbotId == null)) {
            throw ApiException.invalid(sourceType == null ? "source_type" : "source_id",
                    "one item is chatbot_id, source_type and source_id together");
        }
        if (sourceType != null && !SOURCE_TYPES.contains(String.valueOf(sourceType))) {
            throw ApiException.badRequest("source_type", "source_type must be 'document' or 'link'");
        }
        String status = body.status() == null ? "all" : body.status();
        return new Retry(body.jobId(), chatbotId, sourceType == null ? null : String.valueOf(sourceType),
                sourceId == null ? null : id(String.valueOf(sourceId), "source_id", false), sourceType != null,
                !"pending".equals(status), !"error".equals(status));
    }

    /** Where the content is stored, relative to the storage root: one folder per source, the file named for RAGFlow. */
    public String filePath(@Variable("push") Request push, @Variable("knowledgeBaseId") Object knowledgeBaseId) {
        return "push/" + knowledgeBaseId + "/" + push.sourceType() + "/" + push.sourceId() + "/" + push.fileName();
    }

    /** 404 when push-delete-source-stored found no knowledge base of the chatbot, or no such source in it. */
    public void sourceDeleted(@Variable("push") Request push, @Variable("knowledgeBaseId") Object knowledgeBaseId,
                              @Variable("deleted") Object deleted) {
        if (knowledgeBaseId == null) {
            throw notFound("chatbot " + push.chatbotId() + " has no sources");
        }
        if (deleted == null) {
            throw notFound(noSuchSource(push.chatbotId(), push.sourceType(), push.sourceId()));
        }
    }

    /** 404 when select-push-source.sql found no such source to retry. */
    public void retrySourceFound(@Variable("push") Retry retry, @Variable("retryDocumentId") Object documentId) {
        if (documentId == null) {
            throw notFound(noSuchSource(retry.chatbotId(), retry.sourceType(), retry.sourceId()));
        }
    }

    private static String noSuchSource(String chatbotId, String sourceType, String sourceId) {
        return "chatbot " + chatbotId + " has no " + sourceType + " " + sourceId;
    }

    /** 404 of the push API: the chatbot, the source or the job is unknown. */
    private static ApiException notFound(String message) {
        return new ApiException(404, "not_found", null, message);
    }

    /** A plain GET of the pushed link, its URL checked by the guard; nothing of the incoming request goes along. */
    public void linkFetch(Exchange exchange) {
        String url = linkFetchGuard.checkUrl(push(exchange).url());
        Message message = exchange.getIn();
        message.getHeaders().clear();
        message.setHeader(Exchange.HTTP_URI, url);
        message.setHeader(Exchange.HTTP_METHOD, "GET");
        message.setHeader("User-Agent", "RAGSync-link-fetch/1.0");
        message.setHeader("Accept", "text/html, application/xhtml+xml, text/plain;q=0.9");
        message.setBody("");
    }

    /** Answer of an embed: 200 success with the chunk counts, 202 pending with the job id, 502 when it failed. */
    public EmbedAnswer embedAnswer(Exchange exchange) {
        Request push = push(exchange);
        Map<?, ?> job = row(exchange, "jobState");
        Object sourceId = idValue(push.sourceId());
        boolean link = "link".equals(push.sourceType());
        Object chunks = chunks(job);
        return new EmbedAnswer(statusWord(job), link ? null : sourceId, link ? sourceId : null,
                idValue(push.chatbotId()), exchange.getVariable("knowledgeBaseId"),
                row(exchange, "stored").get("revision"), chunks, chunks, outcome(exchange, job));
    }

    /** Answer of a source delete: its chunk count, and the state of the downstream delete. */
    public DeleteAnswer deleteAnswer(Exchange exchange) {
        Request push = push(exchange);
        Map<?, ?> job = row(exchange, "jobState");
        return new DeleteAnswer(statusWord(job), idValue(push.chatbotId()), exchange.getVariable("knowledgeBaseId"),
                push.sourceType(), idValue(push.sourceId()), row(exchange, "deleted").get("chunk_count"),
                outcome(exchange, job));
    }

    /** Answer of a cleanup: chunks (embeddings) and documents removed; an unknown chatbot had nothing to await. */
    public CleanupAnswer cleanupAnswer(Exchange exchange) {
        Map<?, ?> job = row(exchange, "jobState");
        Map<?, ?> cleaned = row(exchange, "cleaned");
        if (job.isEmpty()) {
            exchange.getIn().setHeader(Exchange.HTTP_RESPONSE_CODE, 200);
        }
        return new CleanupAnswer(job.isEmpty() ? "success" : statusWord(job), idValue(push(exchange).chatbotId()),
                exchange.getVariable("knowledgeBaseId"), count(cleaned.get("chunks")), 0,
                count(cleaned.get("documents")), job.isEmpty() ? null : outcome(exchange, job));
    }

    /** GET /api/internal/jobs/{id}: the row of select-push-job.sql in the body; none: 404. */
    public JobAnswer jobAnswer(@Body Map<String, Object> job, @Variable("pushJob") Map<?, ?> asked,
                               Exchange exchange) {
        if (job == null) {
            throw notFound("no job " + asked.get("job_id"));
        }
        Object requested = job.get("requested_job_id");
        boolean failed = "error".equals(job.get("state")) || "truncated".equals(job.get("state"));
        Object chunks = "upsert".equals(job.get("op")) ? chunks(job) : null;
        exchange.getIn().setHeader(Exchange.HTTP_RESPONSE_CODE, 200);
        return new JobAnswer(requested, job.get("state"), job.get("job_status"), job.get("op"),
                requested.equals(job.get("job_id")) ? null : job.get("job_id"), idValue((String) job.get("chatbot_id")),
                job.get("knowledge_base_id"), job.get("source_type"), idValue((String) job.get("source_id")),
                job.get("target"), chunks, chunks, job.get("retry_count"), timestamp(job.get("next_retry_at")),
                failed ? job.get("last_error") : null, job.get("rag_message"), timestamp(job.get("created_at")),
                timestamp(job.get("ended_at")));
    }

    /** Answer of a retry: the jobs put back in the queue (or enqueued again). */
    public RetryAnswer retryAnswer(@Variable("retried") List<?> retried, Exchange exchange) {
        List<?> jobs = retried == null ? List.of() : retried;
        exchange.getIn().setHeader(Exchange.HTTP_RESPONSE_CODE, 200);
        return new RetryAnswer("success", jobs.size(), jobs);
    }

    private static String chatbotFromPath(Exchange exchange) {
        return id(exchange.getIn().getHeader("chatbot_id", String.class), "chatbot_id", false);
    }

    /** ?async=true answers at once (0); ?timeout_ms=n waits at most n ms (never more than app.push.sync-timeout-ms). */
    private long waitMs(Exchange exchange) {
        String async = exchange.getIn().getHeader("async", "false", String.class).toLowerCase(Locale.ROOT);
        if (!async.matches("true|false|1|0")) {
            throw ApiException.badRequest("async", "async must be true or false");
        }
        String timeout = exchange.getIn().getHeader("timeout_ms", String.class);
        if (timeout != null && !timeout.matches("\\d{1,9}")) {
            throw ApiException.badRequest("timeout_ms", "timeout_ms must be a number of milliseconds");
        }
        return async.matches("true|1") ? 0 : timeout == null ? syncTimeoutMs
                : Math.min(syncTimeoutMs, Long.parseLong(timeout));
    }

    /** An id; a wrong one in the path is a 400, since the path itself is wrong. */
    private static String id(String value, String field, boolean inPath) {
        if (value == null || !value.matches(ID)) {
            throw inPath ? ApiException.badRequest(field, field + " " + ID_RULE)
                    : ApiException.invalid(field, field + " " + ID_RULE);
        }
        return value;
    }

    /** chatbot_id is a non-negative integer (Odoo ids) or an id string. */
    private static String chatbotId(Object value) {
        if (value instanceof Number n) {
            if (n instanceof Double || n instanceof Float || n instanceof java.math.BigDecimal || n.longValue() < 0) {
                throw ApiException.invalid("chatbot_id", "chatbot_id must be a non-negative integer or an id string");
            }
            return String.valueOf(n.longValue());
        }
        if (!(value instanceof String s)) {
            throw ApiException.invalid("chatbot_id", "chatbot_id must be an integer or a string");
        }
        return id(s, "chatbot_id", false);
    }

    private byte[] content(String content) {
        byte[] data = content.getBytes(StandardCharsets.UTF_8);
        if (data.length > maxContentBytes) {
            throw ApiException.tooLarge("content", "content is " + data.length + " bytes, over the limit of "
                    + maxContentBytes + " bytes (app.push.max-content-bytes)");
        }
        return data;
    }

    /** The stored file's name (RAGFlow shows it); "_" for spaces too, which a multipart upload would percent-encode. */
    static String storedFileName(String requested, String fallbackStem) {
        String name = requested == null ? "" : requested;
        int slash = Math.max(name.lastIndexOf('/'), name.lastIndexOf('\\'));
        // control characters go, any other character but letters, digits and - _ . ( ) becomes _
        name = name.substring(slash + 1).replaceAll("[\\x00-\\x1F\\x7F-\\x9F]", "")
                .replaceAll("[^\\p{L}\\p{Nd}._()-]", "_").replaceAll("^[._]+", "").replaceAll("_{2,}", "_");
        if (name.isEmpty()) {
            name = fallbackStem;
        }
        int dot = name.lastIndexOf('.');
        String extension = dot > 0 ? name.substring(dot + 1).toLowerCase(Locale.ROOT) : "";
        String stem = TEXT_EXTENSIONS.contains(extension) ? name.substring(0, dot) : name;
        String suffix = TEXT_EXTENSIONS.contains(extension) ? name.substring(dot) : ".txt";
        if (stem.codePointCount(0, stem.length()) > FILE_STEM_LIMIT) {
            stem = stem.substring(0, stem.offsetByCodePoints(0, FILE_STEM_LIMIT)).strip();
        }
        return stem + suffix;
    }

    /** Ids are echoed as numbers when they are numbers (Odoo ids are integers), else as strings. */
    static Object idValue(String id) {
        return ApiIds.isId(id) ? Long.valueOf(id) : id;
    }

    private static Request push(Exchange exchange) {
        return exchange.getVariable("push", Request.class);
    }

    /** A row a statement returned into a variable (variableReceive), empty when there is none. */
    private static Map<?, ?> row(Exchange exchange, String variable) {
        return exchange.getVariable(variable) instanceof Map<?, ?> m ? m : Map.of();
    }

    private static long count(Object value) {
        return value == null ? 0L : ((Number) value).longValue();
    }

    /** The chunks an indexed (or truncated) upsert made, reported under both names clients read; else none. */
    private static Object chunks(Map<?, ?> job) {
        boolean made = "synced".equals(job.get("state")) || "truncated".equals(job.get("state"));
        return !made ? null : job.get("chunk_count") == null ? 0 : job.get("chunk_count");
    }

    private static String statusWord(Map<?, ?> job) {
        return switch (String.valueOf(job.get("state"))) {
            case "error" -> "error";
            case "synced" -> "success";
            case "truncated" -> "truncated";
            default -> "pending";
        };
    }

    private static Outcome outcome(Exchange exchange, Map<?, ?> job) {
        String state = String.valueOf(job.get("state"));
        // truncated is stored, but only in part: a retry cannot change that, so no 5xx
        exchange.getIn().setHeader(Exchange.HTTP_RESPONSE_CODE, switch (state) {
            case "error" -> 502;
            case "synced", "truncated" -> 200;
            default -> 202;
        });
        boolean failed = "error".equals(state) || "truncated".equals(state);
        return new Outcome(job.get("requested_job_id"), state, failed ? job.get("last_error") : null,
                failed || "synced".equals(state) ? null : "/api/internal/jobs/" + job.get("requested_job_id"));
    }

    private static String timestamp(Object value) {
        Object instant = value instanceof Timestamp ts ? ts.toInstant()
                : value instanceof OffsetDateTime odt ? odt.toInstant() : value;
        return Objects.toString(instant, null);
    }
}


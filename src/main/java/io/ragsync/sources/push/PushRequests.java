package io.ragsync.sources.push;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ragsync.platform.api.ApiBodies;
import io.ragsync.platform.api.ApiException;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Positive;
import jakarta.validation.constraints.Size;
import java.io.IOException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.sql.Timestamp;
import java.time.OffsetDateTime;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.TimeoutException;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.commons.codec.digest.DigestUtils;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/** Binds the push API's requests to records (Bean Validation), sets the properties the routes read, writes answers. */
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

    private final ObjectMapper mapper;
    private final LinkFetchGuard linkFetchGuard;
    private final long maxContentBytes;
    private final long maxRequestBytes;
    private final long syncTimeoutMs;
    private final String knowledgeBasePrefix;

    public PushRequests(ObjectMapper mapper, LinkFetchGuard linkFetchGuard,
                        @Value("${app.push.max-content-bytes}") long maxContentBytes,
                        @Value("${app.push.max-request-bytes}") long maxRequestBytes,
                        @Value("${app.push.sync-timeout-ms}") long syncTimeoutMs,
                        @Value("${app.push.knowledge-base-prefix}") String knowledgeBasePrefix) {
        this.mapper = mapper;
        this.linkFetchGuard = linkFetchGuard;
        this.maxContentBytes = maxContentBytes;
        this.maxRequestBytes = maxRequestBytes;
        this.syncTimeoutMs = syncTimeoutMs;
        this.knowledgeBasePrefix = knowledgeBasePrefix;
    }

    /** The JSON body as a tree: 413 over app.push.max-request-bytes, 400 when empty, malformed or not an object. */
    JsonNode jsonBody(Exchange exchange) {
        Long declared = exchange.getIn().getHeader("Content-Length", Long.class);
        byte[] raw = body(exchange);
        if ((declared != null && declared > maxRequestBytes) || (raw != null && raw.length > maxRequestBytes)) {
            throw ApiException.tooLarge(null, "the request body is over the limit of " + maxRequestBytes + " bytes");
        }
        if (isBlank(raw)) {
            throw ApiException.badRequest(null, "the request body is empty: a JSON object is expected");
        }
        JsonNode body;
        try {
            body = mapper.readTree(raw);
        } catch (IOException e) {
            throw new ApiException(400, "malformed_json", null, "malformed JSON: "
                    + (e instanceof JsonProcessingException json ? json.getOriginalMessage() : e.getMessage()));
        }
        if (!body.isObject()) {
            throw new ApiException(400, "malformed_json", null, "the request body must be a JSON object");
        }
        String nul = fieldWithNul(body, null);
        if (nul != null) {
            // PostgreSQL text cannot hold U+0000
            throw ApiException.badRequest(nul, nul + " contains a NUL character (U+0000)");
        }
        return body;
    }

    /** The path of the first string (key or value) holding U+0000, or null. */
    private static String fieldWithNul(JsonNode value, String path) {
        String here = path == null ? "body" : path;
        if (value.isTextual()) {
            return value.textValue().indexOf('\u0000') >= 0 ? here : null;
        }
        // fields() is empty but for objects
        for (var fields = value.fields(); fields.hasNext(); ) {
            var e = fields.next();
            String child = path == null ? e.getKey() : path + "." + e.getKey();
            String found = e.getKey().indexOf('\u0000') >= 0 ? child : fieldWithNul(e.getValue(), child);
            if (found != null) {
                return found;
            }
        }
        for (int i = 0; value.isArray() && i < value.size(); i++) {
            String found = fieldWithNul(value.get(i), here + "[" + i + "]");
            if (found != null) {
                return found;
            }
        }
        return null;
    }

    /** POST /api/internal/document/{document_id}/embed */
    public void document(Exchange exchange) {
        JsonNode tree = jsonBody(exchange);
        String sourceId = id(exchange.getIn().getHeader("document_id", String.class), "document_id", true);
        DocumentBody body = BODIES.bind(tree, DocumentBody.class);
        common(exchange, body.chatbotId(), "document", sourceId);
        String fileName = body.metadata() == null ? null : body.metadata().filename();
        String title = fileName != null && !fileName.isBlank() ? fileName.strip() : "document " + sourceId;
        source(exchange, tree, title, storedFileName(fileName, "document-" + sourceId), null, body.content());
    }

    /** POST /api/internal/link/{link_id}/embed */
    public void link(Exchange exchange) {
        JsonNode tree = jsonBody(exchange);
        String sourceId = id(exchange.getIn().getHeader("link_id", String.class), "link_id", true);
        LinkBody body = BODIES.bind(tree, LinkBody.class);
        common(exchange, body.chatbotId(), "link", sourceId);
        String url = httpUrl(body.url().strip());
        String title = body.metadata() == null ? null : body.metadata().title();
        boolean titled = title != null && !title.isBlank();
        source(exchange, tree, titled ? title.strip() : url,
                storedFileName(titled ? title + ".txt" : null, "link-" + sourceId), url, body.content());
    }

    /** The pushed source as the routes store it; without content (a link) the hub fetches the page. */
    private void source(Exchange exchange, JsonNode tree, String title, String fileName, String url, String content) {
        exchange.setProperty("url", url);
        exchange.setProperty("title", title.length() > 500 ? title.substring(0, 500) : title);
        exchange.setProperty("fileName", fileName);
        JsonNode metadata = tree.path("metadata");
        // stored as sent, {} without one
        exchange.setProperty("metadataJson", metadata.isMissingNode() || metadata.isNull() ? "{}" : metadata.toString());
        boolean fetch = content == null || content.isBlank();
        exchange.setProperty("fetchLink", fetch);
        if (!fetch) {
            setContent(exchange, content);
        }
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

    /** Takes the text extracted from the fetched link as the content. */
    public void fetchedContent(Exchange exchange) {
        String text = exchange.getIn().getBody(String.class);
        if (text == null || text.isBlank()) {
            throw new ApiException(422, "link_fetch_failed", "url", "the page at url has no readable text");
        }
        setContent(exchange, text);
    }

    /** The link could not be fetched (a caught IOException): forbidden address, too large, timeout, refused... */
    public void linkFetchFailure(Exchange exchange) {
        Throwable cause = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
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
    public void linkFetchStatus(Exchange exchange) {
        Object code = exchange.getIn().getHeader(Exchange.HTTP_RESPONSE_CODE);
        throw new ApiException(422, "link_fetch_failed", "url", "the link answered HTTP " + code);
    }

    /** DELETE /api/internal/chatbot/{chatbot_id}/source/{source_type}/{source_id} */
    public void deleteSource(Exchange exchange) {
        chatbotFromPath(exchange);
        String sourceType = exchange.getIn().getHeader("source_type", String.class);
        if (sourceType == null || !SOURCE_TYPES.contains(sourceType)) {
            throw ApiException.badRequest("source_type", "source_type must be 'document' or 'link'");
        }
        exchange.setProperty("sourceType", sourceType);
        exchange.setProperty("sourceId", id(exchange.getIn().getHeader("source_id", String.class), "source_id", true));
        waitOptions(exchange);
    }

    /** DELETE /api/internal/chatbot/{chatbot_id}/cleanup */
    public void cleanup(Exchange exchange) {
        chatbotFromPath(exchange);
        waitOptions(exchange);
    }

    /** GET /api/internal/jobs/{id} */
    public void jobId(Exchange exchange) {
        String id = exchange.getIn().getHeader("id", String.class);
        if (id == null || !id.matches("\\d{1,18}")) {
            throw ApiException.badRequest("id", "the job id must be a positive number");
        }
        exchange.setProperty("jobId", Long.parseLong(id));
        exchange.setProperty("deadline", null);
    }

    /** POST /api/internal/sync/retry */
    public void retry(Exchange exchange) {
        RetryBody body = BODIES.bind(isBlank(body(exchange)) ? null : jsonBody(exchange), RetryBody.class);
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
        if (sourceId != null) {
            exchange.setProperty("sourceId", id(String.valueOf(sourceId), "source_id", false));
        }
        String status = body.status() == null ? "all" : body.status();
        exchange.setProperty("retryJobId", body.jobId());
        exchange.setProperty("retryChatbotId", chatbotId);
        exchange.setProperty("chatbotId", chatbotId);
        exchange.setProperty("sourceType", sourceType);
        exchange.setProperty("retryOneSource", sourceType != null);
        exchange.setProperty("retryErrors", !"pending".equals(status));
        exchange.setProperty("retryPending", !"error".equals(status));
        exchange.setProperty("retryDocumentId", null);
    }

    /** Where the content is stored, relative to the storage root: one folder per source, the file named for RAGFlow. */
    public String filePath(Exchange exchange) {
        return "push/" + exchange.getProperty("knowledgeBaseId") + "/" + exchange.getProperty("sourceType") + "/"
                + exchange.getProperty("sourceId") + "/" + exchange.getProperty("fileName");
    }

    /** The chatbot's knowledge base (select-chatbot.sql, null when it has none); no job to await yet. */
    public void chatbot(Exchange exchange) {
        Object knowledgeBase = exchange.getIn().getBody();
        exchange.setProperty("knowledgeBaseId", knowledgeBase);
        exchange.setProperty("jobId", null);
        if (knowledgeBase == null) {
            exchange.setProperty("notFound", "chatbot " + exchange.getProperty("chatbotId") + " has no sources");
        }
    }

    /** The row of delete-push-source.sql: the deleted document, its file and chunk count; none: not found. */
    public void deletedSource(Exchange exchange) {
        Map<?, ?> row = exchange.getIn().getBody(Map.class);
        if (row == null) {
            exchange.setProperty("notFound", noSuchSource(exchange));
            return;
        }
        exchange.setProperty("documentId", row.get("document_id"));
        exchange.setProperty("deletedFilePath", row.get("file_path"));
        exchange.setProperty("deletedCount", row.get("chunk_count"));
    }

    /** The row of select-push-source.sql: the document of the source to retry; none: not found. */
    public void retrySource(Exchange exchange) {
        Map<?, ?> row = exchange.getIn().getBody(Map.class);
        if (row == null) {
            throw new PushNotFoundException(noSuchSource(exchange));
        }
        exchange.setProperty("retryDocumentId", row.get("document_id"));
    }

    private static String noSuchSource(Exchange exchange) {
        return "chatbot " + exchange.getProperty("chatbotId") + " has no " + exchange.getProperty("sourceType") + " "
                + exchange.getProperty("sourceId");
    }

    /** The row of cleanup-chatbot.sql: what the chatbot's knowledge base held. */
    public void cleaned(Exchange exchange) {
        Map<?, ?> row = exchange.getIn().getBody(Map.class);
        exchange.setProperty("documentsDeleted", row.get("documents"));
        exchange.setProperty("embeddingsDeleted", row.get("chunks"));
        exchange.setProperty("documentId", null);
    }

    /** The row of upsert-push-document.sql: the source's document and its revision. */
    public void stored(Exchange exchange) {
        Map<?, ?> row = exchange.getIn().getBody(Map.class);
        exchange.setProperty("documentId", row.get("document_id"));
        exchange.setProperty("revision", row.get("revision"));
    }

    /** A row naming the job to await and the answer's deadline (enqueue-push-document.sql, select-delete-job.sql). */
    public void awaitJob(Exchange exchange) {
        Map<?, ?> row = exchange.getIn().getBody(Map.class);
        exchange.setProperty("jobId", row.get("job_id"));
        exchange.setProperty("deadline", row.get("deadline"));
    }

    /** A plain GET of the pushed link, its URL checked by the guard; nothing of the incoming request reaches the site. */
    public void linkFetch(Exchange exchange) {
        linkFetchGuard.checkUrl(exchange.getProperty("url", String.class));
        Message message = exchange.getIn();
        message.getHeaders().clear();
        message.setHeader(Exchange.HTTP_METHOD, "GET");
        message.setHeader("User-Agent", "RAGSync-link-fetch/1.0");
        message.setHeader("Accept", "text/html, application/xhtml+xml, text/plain;q=0.9");
        message.setBody("");
    }

    /** Answer of an embed: 200 success with the chunk counts, 202 pending with the job id, 502 when it failed. */
    public Map<String, Object> embedAnswer(Exchange exchange) {
        Map<String, Object> job = jobState(exchange);
        String key = "link".equals(exchange.getProperty("sourceType")) ? "link_id" : "document_id";
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("status", statusWord(job));
        answer.put(key, idValue(exchange.getProperty("sourceId", String.class)));
        answer.put("chatbot_id", idValue(exchange.getProperty("chatbotId", String.class)));
        answer.put("knowledge_base_id", exchange.getProperty("knowledgeBaseId", Long.class));
        answer.put("revision", exchange.getProperty("revision"));
        chunkCounts(answer, job);
        return finish(exchange, answer, job);
    }

    /** Answer of a source delete: its chunk count, and the state of the downstream delete. */
    public Map<String, Object> deleteAnswer(Exchange exchange) {
        Map<String, Object> job = jobState(exchange);
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("status", statusWord(job));
        answer.put("chatbot_id", idValue(exchange.getProperty("chatbotId", String.class)));
        answer.put("knowledge_base_id", exchange.getProperty("knowledgeBaseId", Long.class));
        answer.put("source_type", exchange.getProperty("sourceType"));
        answer.put("source_id", idValue(exchange.getProperty("sourceId", String.class)));
        answer.put("deleted_count", exchange.getProperty("deletedCount"));
        return finish(exchange, answer, job);
    }

    /** Answer of a cleanup: chunks (embeddings) and documents removed; RAGSync keeps no chat sessions. */
    public Map<String, Object> cleanupAnswer(Exchange exchange) {
        Map<String, Object> job = jobState(exchange);
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("status", job.isEmpty() ? "success" : statusWord(job));
        answer.put("chatbot_id", idValue(exchange.getProperty("chatbotId", String.class)));
        answer.put("knowledge_base_id", exchange.getProperty("knowledgeBaseId", Long.class));
        answer.put("embeddings_deleted", exchange.getProperty("embeddingsDeleted", 0L, Long.class));
        answer.put("sessions_deleted", 0);
        answer.put("documents_deleted", exchange.getProperty("documentsDeleted", 0L, Long.class));
        if (job.isEmpty()) {
            exchange.getIn().setHeader(Exchange.HTTP_RESPONSE_CODE, 200);
            return answer;
        }
        return finish(exchange, answer, job);
    }

    /** GET /api/internal/jobs/{id}: the row of select-push-job.sql in the body. */
    @SuppressWarnings("unchecked")
    public Map<String, Object> jobAnswer(Exchange exchange) {
        Map<String, Object> job = exchange.getIn().getBody(Map.class);
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("job_id", job.get("requested_job_id"));
        answer.put("status", job.get("state"));
        answer.put("job_status", job.get("job_status"));
        answer.put("op", job.get("op"));
        if (!job.get("requested_job_id").equals(job.get("job_id"))) {
            answer.put("superseded_by", job.get("job_id"));
        }
        answer.put("chatbot_id", idValue((String) job.get("chatbot_id")));
        answer.put("knowledge_base_id", job.get("knowledge_base_id"));
        answer.put("source_type", job.get("source_type"));
        answer.put("source_id", idValue((String) job.get("source_id")));
        answer.put("target", job.get("target"));
        if ("upsert".equals(job.get("op"))) {
            chunkCounts(answer, job);
        }
        answer.put("retry_count", job.get("retry_count"));
        answer.put("next_retry_at", timestamp(job.get("next_retry_at")));
        answer.put("error", "error".equals(job.get("state")) || "truncated".equals(job.get("state"))
                ? job.get("last_error") : null);
        answer.put("message", job.get("rag_message"));
        answer.put("created_at", timestamp(job.get("created_at")));
        answer.put("ended_at", timestamp(job.get("ended_at")));
        exchange.getIn().setHeader(Exchange.HTTP_RESPONSE_CODE, 200);
        return answer;
    }

    /** Answer of a retry: the jobs put back in the queue (or enqueued again). */
    public Map<String, Object> retryAnswer(Exchange exchange) {
        List<?> jobs = exchange.getProperty("retried") instanceof List<?> l ? l : List.of();
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("status", "success");
        answer.put("retried", jobs.size());
        answer.put("jobs", jobs);
        exchange.getIn().setHeader(Exchange.HTTP_RESPONSE_CODE, 200);
        return answer;
    }

    /** The request body as bytes, read once (it may arrive as a stream) and kept as bytes for later reads. */
    static byte[] body(Exchange exchange) {
        byte[] raw = exchange.getIn().getBody(byte[].class);
        exchange.getIn().setBody(raw);
        return raw;
    }

    private void common(Exchange exchange, Object chatbotId, String sourceType, String sourceId) {
        exchange.setProperty("sourceType", sourceType);
        exchange.setProperty("sourceId", sourceId);
        String chatbot = chatbotId(chatbotId);
        exchange.setProperty("chatbotId", chatbot);
        exchange.setProperty("knowledgeBaseName", knowledgeBasePrefix + chatbot);
        exchange.setProperty("knowledgeBaseDescription", "Chatbot " + chatbot + ", fed by the RAGSync push API");
        waitOptions(exchange);
    }

    private void chatbotFromPath(Exchange exchange) {
        String chatbot = exchange.getIn().getHeader("chatbot_id", String.class);
        exchange.setProperty("chatbotId", id(chatbot, "chatbot_id", false));
    }

    /** ?async=true answers 202 at once; ?timeout_ms=n waits at most n ms (never more than app.push.sync-timeout-ms). */
    private void waitOptions(Exchange exchange) {
        String async = exchange.getIn().getHeader("async", String.class);
        if (async != null && !Set.of("true", "false", "1", "0").contains(async.toLowerCase(Locale.ROOT))) {
            throw ApiException.badRequest("async", "async must be true or false");
        }
        boolean isAsync = async != null && Set.of("true", "1").contains(async.toLowerCase(Locale.ROOT));
        long waitMs = syncTimeoutMs;
        String timeout = exchange.getIn().getHeader("timeout_ms", String.class);
        if (timeout != null) {
            if (!timeout.matches("\\d{1,9}")) {
                throw ApiException.badRequest("timeout_ms", "timeout_ms must be a number of milliseconds");
            }
            waitMs = Math.min(waitMs, Long.parseLong(timeout));
        }
        exchange.setProperty("async", isAsync || waitMs == 0);
        exchange.setProperty("waitMs", isAsync ? 0 : waitMs);
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

    private void setContent(Exchange exchange, String content) {
        byte[] data = content.getBytes(StandardCharsets.UTF_8);
        if (data.length > maxContentBytes) {
            throw ApiException.tooLarge("content", "content is " + data.length + " bytes, over the limit of "
                    + maxContentBytes + " bytes (app.push.max-content-bytes)");
        }
        exchange.setProperty("content", data);
        exchange.setProperty("contentBytes", (long) data.length);
        exchange.setProperty("contentSha256", DigestUtils.sha256Hex(data));
    }

    /** The stored file's name (RAGFlow shows it); "_" for spaces too, which a multipart upload would percent-encode. */
    static String storedFileName(String requested, String fallbackStem) {
        String name = requested == null ? "" : requested;
        int slash = Math.max(name.lastIndexOf('/'), name.lastIndexOf('\\'));
        name = name.substring(slash + 1);
        StringBuilder clean = new StringBuilder();
        name.codePoints().forEach(cp -> {
            if (Character.isLetterOrDigit(cp) || cp == '-' || cp == '_' || cp == '.' || cp == '(' || cp == ')') {
                clean.appendCodePoint(cp);
            } else if (!Character.isISOControl(cp)) {
                clean.append('_');
            }
        });
        name = clean.toString().replaceAll("^[._]+", "").replaceAll("_{2,}", "_");
        if (name.isEmpty() || name.replace(".", "").isBlank()) {
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
        return id != null && id.matches("\\d{1,18}") ? Long.valueOf(id) : id;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> jobState(Exchange exchange) {
        Object state = exchange.getProperty("jobState");
        return state instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
    }

    /** The chunks an indexed (or truncated) upsert made, under both names clients read. */
    private static void chunkCounts(Map<String, Object> answer, Map<String, Object> job) {
        if ("synced".equals(job.get("state")) || "truncated".equals(job.get("state"))) {
            Object chunks = job.get("chunk_count") == null ? 0 : job.get("chunk_count");
            answer.put("embeddings_count", chunks);
            answer.put("chunks_created", chunks);
        }
    }

    private static String statusWord(Map<String, Object> job) {
        return switch (String.valueOf(job.get("state"))) {
            case "error" -> "error";
            case "synced" -> "success";
            case "truncated" -> "truncated";
            default -> "pending";
        };
    }

    private static Map<String, Object> finish(Exchange exchange, Map<String, Object> answer, Map<String, Object> job) {
        String state = String.valueOf(job.get("state"));
        answer.put("job_id", job.get("requested_job_id"));
        answer.put("sync_status", state);
        if ("error".equals(state) || "truncated".equals(state)) {
            answer.put("error", job.get("last_error"));
        } else if (!"synced".equals(state)) {
            answer.put("status_url", "/api/internal/jobs/" + job.get("requested_job_id"));
        }
        // truncated is stored, but only in part: a retry cannot change that, so no 5xx
        exchange.getIn().setHeader(Exchange.HTTP_RESPONSE_CODE, switch (state) {
            case "error" -> 502;
            case "synced", "truncated" -> 200;
            default -> 202;
        });
        return answer;
    }

    private static String timestamp(Object value) {
        Object instant = value instanceof Timestamp ts ? ts.toInstant()
                : value instanceof OffsetDateTime odt ? odt.toInstant() : value;
        return Objects.toString(instant, null);
    }

    private static boolean isBlank(byte[] raw) {
        return raw == null || new String(raw, StandardCharsets.UTF_8).isBlank();
    }
}


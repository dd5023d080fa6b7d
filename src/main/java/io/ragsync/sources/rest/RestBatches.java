package io.ragsync.sources.rest;

import io.ragsync.platform.RetryAfter;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonInclude.Include;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.core.env.Environment;
import org.springframework.stereotype.Component;

/** The computing steps of routes/sources/rest/rest-batch.camel.yaml; nothing here logs or returns a header value. */
@Component("restBatches")
public class RestBatches {

    private final RestSourceValidator validator;
    private final Environment environment;
    private final RestItems items;
    private final RestSchedule schedule;
    private final ObjectMapper mapper;
    private final long fetchTimeoutMs;
    private final long defaultRetryAfterSeconds;
    private final long maxRetryAfterSeconds;
    private final long errorBackoffSeconds;

    public RestBatches(RestSourceValidator validator, Environment environment, RestItems items, RestSchedule schedule,
                       ObjectMapper mapper,
                       @Value("${app.rest.fetch-timeout-ms:4000}") long fetchTimeoutMs,
                       @Value("${app.rest.default-retry-after-seconds:60}") long defaultRetryAfterSeconds,
                       @Value("${app.rest.max-retry-after-seconds:3600}") long maxRetryAfterSeconds,
                       @Value("${app.rest.error-backoff-seconds}") long errorBackoffSeconds) {
        this.validator = validator;
        this.environment = environment;
        this.items = items;
        this.schedule = schedule;
        this.mapper = mapper;
        this.fetchTimeoutMs = fetchTimeoutMs;
        this.defaultRetryAfterSeconds = defaultRetryAfterSeconds;
        this.maxRetryAfterSeconds = maxRetryAfterSeconds;
        this.errorBackoffSeconds = errorBackoffSeconds;
    }

    /** From the row of sql/sources/rest/select-rest-source.sql: the source, its config and where its next batch starts. */
    public void prepare(Exchange exchange) {
        Map<?, ?> row = exchange.getMessage().getBody(Map.class);
        exchange.setProperty("tenantId", row.get("tenant_id"));
        exchange.setProperty("sourceTitle", row.get("title"));
        exchange.setProperty("schedule", row.get("schedule"));
        exchange.setProperty("failuresBefore", row.get("consecutive_failures"));
        boolean wasDone = Boolean.TRUE.equals(row.get("done"));
        String stored = (String) row.get("next_cursor");
        exchange.setProperty("wasDone", wasDone);
        exchange.setProperty("fetchedCursor", stored);
        // a finished source starts a new run from the first page
        String cursor = wasDone ? null : stored;
        exchange.setProperty("cursor", cursor);
        exchange.setProperty("firstPage", cursor == null);
        exchange.setProperty("storedEtag", row.get("etag"));
        exchange.setProperty("storedLastModified", row.get("last_modified"));
        RestSourceConfig config = validator.parse((String) row.get("config"));
        exchange.setProperty("restConfig", config);
        exchange.setProperty("fetchUrl", RestPages.url(config, cursor));
    }

    /** The outgoing request: only the source's own headers leave the hub, never the caller's (admin token, cookies...). */
    public void requestHeaders(Exchange exchange) {
        RestSourceConfig config = exchange.getProperty("restConfig", RestSourceConfig.class);
        Message out = exchange.getMessage();
        out.getHeaders().clear();
        out.setBody(null);
        String key = config.usesApiKey() ? secret(config.provider()) : null;
        if (config.requiresAuth() && key == null) {
            throw new RestSourceException("the source requires auth but headersTemplate sends no {{API_KEY}}", null);
        }
        out.setHeader("Accept", "application/json");
        config.headersTemplate().forEach((name, template) ->
                out.setHeader(name, key == null ? template : template.replace(RestSourceConfig.API_KEY_PLACEHOLDER, key)));
        if (exchange.getProperty("firstPage", Boolean.class)) {
            String etag = exchange.getProperty("storedEtag", String.class);
            String lastModified = exchange.getProperty("storedLastModified", String.class);
            if (config.ifNoneMatchHeader() && etag != null) {
                out.setHeader("If-None-Match", etag);
            }
            if (config.ifModifiedSinceHeader() && lastModified != null) {
                out.setHeader("If-Modified-Since", lastModified);
            }
        }
        out.setHeader(Exchange.HTTP_METHOD, "GET");
        out.setHeader(Exchange.HTTP_URI, exchange.getProperty("fetchUrl", String.class));
    }

    /** The provider's secret (app.rest.secrets.<provider>): read at each fetch, never stored, logged or returned. */
    private String secret(String provider) {
        String value = environment.getProperty("app.rest.secrets." + provider);
        if (value == null || value.isBlank()) {
            throw new RestSourceException("no secret for provider '" + provider + "': set app.rest.secrets." + provider
                    + " (environment variable APP_REST_SECRETS_" + provider.toUpperCase(Locale.ROOT).replace('-', '_')
                    + ")", null);
        }
        return value;
    }

    /** 304 → not_modified; 2xx → store (chunk rows, next cursor, done); 429 → rate limited; else an exception. */
    public void readPage(Exchange exchange) throws JsonProcessingException {
        Message in = exchange.getMessage();
        RestSourceConfig config = exchange.getProperty("restConfig", RestSourceConfig.class);
        config.headersTemplate().keySet().forEach(in::removeHeader); // the secret stays on the request only
        int status = in.getHeader(Exchange.HTTP_RESPONSE_CODE, 0, Integer.class);
        String url = exchange.getProperty("fetchUrl", String.class);
        exchange.setProperty("httpStatus", status);
        if (status == 304) {
            exchange.setProperty("outcome", "not_modified");
            exchange.setProperty("itemCount", 0);
            exchange.setProperty("newChunks", 0);
            exchange.setProperty("done", true);
            return;
        }
        String body = in.getBody(String.class);
        if (status == 429) {
            throw RestSourceException.rateLimited(retryAfter(in.getHeader("Retry-After", String.class)));
        }
        if (status < 200 || status > 299) {
            throw new RestSourceException("HTTP " + status + " from " + url
                    + (body == null || body.isBlank() ? "" : ": " + RestPages.abbreviate(body, 200)), status);
        }
        String cursor = exchange.getProperty("cursor", String.class);
        String total = config.totalHeader() == null ? null : in.getHeader(config.totalHeader(), String.class);
        RestPages.Page page = RestPages.read(config, cursor, url, body, in.getHeader("Link", String.class), total, status);
        List<Map<String, Object>> rows = items.chunkRows(page.items(), config,
                exchange.getProperty("sourceId", Long.class), exchange.getProperty("tenantId", String.class),
                exchange.getProperty("sourceTitle", String.class), url);
        exchange.setProperty("outcome", "store");
        exchange.setProperty("chunkRows", rows);
        exchange.setProperty("itemCount", page.items().size());
        exchange.setProperty("nextCursor", page.next());
        exchange.setProperty("done", page.done());
        exchange.setProperty("newChunks", 0);
        exchange.setProperty("etag", in.getHeader("ETag", String.class));
        exchange.setProperty("lastModified", in.getHeader("Last-Modified", String.class));
    }

    /** The row of sql/sources/rest/lock-rest-source.sql: the knowledge base, the day, its document's title and path. */
    public void locked(Exchange exchange) {
        Map<?, ?> row = exchange.getMessage().getBody(Map.class);
        String title = exchange.getProperty("sourceTitle", String.class);
        String day = (String) row.get("sync_date");
        exchange.setProperty("knowledgeBaseId", row.get("knowledge_base_id"));
        exchange.setProperty("syncDate", day);
        exchange.setProperty("documentTitle", RestDocuments.title(title, day));
        exchange.setProperty("filePath",
                RestDocuments.filePath(exchange.getProperty("sourceId", Long.class), title, day));
    }

    /** How many of the page's chunks were new (the batch insert's update count). */
    public void inserted(Exchange exchange) {
        exchange.setProperty("newChunks", exchange.getMessage().getHeader("CamelSqlUpdateCount", Integer.class));
    }

    /** The row of sql/sources/rest/ensure-rest-daily-document.sql: the day's document and its file. */
    public void dailyDocument(Exchange exchange) {
        Map<?, ?> row = exchange.getMessage().getBody(Map.class);
        exchange.setProperty("documentId", row.get("document_id"));
        exchange.setProperty("filePath", row.get("file_path"));
    }

    /** Seconds to wait from a Retry-After header (delta-seconds or HTTP date), bounded. */
    long retryAfter(String header) {
        long seconds = RetryAfter.seconds(header).orElse(defaultRetryAfterSeconds);
        return Math.max(1, Math.min(seconds, maxRetryAfterSeconds));
    }

    /** What failed, for kb_rest_cursors (sql/sources/rest/record-rest-failure.sql): status, message, HTTP status, wait. */
    public void failure(Exchange exchange) {
        RestSourceException failed = describe(exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class),
                exchange.getProperty("fetchUrl", String.class), exchange.getProperty("httpStatus", Integer.class));
        // the scheduler backs off exponentially, up to the source's own interval (a 429's Retry-After wins)
        int inARow = exchange.getProperty("failuresBefore", 0, Integer.class) + 1;
        exchange.setProperty("consecutiveFailures", inARow);
        exchange.setProperty("errorBackoffSeconds", schedule.failureBackoffSeconds(
                exchange.getProperty("schedule", String.class), inARow, errorBackoffSeconds, java.time.Instant.now()));
        exchange.setProperty("lastStatus", failed.getStatus());
        exchange.setProperty("lastError", RestPages.abbreviate(failed.getMessage(), 1000));
        exchange.setProperty("httpStatus", failed.getHttpStatus());
        exchange.setProperty("retryAfterSeconds", failed.getRetryAfterSeconds());
        exchange.setProperty("outcome", failed.getStatus());
        exchange.setProperty("itemCount", 0);
        exchange.setProperty("done", false);
    }

    /** The failure in the words of the first cause that says what went wrong (else the root cause). */
    private RestSourceException describe(Throwable e, String url, Integer httpStatus) {
        Throwable root = e;
        while (root != null && root.getCause() != null && !(root instanceof RestSourceException)
                && !(root instanceof RestConfigException) && !(root instanceof SocketTimeoutException)
                && !(root instanceof ConnectException) && !(root instanceof java.io.UncheckedIOException)
                && !(root instanceof IllegalStateException)) {
            root = root.getCause();
        }
        if (root instanceof RestSourceException r) {
            return r;
        } else if (root instanceof RestConfigException c) {
            return new RestSourceException("invalid config: " + c.getMessage(), null);
        } else if (root instanceof SocketTimeoutException || (root != null && root.getClass().getSimpleName().contains("Timeout"))) {
            return new RestSourceException("no answer from " + url + " within " + fetchTimeoutMs + " ms (timeout)",
                    null);
        } else if (root instanceof ConnectException || root instanceof UnknownHostException) {
            return new RestSourceException("cannot connect to " + url + ": " + root.getMessage(), null);
        } else if (root == null) {
            return new RestSourceException("unknown error", httpStatus);
        }
        String message = root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
        String cause = root.getCause() == null ? null : root.getCause().getMessage();
        return new RestSourceException(cause != null && !message.contains(cause) ? message + ": " + cause : message,
                httpStatus);
    }

    /** The answer of one batch; error and retryAfterSeconds only on a failed one. */
    record Answer(boolean ok, Object sourceId, boolean done, int items, int newChunks, Object next, Object url,
                  String status, Object httpStatus, @JsonInclude(Include.NON_NULL) Object error,
                  @JsonInclude(Include.NON_NULL) Object retryAfterSeconds) {
    }

    public String answer(Exchange exchange) throws JsonProcessingException {
        String outcome = exchange.getProperty("outcome", String.class);
        boolean ok = "store".equals(outcome) || "not_modified".equals(outcome);
        return mapper.writeValueAsString(new Answer(ok, exchange.getProperty("sourceId"),
                ok && Boolean.TRUE.equals(exchange.getProperty("done", Boolean.class)),
                exchange.getProperty("itemCount", 0, Integer.class),
                exchange.getProperty("newChunks", 0, Integer.class),
                exchange.getProperty(ok ? "nextCursor" : "cursor"), exchange.getProperty("fetchUrl"),
                "store".equals(outcome) ? "ok" : outcome, exchange.getProperty("httpStatus"),
                ok ? null : exchange.getProperty("lastError"), ok ? null : exchange.getProperty("retryAfterSeconds")));
    }
}

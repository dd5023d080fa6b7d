package io.ragsync.sources.rest;

import io.ragsync.platform.RetryAfter;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonInclude.Include;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.camel.Body;
import org.apache.camel.Exchange;
import org.apache.camel.ExchangeProperty;
import org.apache.camel.Header;
import org.apache.camel.Message;
import org.apache.camel.Variable;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.core.env.Environment;
import org.springframework.stereotype.Component;

/** The computing steps of routes/sources/rest/rest-batch.camel.yaml; nothing here logs or returns a header value. */
@Component("restBatches")
public class RestBatches {

    /** The variable the batch's {@link RestBatch} travels in. */
    static final String BATCH = "batch";

    private final RestSourceValidator validator;
    private final Environment environment;
    private final RestItems items;
    private final RestSchedule schedule;
    private final ObjectMapper mapper;
    private final long fetchTimeoutMs;
    private final long defaultRetryAfterSeconds;
    private final long maxRetryAfterSeconds;
    private final long errorBackoffSeconds;
    private final long maxPagesPerRun;

    public RestBatches(RestSourceValidator validator, Environment environment, RestItems items, RestSchedule schedule,
                       ObjectMapper mapper,
                       @Value("${app.rest.fetch-timeout-ms:4000}") long fetchTimeoutMs,
                       @Value("${app.rest.default-retry-after-seconds:60}") long defaultRetryAfterSeconds,
                       @Value("${app.rest.max-retry-after-seconds:3600}") long maxRetryAfterSeconds,
                       @Value("${app.rest.error-backoff-seconds}") long errorBackoffSeconds,
                       @Value("${app.rest.max-pages-per-run:10000}") long maxPagesPerRun) {
        this.validator = validator;
        this.environment = environment;
        this.items = items;
        this.schedule = schedule;
        this.mapper = mapper;
        this.fetchTimeoutMs = fetchTimeoutMs;
        this.defaultRetryAfterSeconds = defaultRetryAfterSeconds;
        this.maxRetryAfterSeconds = maxRetryAfterSeconds;
        this.errorBackoffSeconds = errorBackoffSeconds;
        this.maxPagesPerRun = maxPagesPerRun;
    }

    /** From the row of sql/sources/rest/select-rest-source.sql: the source, its config and where its next batch starts. */
    public void prepare(@ExchangeProperty("sourceId") Long sourceId, @Body Map<?, ?> row, Exchange exchange) {
        boolean wasDone = Boolean.TRUE.equals(row.get("done"));
        String stored = (String) row.get("next_cursor");
        // a finished source starts a new run from the first page
        String cursor = wasDone ? null : stored;
        RestBatch batch = new RestBatch(new RestBatch.Source(sourceId, row.get("tenant_id"), (String) row.get("title"),
                (String) row.get("schedule"), row.get("consecutive_failures") instanceof Number n ? n.intValue() : 0,
                wasDone, stored, cursor, cursor == null, (String) row.get("etag"), (String) row.get("last_modified"),
                cursor != null && Boolean.TRUE.equals(row.get("past_reported_end")),
                cursor == null ? Set.of() : pageKeys((String) row.get("run_pages"))),
                null, null, null, null, null);
        exchange.setVariable(BATCH, batch); // an invalid config fails with the source known
        RestSourceConfig config = validator.parse((String) row.get("config"));
        exchange.setVariable(BATCH, batch.with(config, RestPages.url(config, cursor)));
    }

    /** The keys of sql/sources/rest/select-rest-source.sql's run_pages, comma-separated. */
    private static Set<Long> pageKeys(String joined) {
        return joined == null || joined.isEmpty() ? Set.of()
                : Arrays.stream(joined.split(",")).map(Long::valueOf).collect(Collectors.toUnmodifiableSet());
    }

    /** The outgoing request: only the source's own headers leave the hub, never the caller's (admin token, cookies...). */
    public void requestHeaders(@Variable(BATCH) RestBatch batch, Message out) {
        RestSourceConfig config = batch.config();
        out.getHeaders().clear();
        out.setBody(null);
        String key = config.usesApiKey() ? secret(config.provider()) : null;
        if (config.requiresAuth() && key == null) {
            throw new RestSourceException("the source requires auth but headersTemplate sends no {{API_KEY}}", null);
        }
        out.setHeader("Accept", "application/json");
        config.headersTemplate().forEach((name, template) ->
                out.setHeader(name, key == null ? template : template.replace(RestSourceConfig.API_KEY_PLACEHOLDER, key)));
        if (batch.source().firstPage()) {
            if (config.ifNoneMatchHeader() && batch.source().storedEtag() != null) {
                out.setHeader("If-None-Match", batch.source().storedEtag());
            }
            if (config.ifModifiedSinceHeader() && batch.source().storedLastModified() != null) {
                out.setHeader("If-Modified-Since", batch.source().storedLastModified());
            }
        }
        out.setHeader(Exchange.HTTP_METHOD, "GET");
        out.setHeader(Exchange.HTTP_URI, batch.url());
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
    public void readPage(@Variable(BATCH) RestBatch batch, Exchange exchange) throws JsonProcessingException {
        Message in = exchange.getMessage();
        RestSourceConfig config = batch.config();
        config.headersTemplate().keySet().forEach(in::removeHeader); // the secret stays on the request only
        int status = in.getHeader(Exchange.HTTP_RESPONSE_CODE, 0, Integer.class);
        if (status == 304) {
            exchange.setVariable(BATCH, batch.with(new RestBatch.Page(status, "not_modified", 0, 0, true, List.of(),
                    null, null, null, false)));
            return;
        }
        if (batch.source().pastReportedEnd() && RestPages.isPastTheEnd(status)) {
            // asked past the end the API itself reported: its error there is the empty page that ends the run
            exchange.setVariable(BATCH, batch.with(new RestBatch.Page(status, "store", 0, 0, true, List.of(),
                    null, null, null, false)));
            return;
        }
        String body = in.getBody(String.class);
        if (status == 429) {
            throw RestSourceException.rateLimited(retryAfter(in.getHeader("Retry-After", String.class)));
        }
        if (status < 200 || status > 299) {
            throw new RestSourceException("HTTP " + status + " from " + batch.url()
                    + (body == null || body.isBlank() ? "" : ": " + RestPages.abbreviate(body, 200)), status);
        }
        RestBatch.Source source = batch.source();
        String total = config.totalHeader() == null ? null : in.getHeader(config.totalHeader(), String.class);
        RestPages.Page page = RestPages.read(config, source.cursor(), batch.url(), body,
                in.getHeader("Link", String.class), total, status);
        RestPages.requireProgress(config, batch.url(), page, source.fetchedThisRun(), maxPagesPerRun, status);
        List<Map<String, Object>> rows = items.chunkRows(page.items(), config, source.sourceId(),
                (String) source.tenantId(), source.title(), batch.url());
        exchange.setVariable(BATCH, batch.with(new RestBatch.Page(status, "store", page.items().size(), 0, page.done(),
                rows, page.next(), in.getHeader("ETag", String.class), in.getHeader("Last-Modified", String.class),
                page.pastReportedEnd())));
    }

    /** The row of sql/sources/rest/lock-rest-source.sql: the knowledge base, the day, its document's title and path. */
    public void locked(@Variable(BATCH) RestBatch batch, @Body Map<?, ?> row, Exchange exchange) {
        String title = batch.source().title();
        String day = (String) row.get("sync_date");
        exchange.setVariable(BATCH, batch.with(new RestBatch.Day(row.get("knowledge_base_id"), day,
                RestDocuments.title(title, day), RestDocuments.filePath(batch.source().sourceId(), title, day), null)));
    }

    /** How many of the page's chunks were new (the batch insert's update count). */
    public void inserted(@Variable(BATCH) RestBatch batch, @Header("CamelSqlUpdateCount") Integer count,
                         Exchange exchange) {
        exchange.setVariable(BATCH, batch.with(batch.page().withNewChunks(count)));
    }

    /** The row of sql/sources/rest/ensure-rest-daily-document.sql: the day's document and its file. */
    public void dailyDocument(@Variable(BATCH) RestBatch batch, @Body Map<?, ?> row, Exchange exchange) {
        exchange.setVariable(BATCH, batch.with(batch.day().withDocument((String) row.get("file_path"),
                row.get("document_id"))));
    }

    /** Seconds to wait from a Retry-After header (delta-seconds or HTTP date), bounded. */
    long retryAfter(String header) {
        long seconds = RetryAfter.seconds(header).orElse(defaultRetryAfterSeconds);
        return Math.max(1, Math.min(seconds, maxRetryAfterSeconds));
    }

    /** What failed, for kb_rest_cursors (sql/sources/rest/record-rest-failure.sql): status, message, HTTP status, wait. */
    public void failure(@Variable(BATCH) RestBatch batch, @ExchangeProperty(Exchange.EXCEPTION_CAUGHT) Throwable caught,
                        @Header(Exchange.HTTP_RESPONSE_CODE) Integer httpStatus, Exchange exchange) {
        RestSourceException failed = describe(caught, batch.url(), httpStatus);
        // the scheduler backs off exponentially, up to the source's own interval (a 429's Retry-After wins)
        int inARow = batch.source().failuresBefore() + 1;
        exchange.setVariable(BATCH, batch.with(new RestBatch.Failure(failed.getStatus(),
                RestPages.abbreviate(failed.getMessage(), 1000), failed.getHttpStatus(), failed.getRetryAfterSeconds(),
                inARow, schedule.failureBackoffSeconds(batch.source().schedule(), inARow, errorBackoffSeconds,
                        java.time.Instant.now()))));
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

    public String answer(@Variable(BATCH) RestBatch batch) throws JsonProcessingException {
        RestBatch.Page page = batch.page();
        RestBatch.Failure failure = batch.failure();
        boolean ok = batch.ok();
        return mapper.writeValueAsString(new Answer(ok, batch.source().sourceId(), ok && page.done(),
                ok ? page.items() : 0, page == null ? 0 : page.newChunks(), ok ? page.next() : batch.source().cursor(),
                batch.url(), ok ? ("store".equals(page.outcome()) ? "ok" : page.outcome()) : failure.status(),
                ok ? (Integer) page.httpStatus() : failure.httpStatus(), ok ? null : failure.error(),
                ok ? null : failure.retryAfterSeconds()));
    }
}

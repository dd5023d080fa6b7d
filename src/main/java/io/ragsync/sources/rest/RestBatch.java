package io.ragsync.sources.rest;

import java.util.List;
import java.util.Map;

/**
 * One batch of a REST source (variable batch of routes/sources/rest/rest-batch.camel.yaml): the source as read once,
 * its parsed config and page URL (null while the config is unread or invalid), then what the page, the day's
 * document and a failure added; restBatches makes every new copy.
 */
public record RestBatch(Source source, RestSourceConfig config, String url, Page page, Day day, Failure failure) {

    /** The row of sql/sources/rest/select-rest-source.sql; cursor is null when the batch starts a new run. */
    public record Source(Long sourceId, Object tenantId, String title, String schedule, int failuresBefore,
                         boolean wasDone, String fetchedCursor, String cursor, boolean firstPage, String storedEtag,
                         String storedLastModified) {
    }

    /** The answer of the API: outcome store or not_modified, the chunk rows of its items, where the next page starts. */
    public record Page(int httpStatus, String outcome, int items, int newChunks, boolean done,
                       List<Map<String, Object>> rows, String next, String etag, String lastModified) {

        Page withNewChunks(int count) {
            return new Page(httpStatus, outcome, items, count, done, rows, next, etag, lastModified);
        }
    }

    /** The knowledge base and day the page's chunks go to, and the day's document once it exists. */
    public record Day(Object knowledgeBaseId, String syncDate, String documentTitle, String filePath, Object documentId) {

        Day withDocument(String storedPath, Object id) {
            return new Day(knowledgeBaseId, syncDate, documentTitle, storedPath, id);
        }
    }

    /** What failed, for kb_rest_cursors: status, message, HTTP status, the wait before the next try. */
    public record Failure(String status, String error, Integer httpStatus, Long retryAfterSeconds, int inARow,
                          long backoffSeconds) {
    }

    RestBatch with(RestSourceConfig parsed, String pageUrl) {
        return new RestBatch(source, parsed, pageUrl, page, day, failure);
    }

    RestBatch with(Page read) {
        return new RestBatch(source, config, url, read, day, failure);
    }

    RestBatch with(Day stored) {
        return new RestBatch(source, config, url, page, stored, failure);
    }

    RestBatch with(Failure failed) {
        return new RestBatch(source, config, url, page, day, failed);
    }

    /** A page stored or not modified, and no failure after it. */
    public boolean ok() {
        return failure == null && page != null;
    }
}

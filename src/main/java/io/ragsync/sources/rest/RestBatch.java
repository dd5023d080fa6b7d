package io.ragsync.sources.rest;

import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One batch of a REST source (variable batch of routes/sources/rest/rest-batch.camel.yaml): the source as read once,
 * its parsed config and page URL (null while the config is unread or invalid), then what the page, the day's
 * document and a failure added; restBatches makes every new copy.
 */
public record RestBatch(Source source, RestSourceConfig config, String url, Page page, Day day, Failure failure) {

    /**
     * The row of sql/sources/rest/select-rest-source.sql; cursor is null when the batch starts a new run;
     * pastReportedEnd: the cursor lies at or past the end the API reported on the previous (full) page;
     * fetchedThisRun: the keys ({@link RestPages#key}) of the pages the run stored before this one.
     */
    public record Source(Long sourceId, Object tenantId, String title, String schedule, int failuresBefore,
                         boolean wasDone, String fetchedCursor, String cursor, boolean firstPage, String storedEtag,
                         String storedLastModified, boolean pastReportedEnd, Set<Long> fetchedThisRun) {
    }

    /**
     * The answer of the API: outcome store or not_modified, the chunk rows of its items, where the next page starts
     * and whether that lies at or past the end the API reported.
     */
    public record Page(int httpStatus, String outcome, int items, int newChunks, boolean done,
                       List<Map<String, Object>> rows, String next, String etag, String lastModified,
                       boolean pastReportedEnd) {

        Page withNewChunks(int count) {
            return new Page(httpStatus, outcome, items, count, done, rows, next, etag, lastModified, pastReportedEnd);
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

    /** The key the run remembers this batch's page by (sql/sources/rest/advance-rest-cursor.sql). */
    public long pageKey() {
        return RestPages.key(url);
    }

    /** A page stored or not modified, and no failure after it. */
    public boolean ok() {
        return failure == null && page != null;
    }
}

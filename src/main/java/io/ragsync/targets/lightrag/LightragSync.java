package io.ragsync.targets.lightrag;

import io.ragsync.jobs.Job;
import io.ragsync.jobs.TargetUnavailableException;
import io.ragsync.platform.storage.StorageFiles;
import io.ragsync.platform.storage.StoredFile;
import io.ragsync.targets.lightrag.LightragApi.Doc;
import io.ragsync.targets.lightrag.LightragApi.Insert;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.camel.Body;
import org.apache.camel.ExchangeProperty;
import org.apache.camel.Variable;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * The LightRAG routes' decisions. Each version is uploaded under a name of its own, so LightRAG's "duplicated" can only
 * mean this attempt's upload arrived and its answer was lost: the document is then taken from LightRAG's listing.
 */
@Component("lightragSync")
public class LightragSync {

    /** The document's mapping; for an upsert also its file and this attempt's upload name (null for a delete). */
    public record Mapping(Long documentId, String docId, String contentHash, String pendingFileName,
                          String pendingHash, String pendingTrackId, String pendingDocId, boolean overdue,
                          StoredFile file, String uploadName) {
    }

    public record Reconciliation(String status, Boolean dryRun, int listed, int orphans, List<String> orphanIds,
                                 long missing) {
    }

    /** Names of the files RAGSync uploads: rs{document}-{job}-{attempt}_{file name}. */
    private static final Pattern OURS = Pattern.compile("^rs(\\d+)-\\d+-\\d+_");
    private final StorageFiles storage;
    private final int maxPages;
    private final long trackTimeoutSeconds;

    public LightragSync(StorageFiles storage, @Value("${app.lightrag.list-max-pages}") int maxPages,
                        @Value("${app.lightrag.track-timeout-seconds}") long trackTimeoutSeconds) {
        this.storage = storage;
        this.maxPages = maxPages;
        this.trackTimeoutSeconds = trackTimeoutSeconds;
    }

    public Mapping mapping(@Body Map<String, Object> row, @ExchangeProperty("documentId") Long documentId,
                           @Variable("job") Job job) {
        if (row == null) {
            return new Mapping(documentId, null, null, null, null, null, null, false, null, null);
        }
        String path = (String) row.get("file_path");
        StoredFile file = path == null ? null : storage.resolve(path);
        String name = file == null ? null : "rs" + documentId + "-" + job.id() + "-" + job.retryCount() + "_"
                + file.fileName().replaceAll("[^A-Za-z0-9._-]", "_").replaceAll("\\.{2,}", ".");
        return new Mapping(documentId, (String) row.get("doc_id"), (String) row.get("content_hash"),
                (String) row.get("pending_file_name"), (String) row.get("pending_hash"),
                (String) row.get("pending_track_id"), (String) row.get("pending_doc_id"),
                Boolean.TRUE.equals(row.get("overdue")), file, name);
    }

    /** LightRAG already serves this content and nothing is on its way. */
    public boolean unchanged(@ExchangeProperty("lightrag") Mapping m) {
        return m.docId() != null && m.file().sha256().equals(m.contentHash()) && m.pendingFileName() == null;
    }

    /** This content was uploaded and LightRAG answered with its track: follow it instead of uploading again. */
    public boolean uploaded(@ExchangeProperty("lightrag") Mapping m) {
        return m.file().sha256().equals(m.pendingHash()) && m.pendingTrackId() != null;
    }

    /** An earlier attempt's upload unknown by id; this attempt's own is sent again and "duplicated" maps it. */
    public boolean pendingUnknown(@ExchangeProperty("lightrag") Mapping m) {
        return m.pendingFileName() != null && m.pendingDocId() == null && !m.pendingFileName().equals(m.uploadName());
    }

    /** Parameters of sql/targets/lightrag/mark-upload-pending.sql. */
    public Map<String, Object> pendingRow(@ExchangeProperty("lightrag") Mapping m) {
        return Map.of("fileName", m.uploadName(), "contentHash", m.file().sha256());
    }

    public LightragListing listing() {
        return new LightragListing(maxPages);
    }

    public boolean morePages(@ExchangeProperty("listing") LightragListing listing) {
        return listing.hasNext();
    }

    public boolean duplicated(@ExchangeProperty("inserted") Insert inserted) {
        return inserted.status().equals("duplicated");
    }

    /** The SQL parameters of the upload just answered: its track, and its doc id when LightRAG had it already. */
    public Map<String, Object> uploadRow(@ExchangeProperty("inserted") Insert inserted,
                                         @ExchangeProperty("listing") LightragListing listing,
                                         @ExchangeProperty("lightrag") Mapping m) {
        String name = m.uploadName();
        Map<String, Object> row = new HashMap<>();
        row.put("trackId", inserted.trackId());
        row.put("docId", null);
        if (duplicated(inserted)) {
            Doc held = listing == null ? null : listing.byFileName(name).orElse(null);
            if (held == null) {
                throw new LightragUnavailableException("LightRAG answered duplicated for " + name
                        + " but does not list a document of that name: " + inserted.message());
            }
            row.put("trackId", held.trackId());
            row.put("docId", held.id());
        }
        return row;
    }

    /** An earlier attempt's LightRAG document of this document that is not the version LightRAG serves. */
    public List<String> leftoverIds(@ExchangeProperty("lightrag") Mapping m,
                                    @ExchangeProperty("listing") LightragListing listing) {
        List<String> ids = new ArrayList<>();
        if (m.pendingDocId() == null && m.pendingFileName() != null && m.pendingFileName().equals(m.uploadName())) {
            return ids;
        }
        String pending = m.pendingDocId() != null ? m.pendingDocId()
                : listing == null || m.pendingFileName() == null ? null
                : listing.byFileName(m.pendingFileName()).map(Doc::id).orElse(null);
        if (pending != null && !pending.equals(m.docId())) {
            ids.add(pending);
        }
        return ids;
    }

    /** Every LightRAG document of this document: the one served and any on its way. */
    public List<String> allIds(@ExchangeProperty("lightrag") Mapping m,
                               @ExchangeProperty("listing") LightragListing listing) {
        List<String> ids = leftoverIds(m, listing);
        if (m.docId() != null) {
            ids.add(m.docId());
        }
        return ids;
    }

    public List<String> ids(@Body List<Map<String, Object>> rows) {
        return rows.stream().map(r -> (String) r.get("doc_id")).filter(Objects::nonNull).distinct().toList();
    }

    public boolean anyToDelete(@Body List<String> ids) {
        return !ids.isEmpty();
    }

    /** What the deletion did: LightRAG's answer (lightragApi.deletionStarted), or nothing to delete. */
    public String deletedMessage(@Body Object answer) {
        return answer instanceof String said ? said : "LightRAG held no document of it";
    }

    /** The track's document: the one of our file name (a track may hold several). */
    public Doc tracked(@Body List<Doc> docs, @ExchangeProperty("lightrag") Mapping m) {
        return docs.stream().filter(d -> d.filePath().equals(m.pendingFileName())).findFirst()
                .orElse(docs.size() == 1 ? docs.get(0) : null);
    }

    public boolean processed(@ExchangeProperty("tracked") Doc doc) {
        return doc != null && doc.status().equals("processed");
    }

    public boolean failed(@ExchangeProperty("tracked") Doc doc, @ExchangeProperty("lightrag") Mapping m) {
        return doc != null && doc.status().equals("failed") || m.overdue();
    }

    /** LightRAG's LLM or embedding service failed: a persisted retry, as for the local index's embedding provider. */
    public void processingFailed(@ExchangeProperty("tracked") Doc doc, @ExchangeProperty("lightrag") Mapping m) {
        String reason = doc != null && doc.status().equals("failed")
                ? "LightRAG could not process " + m.pendingFileName() + " (" + doc.id() + "): " + doc.errorMsg()
                : "LightRAG did not process " + m.pendingFileName() + " within " + trackTimeoutSeconds + " s (status "
                        + (doc == null ? "not listed" : doc.status()) + ")";
        throw new TargetUnavailableException(reason, 0);
    }

    /** Processed: the previous version, deleted now that its successor is; failed: the failed document itself. */
    public List<String> replacedIds(@ExchangeProperty("tracked") Doc doc, @ExchangeProperty("lightrag") Mapping m) {
        if (doc == null) {
            return m.pendingDocId() == null ? List.of() : List.of(m.pendingDocId());
        }
        if (doc.status().equals("processed")) {
            return m.docId() == null || m.docId().equals(doc.id()) ? List.of() : List.of(m.docId());
        }
        return List.of(doc.id());
    }

    public Map<String, Object> processedRow(@ExchangeProperty("tracked") Doc doc) {
        Map<String, Object> row = new HashMap<>();
        row.put("docId", doc.id());
        row.put("chunkCount", doc.chunksCount());
        row.put("message", processedMessage(doc));
        return row;
    }

    public String processedMessage(@ExchangeProperty("tracked") Doc doc) {
        return "LightRAG document " + doc.id() + " (" + doc.filePath() + ") processed: "
                + (doc.chunksCount() == null ? "?" : doc.chunksCount()) + " chunks";
    }

    /** RAGSync's uploads LightRAG lists that no mapping names: orphans (a dry run only reports them). */
    public Reconciliation reconcile(@ExchangeProperty("listing") LightragListing listing,
                                    @Body List<Map<String, Object>> mapped,
                                    @ExchangeProperty("dryRun") Boolean dryRun) {
        Set<String> known = mapped.stream().flatMap(r -> Stream.of(r.get("doc_id"), r.get("pending_doc_id"),
                r.get("pending_file_name"))).filter(Objects::nonNull).map(Object::toString).collect(Collectors.toSet());
        Set<String> listed = listing.docs().stream().map(Doc::id).collect(Collectors.toSet());
        List<String> orphans = listing.docs().stream().filter(d -> OURS.matcher(d.filePath()).find())
                .filter(d -> !known.contains(d.id()) && !known.contains(d.filePath())).map(Doc::id).toList();
        long missing = mapped.stream().map(r -> (String) r.get("doc_id"))
                .filter(id -> id != null && !listed.contains(id)).count();
        return new Reconciliation("done", dryRun, listing.docs().size(), orphans.size(), orphans, missing);
    }

    /** Per removal to verify: its id, whether overdue, and how many uploads of its document LightRAG still lists. */
    public List<Map<String, Object>> stillListed(LightragListing listing, List<Map<String, Object>> removals) {
        Map<String, Long> listed = listing.docs().stream().map(Doc::filePath).filter(Objects::nonNull)
                .map(OURS::matcher).filter(Matcher::find)
                .collect(Collectors.groupingBy(m -> m.group(1), Collectors.counting()));
        return removals.stream().map(r -> Map.of("id", r.get("id"), "overdue", r.get("overdue"),
                "copies", listed.getOrDefault(String.valueOf(r.get("document_id")), 0L))).toList();
    }

    public List<String> orphanIds(@ExchangeProperty("report") Reconciliation report) {
        return Boolean.FALSE.equals(report.dryRun()) ? report.orphanIds() : List.of();
    }
}

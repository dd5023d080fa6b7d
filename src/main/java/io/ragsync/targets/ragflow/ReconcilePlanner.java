package io.ragsync.targets.ragflow;

import static io.ragsync.targets.ragflow.RagflowRequests.PAGE_SIZE;
import static io.ragsync.targets.ragflow.RagflowRequests.fields;
import static io.ragsync.targets.ragflow.RagflowResponses.column;

import io.ragsync.jobs.DownloadFailedException;
import io.ragsync.platform.storage.StorageFiles;
import io.ragsync.platform.storage.StoredFile;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.apache.camel.Body;
import org.apache.camel.Exchange;
import org.apache.camel.ExchangeProperty;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * Plans reconciliation of one RAGFlow dataset (ragflow-reconcile.camel.yaml): orphans (RAGFlow documents no
 * document_sync row owns, left alone while younger than the grace period without an external id) to delete, missing
 * documents to re-upload, stale ones (size, then XXH3-128 content_hash) to re-sync. Documents with a job queued or
 * running, or that ended failed / download_failed / config_error, are skipped (requeue is the operator's decision).
 */
@Component("reconcilePlanner")
public class ReconcilePlanner {

    private static final Set<String> ENDED_BADLY = Set.of("failed", "download_failed", "config_error");

    private final StorageFiles storage;
    private final long graceMillis;
    private final int maxPages;
    private final int maxDeletePercent;

    public ReconcilePlanner(StorageFiles storage,
                            @Value("${app.reconcile.grace-seconds}") long graceSeconds,
                            @Value("${app.reconcile.max-pages}") int maxPages,
                            @Value("${app.reconcile.max-delete-percent:10}") int maxDeletePercent) {
        this.storage = storage;
        this.graceMillis = graceSeconds * 1000;
        this.maxPages = maxPages;
        this.maxDeletePercent = maxDeletePercent;
    }

    /** Documents by id (RAGFlow's offset paging can repeat an item), and why the listing is incomplete, if it is. */
    public static class Listing extends LinkedHashMap<String, RagflowAnswer.Item> {
        private String incomplete;
    }

    public Listing newListing() {
        return new Listing();
    }

    /** Adds one page; true while another page may follow (a full page, under app.reconcile.max-pages). */
    public boolean addPage(Map<String, RagflowAnswer.Item> listing, int pagesRead, RagflowAnswer page) {
        page.items().forEach(doc -> listing.putIfAbsent(doc.id(), doc));
        boolean full = page.items().size() >= PAGE_SIZE;
        if (full && pagesRead + 1 >= maxPages && listing instanceof Listing l) {
            l.incomplete = "the listing stopped at app.reconcile.max-pages (" + maxPages + ") with pages left";
        }
        return full && pagesRead + 1 < maxPages;
    }

    /** Records that a page of the listing failed (the exception caught): the listing is partial. */
    public void listingFailed(@ExchangeProperty("listing") Listing listing,
                              @ExchangeProperty(Exchange.EXCEPTION_CAUGHT) Exception failure) {
        listing.incomplete = "a page of the dataset listing failed: " + failure.getClass().getSimpleName();
    }

    /** The answer when another run (a reconciliation, an approval of held deletions) holds the reconcile lease. */
    public Map<String, Object> busy() {
        return Map.of("status", "busy", "message",
                "a reconciliation or an approval of held deletions is running; try again when it is done");
    }

    /**
     * The plan from the backend read twice, {@code before} and {@code after} listing RAGFlow: {@code local} the
     * knowledge base's documents with their sync state, {@code mapped} the ids owned. A job that ran meanwhile shows
     * in one of the reads: its new copy is owned or its document busy (never an orphan), and a document whose copy
     * changed is not called missing or stale.
     */
    public Map<String, Object> plan(Map<String, RagflowAnswer.Item> listing, List<Map<String, Object>> local,
                                    List<Map<String, Object>> mapped, List<Map<String, Object>> localAfter,
                                    List<Map<String, Object>> mappedAfter) {
        return plan(listing, local, mapped, localAfter, mappedAfter, System.currentTimeMillis());
    }

    Map<String, Object> plan(Map<String, RagflowAnswer.Item> listing, List<Map<String, Object>> local,
                             List<Map<String, Object>> mapped, List<Map<String, Object>> localAfter,
                             List<Map<String, Object>> mappedAfter, long now) {
        Set<String> owned = new HashSet<>(column(mapped, "ragflow_document_id"));
        owned.addAll(column(mappedAfter, "ragflow_document_id"));
        Map<String, Map<String, Object>> before = byDocument(local);
        Map<String, Map<String, Object>> after = byDocument(localAfter);

        List<Map<String, Object>> orphans = new ArrayList<>();
        for (RagflowAnswer.Item doc : listing.values()) {
            String id = doc.id();
            Object external = doc.externalId();
            Map<String, Object> owner = external == null ? null : after.get(String.valueOf(external));
            boolean ownerBusy = owner != null && (busy(owner) || busy(before.get(String.valueOf(external))));
            // an upload in flight sets meta_fields right after it is answered: young untagged documents are left alone
            boolean young = external == null && doc.createTime() != null && now - doc.createTime() < graceMillis;
            if (owned.contains(id) || young || ownerBusy) {
                continue;
            }
            String reason = external == null ? "no external id (left by a lost or renamed upload)"
                    : owner != null ? "duplicate of document " + external
                    : "external id " + external + " has no current document in this knowledge base";
            orphans.add(fields("id", id, "name", doc.name(), "reason", reason));
        }

        List<Object> missing = new ArrayList<>();
        List<Object> stale = new ArrayList<>();
        for (Map<String, Object> row : local) {
            Object documentId = row.get("document_id");
            Map<String, Object> current = after.get(String.valueOf(documentId));
            if (unsettled(row) || current == null || unsettled(current)
                    || !Objects.equals(row.get("ragflow_document_id"), current.get("ragflow_document_id"))) {
                continue;
            }
            Object ragflowId = row.get("ragflow_document_id");
            RagflowAnswer.Item held = ragflowId == null ? null : listing.get(String.valueOf(ragflowId));
            if (held == null) {
                missing.add(documentId);
            } else if (differs(held, String.valueOf(row.get("file_path")))) {
                stale.add(documentId);
            }
        }
        // every deletion is held back when the view is partial or the orphans exceed app.reconcile.max-delete-percent:
        // an emptied source table must not empty the index
        int listed = listing.size();
        int count = orphans.size();
        String incomplete = listing instanceof Listing l ? l.incomplete : null;
        String reason = null;
        String detail = null;
        if (incomplete != null) {
            reason = "listing-incomplete";
            detail = incomplete;
        } else if (count > 0 && (local.isEmpty() || localAfter.isEmpty())) {
            reason = "source-empty";
            detail = "the knowledge base lists no document while its dataset holds " + listed;
        } else if ((long) count * 100 > (long) maxDeletePercent * listed) {
            reason = "over-limit";
            detail = count + " of " + listed + " documents would be deleted, more than " + maxDeletePercent + " %";
        }
        return fields("listed", listed, "missing", missing, "stale", stale, "orphans", orphans,
                "orphanIds", orphans.stream().map(o -> o.get("id")).toList(), "held", reason != null,
                "holdReason", reason, "holdDetail", detail, "wouldDelete", count,
                "deleteLimit", (long) maxDeletePercent * listed / 100, "maxDeletePercent", maxDeletePercent,
                "listingComplete", incomplete == null);
    }

    /** The orphan batches to delete now: none while the plan is held back. */
    public List<List<Object>> deletable(@Body Map<String, Object> plan) {
        return Boolean.TRUE.equals(plan.get("held")) ? List.of() : batches(ids(plan));
    }

    /** Whether the plan leaves a hold for the operator: held back with orphans to delete. */
    public boolean leavesHold(@Body Map<String, Object> plan) {
        return Boolean.TRUE.equals(plan.get("held")) && !ids(plan).isEmpty();
    }

    @SuppressWarnings("unchecked")
    private static List<Object> ids(Map<String, Object> plan) {
        return (List<Object>) plan.get("orphanIds");
    }

    private boolean differs(RagflowAnswer.Item held, String filePath) {
        StoredFile file;
        try {
            file = storage.resolve(filePath);
        } catch (DownloadFailedException unreadable) {
            return false; // the sync reports unreadable files; reconciliation does not guess
        }
        return held.size() == null || held.size() != file.size() || held.contentHash() != null
                && !held.contentHash().equalsIgnoreCase(ContentHashes.xxh128(file.path()));
    }

    /** The ids split into batches of at most 100 (never an empty batch: an empty ids list deletes everything). */
    public List<List<Object>> batches(List<Object> ids) {
        List<List<Object>> batches = new ArrayList<>();
        for (int i = 0; i < ids.size(); i += PAGE_SIZE) {
            batches.add(new ArrayList<>(ids.subList(i, Math.min(ids.size(), i + PAGE_SIZE))));
        }
        return batches;
    }

    /** The report line of one dataset: the plan (without the internal id list) and what was done. */
    public Map<String, Object> report(@Body Map<String, Object> plan,
                                      @ExchangeProperty("knowledgeBaseId") Object knowledgeBaseId,
                                      @ExchangeProperty("datasetId") String datasetId,
                                      @ExchangeProperty("dryRun") boolean dryRun) {
        Map<String, Object> report = fields("knowledgeBaseId", knowledgeBaseId, "datasetId", datasetId,
                "datasetRecreated", false);
        report.putAll(plan);
        report.remove("orphanIds");
        report.put("applied", !dryRun);
        return report;
    }

    /** The report line of a dataset that RAGFlow no longer has (deleted by hand). */
    public Map<String, Object> lostDatasetReport(Object knowledgeBaseId, String datasetId, boolean dryRun,
                                                 List<Map<String, Object>> enqueued) {
        return fields("knowledgeBaseId", knowledgeBaseId, "datasetId", datasetId, "datasetRecreated", true,
                "reuploaded", dryRun || enqueued == null ? List.of()
                        : enqueued.stream().map(r -> r.get("document_id")).toList(), "applied", !dryRun);
    }

    /** The whole run's answer. */
    public Map<String, Object> summary(@Body List<Map<String, Object>> datasets,
                                       @ExchangeProperty("dryRun") boolean dryRun) {
        List<Map<String, Object>> list = datasets == null ? List.of() : datasets;
        return fields("status", "done", "dryRun", dryRun, "missing", count(list, "missing"),
                "stale", count(list, "stale"), "orphans", count(list, "orphans"),
                "datasetsHeld", list.stream().filter(d -> Boolean.TRUE.equals(d.get("held"))).count(),
                "datasetsRecreated", list.stream().filter(d -> Boolean.TRUE.equals(d.get("datasetRecreated"))).count(),
                "datasets", list);
    }

    private static Map<String, Map<String, Object>> byDocument(List<Map<String, Object>> rows) {
        Map<String, Map<String, Object>> byId = new HashMap<>();
        rows.forEach(r -> byId.put(String.valueOf(r.get("document_id")), r));
        return byId;
    }

    private static boolean busy(Map<String, Object> row) {
        return row != null && Boolean.TRUE.equals(row.get("busy"));
    }

    /** A job is about to change the document, or its last one ended badly (requeue is the operator's call). */
    private static boolean unsettled(Map<String, Object> row) {
        return busy(row) || ENDED_BADLY.contains(String.valueOf(row.get("sync_status")));
    }

    private static int count(List<Map<String, Object>> datasets, String key) {
        return datasets.stream().mapToInt(d -> d.get(key) instanceof List<?> l ? l.size() : 0).sum();
    }

    /** Ids to enqueue: missing then stale; none from a partial listing (its missing documents may be there). */
    @SuppressWarnings("unchecked")
    public List<Object> drifted(@Body Map<String, Object> plan) {
        if (Boolean.FALSE.equals(plan.get("listingComplete"))) {
            return List.of();
        }
        List<Object> ids = new ArrayList<>((List<Object>) plan.get("missing"));
        ids.addAll((List<Object>) plan.get("stale"));
        return ids;
    }
}

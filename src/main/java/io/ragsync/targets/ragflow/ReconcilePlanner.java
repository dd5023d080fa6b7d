package io.ragsync.targets.ragflow;

import io.ragsync.jobs.DownloadFailedException;
import io.ragsync.platform.storage.StorageFiles;
import io.ragsync.platform.storage.StoredFile;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.camel.Body;
import org.apache.camel.Exchange;
import org.apache.camel.ExchangeProperty;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * Compares what one RAGFlow dataset holds with what the backend says it should hold, for reconciliation
 * (routes/targets/ragflow/ragflow-reconcile.camel.yaml):
 * <ul>
 * <li><b>orphans</b> (to delete): RAGFlow documents no document_sync row owns - copies left by lost or renamed
 *     uploads ({@code a(1).txt}, with no external id or a foreign/deleted one) and documents deleted locally;
 *     documents without an external id younger than the grace period are left alone (an upload in flight
 *     sets meta_fields right after it is answered);</li>
 * <li><b>missing</b> (to re-upload): current documents whose RAGFlow document is gone or that never got one;</li>
 * <li><b>stale</b> (to re-sync): RAGFlow's copy differs from the file: size first, then RAGFlow's
 *     {@code content_hash} (XXH3-128) against the file's, computed here.</li>
 * </ul>
 * Documents with a job queued or running are skipped (that job is about to change them), and so are documents
 * that ended failed / download_failed / config_error (re-queuing them every run would loop; requeue is an
 * operator decision).
 */
@Component("reconcilePlanner")
public class ReconcilePlanner {

    static final int PAGE_SIZE = RagflowRequests.PAGE_SIZE;
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

        public String incomplete() {
            return incomplete;
        }
    }

    /** An empty listing to page into. */
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
     * The plan for one dataset. {@code local}: the knowledge base's documents with their sync state (document_id,
     * file_path, ragflow_document_id, sync_status, busy); {@code mapped}: RAGFlow ids document_sync owns in this
     * dataset (any knowledge base).
     */
    public Map<String, Object> plan(Map<String, RagflowAnswer.Item> listing, List<Map<String, Object>> local,
                                    List<Map<String, Object>> mapped) {
        return plan(listing, local, mapped, System.currentTimeMillis());
    }

    Map<String, Object> plan(Map<String, RagflowAnswer.Item> listing, List<Map<String, Object>> local,
                             List<Map<String, Object>> mapped, long now) {
        Set<String> owned = new HashSet<>();
        mapped.forEach(r -> owned.add(String.valueOf(r.get("ragflow_document_id"))));
        Map<String, Map<String, Object>> localById = new LinkedHashMap<>();
        local.forEach(r -> localById.put(String.valueOf(r.get("document_id")), r));

        List<Map<String, Object>> orphans = new ArrayList<>();
        for (RagflowAnswer.Item doc : listing.values()) {
            String id = doc.id();
            if (owned.contains(id)) {
                continue;
            }
            Object external = doc.externalId();
            Map<String, Object> owner = external == null ? null : localById.get(String.valueOf(external));
            if (external == null && doc.createTime() != null && now - doc.createTime() < graceMillis) {
                continue;
            }
            if (owner != null && Boolean.TRUE.equals(owner.get("busy"))) {
                continue;
            }
            String reason = external == null ? "no external id (left by a lost or renamed upload)"
                    : owner != null ? "duplicate of document " + external
                    : "external id " + external + " has no current document in this knowledge base";
            Map<String, Object> orphan = new LinkedHashMap<>();
            orphan.put("id", id);
            orphan.put("name", doc.name());
            orphan.put("reason", reason);
            orphans.add(orphan);
        }

        List<Object> missing = new ArrayList<>();
        List<Object> stale = new ArrayList<>();
        for (Map<String, Object> row : local) {
            if (Boolean.TRUE.equals(row.get("busy")) || ENDED_BADLY.contains(String.valueOf(row.get("sync_status")))) {
                continue;
            }
            Object documentId = row.get("document_id");
            Object ragflowId = row.get("ragflow_document_id");
            RagflowAnswer.Item held = ragflowId == null ? null : listing.get(String.valueOf(ragflowId));
            if (held == null) {
                missing.add(documentId);
            } else if (differs(held, String.valueOf(row.get("file_path")))) {
                stale.add(documentId);
            }
        }
        Map<String, Object> plan = new LinkedHashMap<>();
        plan.put("listed", listing.size());
        plan.put("missing", missing);
        plan.put("stale", stale);
        plan.put("orphans", orphans);
        plan.put("orphanIds", orphans.stream().map(o -> o.get("id")).toList());
        guard(plan, listing, local, orphans.size());
        return plan;
    }

    /**
     * Holds back every deletion when the view is partial (a listing that failed or stopped early, a knowledge
     * base that lists no document while its dataset holds some) or when the orphans exceed
     * app.reconcile.max-delete-percent of the dataset: an emptied source table must not empty the index.
     */
    private void guard(Map<String, Object> plan, Map<String, RagflowAnswer.Item> listing,
                       List<Map<String, Object>> local, int orphans) {
        int listed = listing.size();
        String incomplete = listing instanceof Listing l ? l.incomplete() : null;
        String reason = null;
        String detail = null;
        if (incomplete != null) {
            reason = "listing-incomplete";
            detail = incomplete;
        } else if (orphans > 0 && local.isEmpty()) {
            reason = "source-empty";
            detail = "the knowledge base lists no document while its dataset holds " + listed;
        } else if ((long) orphans * 100 > (long) maxDeletePercent * listed) {
            reason = "over-limit";
            detail = orphans + " of " + listed + " documents would be deleted, more than " + maxDeletePercent + " %";
        }
        plan.put("held", reason != null);
        plan.put("holdReason", reason);
        plan.put("holdDetail", detail);
        plan.put("wouldDelete", orphans);
        plan.put("deleteLimit", (long) maxDeletePercent * listed / 100);
        plan.put("maxDeletePercent", maxDeletePercent);
        plan.put("listingComplete", incomplete == null);
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
        if (held.size() == null || held.size() != file.size()) {
            return true;
        }
        return held.contentHash() != null && !held.contentHash().equalsIgnoreCase(ContentHashes.xxh128(file.path()));
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
        Map<String, Object> report = new LinkedHashMap<>();
        report.put("knowledgeBaseId", knowledgeBaseId);
        report.put("datasetId", datasetId);
        report.put("datasetRecreated", false);
        report.putAll(plan);
        report.remove("orphanIds");
        report.put("applied", !dryRun);
        return report;
    }

    /** The report line of a dataset that RAGFlow no longer has (deleted by hand). */
    public Map<String, Object> lostDatasetReport(Object knowledgeBaseId, String datasetId, boolean dryRun,
                                                 List<Map<String, Object>> enqueued) {
        Map<String, Object> report = new LinkedHashMap<>();
        report.put("knowledgeBaseId", knowledgeBaseId);
        report.put("datasetId", datasetId);
        report.put("datasetRecreated", true);
        report.put("reuploaded", dryRun || enqueued == null ? List.of()
                : enqueued.stream().map(r -> r.get("document_id")).toList());
        report.put("applied", !dryRun);
        return report;
    }

    /** The whole run's answer. */
    public Map<String, Object> summary(@Body List<Map<String, Object>> datasets,
                                       @ExchangeProperty("dryRun") boolean dryRun) {
        Map<String, Object> summary = new LinkedHashMap<>();
        summary.put("status", "done");
        summary.put("dryRun", dryRun);
        List<Map<String, Object>> list = datasets == null ? List.of() : datasets;
        summary.put("missing", count(list, "missing"));
        summary.put("stale", count(list, "stale"));
        summary.put("orphans", count(list, "orphans"));
        summary.put("datasetsHeld", list.stream().filter(d -> Boolean.TRUE.equals(d.get("held"))).count());
        summary.put("datasetsRecreated", list.stream().filter(d -> Boolean.TRUE.equals(d.get("datasetRecreated"))).count());
        summary.put("datasets", list);
        return summary;
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

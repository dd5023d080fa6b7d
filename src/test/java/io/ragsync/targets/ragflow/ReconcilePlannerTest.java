package io.ragsync.targets.ragflow;

import static org.assertj.core.api.Assertions.assertThat;

import io.ragsync.platform.storage.StorageFiles;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What reconciliation decides for one dataset, without Camel. */
class ReconcilePlannerTest {

    private static final long NOW = 1_800_000_000_000L;

    @TempDir
    Path root;

    private ReconcilePlanner planner() {
        return new ReconcilePlanner(new StorageFiles(root.toString()), 600, 3, 10);
    }

    private static RagflowAnswer.Item held(String id, String name, Object externalId, long created, String content) {
        return new RagflowAnswer.Item(id, name, null, null, null, (long) content.length(),
                ContentHashes.xxh128(content.getBytes()), created,
                externalId == null ? Map.of() : Map.of("external_id", String.valueOf(externalId)));
    }

    private static RagflowAnswer page(List<RagflowAnswer.Item> items) {
        return new RagflowAnswer(0, "", items);
    }

    private static Map<String, Object> local(long id, String path, String ragflowId, String status, boolean busy) {
        Map<String, Object> row = new HashMap<>();
        row.put("document_id", id);
        row.put("file_path", path);
        row.put("ragflow_document_id", ragflowId);
        row.put("sync_status", status);
        row.put("busy", busy);
        return row;
    }

    @Test
    @SuppressWarnings("unchecked")
    void classifiesOrphansMissingAndStaleAndLeavesInFlightWorkAlone() throws Exception {
        Files.writeString(root.resolve("same.txt"), "same");
        Files.writeString(root.resolve("changed.txt"), "changed locally");
        Map<String, RagflowAnswer.Item> listing = new LinkedHashMap<>();
        listing.put("r1", held("r1", "same.txt", 1, NOW - 3_600_000, "same"));
        listing.put("r2", held("r2", "changed.txt", 2, NOW - 3_600_000, "old content"));
        listing.put("r3", held("r3", "same(1).txt", null, NOW - 3_600_000, "same"));
        listing.put("r4", held("r4", "young.txt", null, NOW - 1_000, "young"));
        listing.put("r5", held("r5", "dup.txt", 1, NOW - 3_600_000, "same"));
        listing.put("r6", held("r6", "busy(1).txt", 6, NOW - 3_600_000, "x"));
        List<Map<String, Object>> local = List.of(
                local(1, "same.txt", "r1", "indexed", false),
                local(2, "changed.txt", "r2", "indexed", false),
                local(3, "missing.txt", "gone", "indexed", false),
                local(4, "failed.txt", null, "failed", false),
                local(5, "new.txt", null, null, false),
                local(6, "busy.txt", null, "processing", true));
        List<Map<String, Object>> mapped = List.of(Map.of("ragflow_document_id", "r1"), Map.of("ragflow_document_id", "r2"));

        Map<String, Object> plan = planner().plan(listing, local, mapped, local, mapped, NOW);

        assertThat((List<Object>) plan.get("missing")).containsExactly(3L, 5L);
        assertThat((List<Object>) plan.get("stale")).containsExactly(2L);
        assertThat((List<Object>) plan.get("orphanIds")).containsExactly("r3", "r5");
        assertThat((List<Map<String, Object>>) plan.get("orphans")).extracting(o -> o.get("reason"))
                .containsExactly("no external id (left by a lost or renamed upload)", "duplicate of document 1");
    }

    /** Jobs that ran while the dataset was listed: each shows in the read after it and is left alone. */
    @Test
    @SuppressWarnings("unchecked")
    void aJobThatRanDuringTheListingLeavesItsDocumentAlone() {
        Map<String, RagflowAnswer.Item> listing = new LinkedHashMap<>();
        // document 1's job swapped r1 for n1 before its page was listed; document 2's job is uploading n2
        listing.put("n1", held("n1", "one.txt", 1, NOW - 3_600_000, "new"));
        listing.put("n2", held("n2", "two.txt", 2, NOW - 3_600_000, "new"));
        listing.put("r2", held("r2", "two.txt", 2, NOW - 3_600_000, "old"));
        List<Map<String, Object>> before = List.of(
                local(1, "one.txt", "r1", "indexed", false),
                local(2, "two.txt", "r2", "indexed", false));
        List<Map<String, Object>> after = List.of(
                local(1, "one.txt", "n1", "indexed", false),
                local(2, "two.txt", "r2", "processing", true));
        List<Map<String, Object>> mappedBefore = List.of(Map.of("ragflow_document_id", "r1"),
                Map.of("ragflow_document_id", "r2"));
        List<Map<String, Object>> mappedAfter = List.of(Map.of("ragflow_document_id", "n1"),
                Map.of("ragflow_document_id", "r2"));

        Map<String, Object> plan = planner().plan(listing, before, mappedBefore, after, mappedAfter, NOW);

        assertThat((List<Object>) plan.get("orphanIds")).isEmpty();
        assertThat((List<Object>) plan.get("missing")).isEmpty();
        assertThat((List<Object>) plan.get("stale")).isEmpty();
    }

    @Test
    void batchesHoldAtMostOneHundredIdsAndAreNeverEmpty() {
        List<Object> ids = new ArrayList<>(IntStream.range(0, 250).boxed().toList());
        assertThat(planner().batches(ids)).extracting(List::size).containsExactly(100, 100, 50);
        assertThat(planner().batches(List.of())).isEmpty();
    }

    @Test
    void pagingStopsOnAShortPageOrAtTheConfiguredMaximum() {
        ReconcilePlanner planner = planner();
        Map<String, RagflowAnswer.Item> listing = planner.newListing();
        List<RagflowAnswer.Item> page = IntStream.range(0, 100).mapToObj(i -> held("d" + i, "n", null, 0, "")).toList();
        assertThat(planner.addPage(listing, 0, page(page))).isTrue();
        // the same items again (offset paging shifted): de-duplicated by id
        assertThat(planner.addPage(listing, 1, page(page))).isTrue();
        assertThat(listing).hasSize(100);
        assertThat(planner.addPage(listing, 2, page(page))).isFalse();
        assertThat(planner.addPage(listing, 0, page(page.subList(0, 5)))).isFalse();
    }
}

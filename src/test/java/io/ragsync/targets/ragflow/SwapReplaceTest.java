package io.ragsync.targets.ragflow;

import static org.assertj.core.api.Assertions.assertThat;

import io.ragsync.support.HubTestSupport;
import io.ragsync.support.TestFiles;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Zero-downtime replace (routes/targets/ragflow/ragflow-upsert and ragflow-parse, knowledge_base.replace_mode): an
 * update is uploaded beside the searchable version, which leaves only when the new one is parsed; a failed parse
 * keeps it. delete-first stays available per knowledge base.
 */
class SwapReplaceTest extends HubTestSupport {

    @Test
    void duringASlowParseTheDocumentStaysSearchableInOneVersion() {
        long kb = knowledgeBase("Swap");
        long doc = documentWithFile(kb, "Policy", "swap/policy.txt", "version one");
        awaitJob(doc, "indexed");
        String dataset = datasetOf(kb);
        long firstJob = (Long) latestJob(doc).get("id");

        RAGFLOW.parsePollsToFinish(1_000_000);
        TestFiles.write(storageRoot(), "swap/policy.txt", "version two");
        jdbc.update("UPDATE document SET title = 'Policy v2' WHERE id = ?", doc);
        eventually(() -> (Long) latestJob(doc).get("id") > firstJob && "parsing".equals(latestJob(doc).get("phase")));

        List<Map<String, Object>> listed = RAGFLOW.documents(dataset, doc);
        assertThat(listed).hasSize(2);
        assertThat(listed).filteredOn(d -> "DONE".equals(d.get("run"))).singleElement()
                .satisfies(d -> assertThat(RAGFLOW.content((String) d.get("id"))).isEqualTo("version one"));

        RAGFLOW.parsePollsToFinish(1);
        awaitJob(doc, "indexed");
        assertThat(RAGFLOW.documents(dataset, doc)).singleElement().satisfies(d -> {
            assertThat(d.get("run")).isEqualTo("DONE");
            assertThat(RAGFLOW.content((String) d.get("id"))).isEqualTo("version two");
            assertThat(d.get("id")).isEqualTo(documentSync(doc).get("ragflow_document_id"));
        });
        assertThat(documentSync(doc).get("previous_ragflow_document_id")).isNull();
    }

    @Test
    void aFailedParseKeepsThePreviousVersionSearchable() {
        long kb = knowledgeBase("Swap failure");
        long doc = documentWithFile(kb, "Guide", "swap/guide.txt", "the good version");
        awaitJob(doc, "indexed");
        String dataset = datasetOf(kb);
        String good = (String) documentSync(doc).get("ragflow_document_id");

        // the stub fails the parse of a file named parse-fail
        TestFiles.write(storageRoot(), "swap/parse-fail.txt", "a version RAGFlow cannot parse");
        jdbc.update("UPDATE document SET file_path = 'swap/parse-fail.txt' WHERE id = ?", doc);
        Map<String, Object> job = awaitJob(doc, "failed");

        assertThat((String) job.get("last_error")).contains("previous version kept searchable");
        assertThat(RAGFLOW.documents(dataset, doc)).singleElement().satisfies(d -> {
            assertThat(d.get("id")).isEqualTo(good);
            assertThat(d.get("run")).isEqualTo("DONE");
        });
        Map<String, Object> sync = documentSync(doc);
        assertThat(sync.get("ragflow_document_id")).isEqualTo(good);
        assertThat(sync.get("status")).isEqualTo("failed");
        assertThat((String) sync.get("last_error")).contains("previous version kept searchable");
    }

    @Test
    void deleteFirstRemovesTheOldVersionBeforeTheUpload() {
        long kb = knowledgeBase("Delete first");
        jdbc.update("UPDATE knowledge_base SET replace_mode = 'delete-first' WHERE id = ?", kb);
        long doc = documentWithFile(kb, "Notes", "swap/notes.txt", "old notes");
        awaitJob(doc, "indexed");
        String dataset = datasetOf(kb);
        long firstJob = (Long) latestJob(doc).get("id");

        RAGFLOW.parsePollsToFinish(1_000_000);
        TestFiles.write(storageRoot(), "swap/notes.txt", "new notes");
        jdbc.update("UPDATE document SET title = 'Notes v2' WHERE id = ?", doc);
        eventually(() -> (Long) latestJob(doc).get("id") > firstJob && "parsing".equals(latestJob(doc).get("phase")));

        assertThat(RAGFLOW.documents(dataset, doc)).singleElement()
                .satisfies(d -> assertThat(RAGFLOW.content((String) d.get("id"))).isEqualTo("new notes"));
        RAGFLOW.parsePollsToFinish(1);
        awaitJob(doc, "indexed");
    }
}

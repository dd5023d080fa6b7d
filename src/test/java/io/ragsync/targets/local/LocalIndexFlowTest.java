package io.ragsync.targets.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ragsync.support.HubTestSupport;
import io.ragsync.support.IndexFixtures;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

/**
 * routes/targets/local/local-upsert.camel.yaml and local-delete.camel.yaml through the real job queue, with the real
 * all-MiniLM-L6-v2 model, on the suite's PostgreSQL (no pgvector: the real[] small-scale mode).
 */
class LocalIndexFlowTest extends HubTestSupport {

    private int chunkCount(long documentId) {
        return jdbc.queryForObject("SELECT count(*) FROM index_chunk WHERE source_type = 'document' AND source_id = ?",
                Integer.class, String.valueOf(documentId));
    }

    private Map<String, String> embeddingsByHash(long documentId) {
        Map<String, String> out = new java.util.HashMap<>();
        jdbc.query("SELECT content_hash, CAST(embedding AS TEXT) AS e FROM index_chunk WHERE source_id = ?",
                rs -> {
                    out.put(rs.getString(1), rs.getString(2));
                }, String.valueOf(documentId));
        return out;
    }

    @Test
    void textDocumentIsChunkedEmbeddedAndRecordedLikeRagflow() {
        long kb = localKnowledgeBase("handbook");
        String text = String.join("\n\n", IndexFixtures.paragraphs(4, 700));
        long doc = documentWithFile(kb, "Handbook", "kb/handbook.txt", text);

        Map<String, Object> job = awaitJob(doc, "indexed", "failed", "download_failed");
        assertThat(job.get("status")).as("job %s", job).isEqualTo("indexed");
        assertThat(job.get("target")).isEqualTo("local");
        int chunks = chunkCount(doc);
        assertThat(chunks).isGreaterThanOrEqualTo(3);
        assertThat((String) job.get("rag_message")).contains(chunks + " chunk(s)").contains("computed " + chunks)
                .contains("reused 0").contains("small-scale mode");
        Map<String, Object> sync = documentSync(doc);
        assertThat(sync.get("status")).isEqualTo("indexed");
        assertThat(sync.get("chunk_count")).isEqualTo(chunks);
        assertThat(sync.get("content_hash")).isNotNull();
        assertThat(sync.get("synced_at")).isNotNull();
        assertThat(sync.get("last_error")).isNull();
        List<String> events = jdbc.queryForList("SELECT event FROM sync_job_log WHERE job_id = ? ORDER BY id",
                String.class, job.get("id"));
        assertThat(events).contains("enqueued", "indexed");
        Map<String, Object> first = jdbc.queryForMap("SELECT knowledge_base_id, source_type, chunk_index, content,"
                + " CAST(metadata AS TEXT) AS metadata, array_length(embedding, 1) AS dims, embedding_model"
                + " FROM index_chunk WHERE source_id = ? ORDER BY chunk_index LIMIT 1", String.valueOf(doc));
        assertThat(first.get("knowledge_base_id")).isEqualTo(kb);
        assertThat(first.get("source_type")).isEqualTo("document");
        assertThat(first.get("chunk_index")).isEqualTo(0);
        assertThat((String) first.get("content")).startsWith("Section 1 covers invoices");
        assertThat(first.get("dims")).isEqualTo(384);
        assertThat(first.get("embedding_model")).isEqualTo("local:all-minilm-l6-v2");
        assertThat((String) first.get("metadata")).contains("\"title\": \"Handbook\"").contains("\"file_name\": \"handbook.txt\"");
        assertThat(RAGFLOW.datasets()).isEmpty();
        assertThat(RAGFLOW.uploadCount()).isZero();

        JsonNode status = syncStatus(doc);
        assertThat(status.get("status").asText()).isEqualTo("indexed");
        assertThat(status.get("target").asText()).isEqualTo("local");
        assertThat(status.get("chunkCount").asInt()).isEqualTo(chunks);
        assertThat(status.get("progressMessage").asText()).contains(chunks + " chunk(s)");
        assertThat(status.get("ragflow").isNull()).as("no RAGFlow ids for a local document: %s", status).isTrue();
    }

    private JsonNode syncStatus(long documentId) {
        try {
            HttpResponse<String> response = httpGet("/api/documents/" + documentId + "/sync-status");
            assertThat(response.statusCode()).isEqualTo(200);
            return new ObjectMapper().readTree(response.body());
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void changingOneParagraphReembedsOnlyThatPart() {
        long kb = localKnowledgeBase("policies");
        List<String> paragraphs = new ArrayList<>(IndexFixtures.paragraphs(6, 700));
        long doc = documentWithFile(kb, "Policies", "kb/policies.md", String.join("\n\n", paragraphs));
        assertThat(awaitJob(doc, "indexed", "failed").get("status")).isEqualTo("indexed");
        int before = chunkCount(doc);
        Map<String, String> oldEmbeddings = embeddingsByHash(doc);

        // the fourth paragraph is rewritten (about as long as before, as edits usually are)
        paragraphs.set(3, IndexFixtures.paragraphs(12, 700).get(11));
        writeFile("kb/policies.md", String.join("\n\n", paragraphs));
        jdbc.queryForObject("SELECT ragsync_enqueue(?, ?, 'upsert', 'test')", Long.class, doc, kb);
        Map<String, Object> job = awaitJob(doc, "indexed", "failed");
        assertThat(job.get("status")).isEqualTo("indexed");

        int after = chunkCount(doc);
        Map<String, String> newEmbeddings = embeddingsByHash(doc);
        long kept = newEmbeddings.entrySet().stream()
                .filter(e -> e.getValue().equals(oldEmbeddings.get(e.getKey()))).count();
        int computed = after - (int) kept;
        assertThat(computed).as("chunks re-embedded of %s", after).isBetween(1, 2);
        assertThat(kept).isGreaterThanOrEqualTo(before - 2L);
        assertThat((String) job.get("rag_message")).contains("computed " + computed).contains("reused " + kept);
        assertThat(jdbc.queryForObject("SELECT count(*) FROM index_chunk WHERE source_id = ? AND content LIKE '%Section 12 covers password rotation%'",
                Integer.class, String.valueOf(doc))).isPositive();
        assertThat(jdbc.queryForObject("SELECT count(*) FROM index_chunk WHERE source_id = ? AND content LIKE 'Section 4 %'",
                Integer.class, String.valueOf(doc))).isZero();

        // same file again: nothing embedded, chunks kept
        jdbc.queryForObject("SELECT ragsync_enqueue(?, ?, 'upsert', 'test')", Long.class, doc, kb);
        Map<String, Object> again = awaitJob(doc, "indexed", "failed");
        assertThat((String) again.get("rag_message")).startsWith("content and metadata unchanged: " + after + " chunk(s)");
        assertThat(embeddingsByHash(doc)).isEqualTo(newEmbeddings);
    }

    @Test
    void renamedDocumentKeepsItsEmbeddingsAndGetsNewMetadata() {
        long kb = localKnowledgeBase("renames");
        long doc = documentWithFile(kb, "Old title", "kb/r.txt", String.join("\n\n", IndexFixtures.paragraphs(2, 500)));
        awaitJob(doc, "indexed", "failed");
        jdbc.update("UPDATE document SET title = 'New title' WHERE id = ?", doc);
        Map<String, Object> job = awaitJob(doc, "indexed", "failed");
        assertThat((String) job.get("rag_message")).contains("computed 0").contains("reused " + chunkCount(doc));
        assertThat(jdbc.queryForList("SELECT metadata ->> 'title' FROM index_chunk WHERE source_id = ?", String.class,
                String.valueOf(doc))).containsOnly("New title");
    }

    @Test
    void documentsBeyondMaxChunksAreCutAndSaySo() {
        long kb = localKnowledgeBase("long");
        long doc = documentWithFile(kb, "Long", "kb/long.txt", String.join("\n\n", IndexFixtures.paragraphs(130, 800)));
        Map<String, Object> job = awaitJob(doc, "indexed", "truncated", "failed");
        assertThat(job.get("status")).isEqualTo("truncated");
        assertThat((String) job.get("last_error")).contains("max-chunks=100");
        assertThat(documentSync(doc)).containsEntry("status", "truncated");
        assertThat(chunkCount(doc)).isEqualTo(100);
        assertThat((String) job.get("rag_message")).contains("TRUNCATED").contains("max-chunks=100");
        assertThat(documentSync(doc).get("progress_msg").toString()).contains("TRUNCATED");
        assertThat(jdbc.queryForList("SELECT level || ' ' || event FROM sync_job_log WHERE job_id = ?", String.class,
                job.get("id"))).contains("WARN truncated");
    }

    /** A docx whose embedded document Tika cannot read is indexed in part, and says which part is missing. */
    @Test
    void aDocumentWithAnUnreadableEmbeddedDocumentIsTruncatedAndSaysWhich() {
        long kb = localKnowledgeBase("embedded");
        writeBytes("emb/outer.docx", IndexFixtures.docxEmbedding("Minutes of the harbour committee.", "annex.docx",
                IndexFixtures.DOCX, IndexFixtures.notAZip()));
        long doc = document(kb, "outer", "emb/outer.docx");
        Map<String, Object> job = awaitJob(doc, "indexed", "truncated", "failed");
        assertThat(job.get("status")).isEqualTo("truncated");
        assertThat((String) job.get("last_error")).startsWith("1 embedded document(s) could not be read, their text"
                + " is not searchable: annex.docx (");
        assertThat(documentSync(doc)).containsEntry("status", "truncated");
        assertThat(chunkCount(doc)).isPositive();
        assertThat((String) job.get("rag_message")).contains("TRUNCATED: 1 embedded document(s)");
        assertThat(jdbc.queryForList("SELECT level || ' ' || event || ': ' || message FROM sync_job_log WHERE job_id = ?",
                String.class, job.get("id"))).anyMatch(row -> row.startsWith("WARN truncated: 1 embedded document(s)"));
    }

    /**
     * A PDF refused for a stream past the limit fails its job with the reason, and the hub logs no ERROR for it:
     * PDFBox swallows the refusal while opening the file and would log it as an error of its own.
     */
    @Test
    @ExtendWith(OutputCaptureExtension.class)
    void aRefusedPdfFailsItsJobWithoutAnErrorLine(CapturedOutput output) throws Exception {
        long kb = localKnowledgeBase("refused");
        writeBytes("refused/opening.pdf", TextExtractorTest.pdfWithPaddedStream(
                TextExtractorTest.Opening.CATALOG_IN_AN_OBJECT_STREAM, 64 << 20));
        long doc = document(kb, "opening", "refused/opening.pdf");
        Map<String, Object> job = awaitJob(doc, "failed", "indexed");
        assertThat(job.get("status")).isEqualTo("failed");
        assertThat((String) job.get("last_error")).contains("opening.pdf").contains("expands beyond");
        List<String> lines = output.getAll().lines().toList();
        assertThat(lines).as("the hub's own line").anyMatch(line -> line.contains("doc=" + doc + " ")
                && line.contains("outcome=failed") && line.contains("expands beyond"));
        assertThat(lines).noneMatch(line -> line.contains("ERROR") && line.contains("pdfbox"));
    }

    @Test
    void eachFormatIsExtractedAndIndexed() {
        long kb = localKnowledgeBase("formats");
        long txt = documentWithFile(kb, "txt", "f/a.txt", "Plain text about the lighthouse keeper.");
        long md = documentWithFile(kb, "md", "f/b.md", IndexFixtures.markdown("Gardening", "Tomatoes need full sun."));
        long html = documentWithFile(kb, "html", "f/c.html", IndexFixtures.html("Recipes", "Bake the bread for forty minutes."));
        writeBytes("f/d.pdf", IndexFixtures.pdf("Quarterly report of the mining company.", "Copper output rose."));
        long pdf = document(kb, "pdf", "f/d.pdf");
        writeBytes("f/e.docx", IndexFixtures.docx("Meeting minutes of the board.", "The budget was approved."));
        long docx = document(kb, "docx", "f/e.docx");
        Map<Long, String> expected = Map.of(txt, "lighthouse keeper", md, "Tomatoes need full sun", html,
                "Bake the bread for forty minutes", pdf, "Copper output rose", docx, "The budget was approved");
        expected.forEach((doc, phrase) -> {
            assertThat(awaitJob(doc, "indexed", "failed").get("status")).as("doc %s", doc).isEqualTo("indexed");
            String content = String.join(" ", jdbc.queryForList("SELECT content FROM index_chunk WHERE source_id = ?",
                    String.class, String.valueOf(doc)));
            assertThat(content).as("doc %s", doc).contains(phrase);
        });
        String htmlContent = jdbc.queryForObject("SELECT content FROM index_chunk WHERE source_id = ?", String.class,
                String.valueOf(html));
        assertThat(htmlContent).doesNotContain("<p>").doesNotContain("hidden").doesNotContain("color");
        assertThat(jdbc.queryForObject("SELECT metadata ->> 'media_type' FROM index_chunk WHERE source_id = ?",
                String.class, String.valueOf(pdf))).isEqualTo("application/pdf");
    }

    @Test
    void unsupportedBrokenAndMissingFilesEndWithAClearStatus() {
        long kb = localKnowledgeBase("bad");
        writeBytes("bad/blob.bin", new byte[] {0, 1, 2, 3, (byte) 0xff, (byte) 0xfe, 0, 0, 7, 9, 11, 13});
        long blob = document(kb, "blob", "bad/blob.bin");
        writeBytes("bad/broken.pdf", "%PDF-1.7\n1 0 obj <</Type /Catalog broken".getBytes());
        long broken = document(kb, "broken", "bad/broken.pdf");
        long missing = document(kb, "missing", "bad/missing.txt");
        long escape = document(kb, "escape", "../etc/passwd");

        Map<String, Object> blobJob = awaitJob(blob, "failed", "indexed");
        assertThat(blobJob.get("status")).isEqualTo("failed");
        assertThat((String) blobJob.get("last_error")).contains("unsupported file type").contains("blob.bin");
        Map<String, Object> brokenJob = awaitJob(broken, "failed", "indexed");
        assertThat(brokenJob.get("status")).isEqualTo("failed");
        assertThat((String) brokenJob.get("last_error")).contains("broken.pdf");
        // the extractor's own words, not the route's expression or bean name around them
        for (long doc : new long[] {blob, broken}) {
            assertThat(List.of((String) latestJob(doc).get("last_error"), (String) documentSync(doc).get("last_error")))
                    .allSatisfy(text -> assertThat(text).doesNotContain("textExtractor").doesNotContain("${")
                            .doesNotContain("Failed to invoke"));
        }
        assertThat(awaitJob(missing, "download_failed", "failed").get("status")).isEqualTo("download_failed");
        assertThat(awaitJob(escape, "download_failed", "failed").get("status")).isEqualTo("download_failed");
        assertThat(documentSync(blob).get("status")).isEqualTo("failed");
        assertThat((String) documentSync(blob).get("last_error")).contains("unsupported file type");
        assertThat(jdbc.queryForObject("SELECT count(*) FROM sync_dead_letter WHERE document_id = ?", Integer.class,
                broken)).isEqualTo(1);
        assertThat(jdbc.queryForObject("SELECT count(*) FROM index_chunk", Integer.class)).isZero();
    }

    @Test
    void deletingDocumentsAndKnowledgeBasesDeletesTheirChunks() {
        long kb = localKnowledgeBase("to-delete");
        long other = localKnowledgeBase("stays");
        long a = documentWithFile(kb, "A", "d/a.txt", "Alpha document about rivers. " .repeat(40));
        long b = documentWithFile(kb, "B", "d/b.txt", "Beta document about mountains. ".repeat(40));
        long c = documentWithFile(other, "C", "d/c.txt", "Gamma document about deserts. ".repeat(40));
        for (long d : new long[] {a, b, c}) {
            assertThat(awaitJob(d, "indexed", "failed").get("status")).isEqualTo("indexed");
        }
        jdbc.update("DELETE FROM document WHERE id = ?", a);
        Map<String, Object> deleted = awaitJob(a, "deleted", "failed");
        assertThat(deleted.get("status")).isEqualTo("deleted");
        assertThat(deleted.get("target")).isEqualTo("local");
        assertThat((String) deleted.get("rag_message")).contains("chunk(s) removed");
        assertThat(chunkCount(a)).isZero();
        assertThat(documentSync(a).get("status")).isEqualTo("deleted");
        assertThat(chunkCount(b)).isPositive();

        jdbc.update("DELETE FROM knowledge_base WHERE id = ?", kb);
        eventually(() -> jdbc.queryForObject("SELECT count(*) FROM sync_job WHERE op = 'delete_kb' AND status = 'deleted'"
                + " AND target = 'local'", Integer.class) == 1);
        assertThat(jdbc.queryForObject("SELECT count(*) FROM index_chunk WHERE knowledge_base_id = ?", Integer.class, kb))
                .isZero();
        assertThat(jdbc.queryForObject("SELECT count(*) FROM index_source WHERE knowledge_base_id = ?", Integer.class, kb))
                .isZero();
        assertThat(chunkCount(c)).isPositive();
        awaitQuiet();
    }

    @Test
    void theKnowledgeBaseChoosesTheTargetAndTheDefaultAppliesOtherwise() {
        assertThat(jdbc.queryForObject("SELECT value FROM ragsync_setting WHERE key = 'default_target'", String.class))
                .as("a RAGFlow key is configured in the tests").isEqualTo("ragflow");
        long ragflowKb = knowledgeBase("default-target");
        long localKb = localKnowledgeBase("local-target");
        long d1 = documentWithFile(ragflowKb, "R", "t/r.txt", "goes to RAGFlow");
        long d2 = documentWithFile(localKb, "L", "t/l.txt", "stays local");
        assertThat(awaitJob(d1, "indexed", "failed").get("target")).isEqualTo("ragflow");
        assertThat(awaitJob(d2, "indexed", "failed").get("target")).isEqualTo("local");
        assertThat(RAGFLOW.uploadCount()).isEqualTo(1);
        assertThat(chunkCount(d2)).isEqualTo(1);
        assertThat(chunkCount(d1)).isZero();
        // moving a knowledge base: later jobs follow its new target
        jdbc.update("UPDATE knowledge_base SET target = 'local' WHERE id = ?", ragflowKb);
        jdbc.queryForObject("SELECT ragsync_enqueue(?, ?, 'upsert', 'test')", Long.class, d1, ragflowKb);
        Map<String, Object> moved = awaitJob(d1, "indexed", "failed");
        assertThat(moved.get("target")).isEqualTo("local");
        assertThat(chunkCount(d1)).isEqualTo(1);
    }
}

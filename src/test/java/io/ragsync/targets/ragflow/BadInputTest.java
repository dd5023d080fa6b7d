package io.ragsync.targets.ragflow;

import static org.assertj.core.api.Assertions.assertThat;

import io.ragsync.support.HubTestSupport;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Hostile input on the backend path: each document ends with a clear status and a job log line, and the
 * well-behaved document synced alongside is not affected.
 */
class BadInputTest extends HubTestSupport {

    private static final String[] TERMINAL = {"indexed", "failed", "download_failed", "config_error"};

    private Map<String, Object> endsWith(long doc, String status, String logEvent) {
        Map<String, Object> job = awaitJob(doc, TERMINAL);
        assertThat(job.get("status")).as("job of document %s (%s)", doc, job.get("last_error")).isEqualTo(status);
        assertThat(documentSync(doc).get("status")).isEqualTo(status);
        assertThat(jdbc.queryForObject("SELECT count(*) FROM sync_job_log WHERE job_id = ? AND event = ?",
                Integer.class, job.get("id"), logEvent)).isEqualTo(1);
        return job;
    }

    @SuppressWarnings("unchecked")
    private Map<String, Object> ragflowCopy(long doc) {
        String id = (String) documentSync(doc).get("ragflow_document_id");
        return RAGFLOW.allDocuments().stream().filter(d -> d.get("id").equals(id)).findFirst().orElseThrow();
    }

    @Test
    void badFilesEndWithAClearStatusAndDoNotDisturbTheOthers() throws Exception {
        long kb = knowledgeBase("Hostile files");
        long good = documentWithFile(kb, "Good", "hostile/good.txt", "a well-behaved document");
        long empty = documentWithFile(kb, "Empty", "hostile/empty.txt", "");
        Path invalid = writeFile("hostile/latin1.txt", "");
        byte[] notUtf8 = {'c', 'a', 'f', (byte) 0xE9, ' ', (byte) 0xC3, (byte) 0x28, (byte) 0xFF, '\n'};
        Files.write(invalid, notUtf8);
        long invalidUtf8 = document(kb, "Invalid UTF-8", "hostile/latin1.txt");
        long traversal = document(kb, "Traversal", "hostile/../../../etc/passwd");
        Path outside = Files.createTempFile("outside-storage", ".txt");
        Files.writeString(outside, "secret outside the storage root");
        Files.createSymbolicLink(STORAGE.resolve("hostile/escape.txt"), outside);
        long symlink = document(kb, "Symlink", "hostile/escape.txt");
        long control = documentWithFile(kb, "Control", "hostile/bell\u0007tab\tname.txt", "control characters in the name");

        endsWith(good, "indexed", "indexed");
        Map<String, Object> emptyJob = endsWith(empty, "failed", "failed");
        assertThat((String) emptyJob.get("last_error")).contains("the file is empty");
        endsWith(invalidUtf8, "indexed", "indexed");
        assertThat(RAGFLOW.content((String) documentSync(invalidUtf8).get("ragflow_document_id")))
                .isEqualTo(new String(notUtf8, StandardCharsets.UTF_8));
        assertThat(ragflowCopy(invalidUtf8).get("size")).isEqualTo(notUtf8.length);
        assertThat((String) endsWith(traversal, "download_failed", "download_failed").get("last_error"))
                .contains("escapes the storage root");
        assertThat((String) endsWith(symlink, "download_failed", "download_failed").get("last_error"))
                .contains("outside the storage root");
        endsWith(control, "indexed", "indexed");
        assertThat(ragflowCopy(control).get("name")).isEqualTo("belltabname.txt");

        // only the readable, non-empty files reached RAGFlow, once each, and nothing from outside the root
        assertThat(RAGFLOW.uploadCount()).isEqualTo(3);
        assertThat(RAGFLOW.allDocuments()).extracting(d -> RAGFLOW.content((String) d.get("id")))
                .doesNotContain("secret outside the storage root");
        assertThat(ragflowCopy(good).get("run")).isEqualTo("DONE");
    }

    @Test
    @SuppressWarnings("unchecked")
    void longNamesCaseTwinsAndSqlLookingTitlesAreStoredAsTheyAre() throws Exception {
        String longKbName = "Knowledge base " + "with a very long name ".repeat(15);
        long kb = knowledgeBase(longKbName);
        // 250 bytes + ".txt" = 254 bytes, just under Linux's per-name limit (RAGFlow's is 255)
        String longName = "l".repeat(250) + ".txt";
        long accents = documentWithFile(kb, "Accents", "names/café résumé.txt", "non-ASCII name");
        long longFile = documentWithFile(kb, "Long", "names/" + longName, "a long name");
        long upper = documentWithFile(kb, "Upper", "names/Report.txt", "upper case twin");
        long lower = documentWithFile(kb, "Lower", "names/report.txt", "lower case twin");
        String sqlTitle = "Robert'); DROP TABLE document; -- \" OR 1=1 ${header.x} {{app.ragflow.api-key}}";
        long sql = documentWithFile(kb, sqlTitle, "names/sql.txt", "sql-looking title");
        String hugeTitle = "t".repeat(20_000);
        long huge = documentWithFile(kb, hugeTitle, "names/huge-title.txt", "a huge title");

        for (long doc : new long[] {longFile, upper, lower, sql, huge, accents}) {
            endsWith(doc, "indexed", "indexed");
        }
        Map<String, Object> dataset = RAGFLOW.datasets().get(0);
        assertThat((String) dataset.get("name")).hasSizeLessThanOrEqualTo(128).startsWith("Knowledge base with");
        assertThat(ragflowCopy(longFile).get("name")).isEqualTo(longName);
        assertThat(ragflowCopy(accents).get("name")).isEqualTo("café résumé.txt");
        // RAGFlow renames the case twin that arrives second (its duplicate check ignores case; both upload at once,
        // so either may be second); each keeps its own copy and external id
        String upperName = (String) ragflowCopy(upper).get("name");
        String lowerName = (String) ragflowCopy(lower).get("name");
        assertThat(upperName).isIn("Report.txt", "Report(1).txt");
        assertThat(lowerName).isIn("report.txt", "report(1).txt");
        assertThat(upperName.contains("(1)")).as("exactly one twin renamed: %s, %s", upperName, lowerName)
                .isNotEqualTo(lowerName.contains("(1)"));
        assertThat(RAGFLOW.content((String) ragflowCopy(upper).get("id"))).isEqualTo("upper case twin");
        assertThat(RAGFLOW.content((String) ragflowCopy(lower).get("id"))).isEqualTo("lower case twin");
        Map<String, Object> meta = (Map<String, Object>) ragflowCopy(sql).get("meta_fields");
        assertThat(meta).containsEntry("title", sqlTitle).containsEntry("external_id", String.valueOf(sql));
        assertThat(jdbc.queryForObject("SELECT count(*) FROM document", Integer.class)).isEqualTo(6);
        assertThat(((Map<String, Object>) ragflowCopy(huge).get("meta_fields")).get("title")).isEqualTo(hugeTitle);

        // an update of one twin leaves the other alone
        writeFile("names/report.txt", "lower case twin, version 2");
        jdbc.queryForObject("SELECT ragsync_enqueue(?, ?, 'upsert', 'test')", Long.class, lower, kb);
        eventually(() -> "lower case twin, version 2".equals(RAGFLOW.content((String) documentSync(lower).get("ragflow_document_id")))
                && "indexed".equals(documentSync(lower).get("status")));
        assertThat(RAGFLOW.content((String) ragflowCopy(upper).get("id"))).isEqualTo("upper case twin");
        assertThat(RAGFLOW.documents((String) dataset.get("id"))).hasSize(6);
    }

    @Test
    void aFileOverTheSizeLimitFailsWithoutAnUpload() throws Exception {
        long kb = knowledgeBase("Too big");
        Path big = writeFile("big/huge.txt", "");
        try (RandomAccessFile file = new RandomAccessFile(big.toFile(), "rw")) {
            file.setLength(134_217_728L + 1); // sparse: one byte over app.ragflow.max-file-size
        }
        long doc = document(kb, "Huge", "big/huge.txt");
        Map<String, Object> job = endsWith(doc, "failed", "failed");
        assertThat((String) job.get("last_error")).contains("over the limit of 134217728");
        assertThat(RAGFLOW.uploadCount()).isZero();
    }
}

package io.ragsync.sources.drop;

import static org.assertj.core.api.Assertions.assertThat;

import io.ragsync.Application;
import io.ragsync.support.HubTestSupport;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The file drop (routes/sources/drop/file-drop.camel.yaml): files under app.drop.dir (here STORAGE/inbox) become
 * documents of the knowledge base named by their first folder and reach RAGFlow through the spine; content changes
 * re-sync once, touches do nothing, removals delete downstream (file-drop-removal.camel.yaml), half-written files
 * wait, refused files get a reason, and two instances watching the same folder register each file once.
 */
class FileDropFlowTest extends HubTestSupport {

    private static final Path INBOX = STORAGE.resolve("inbox");

    @Test
    void droppedFileIsIndexedInTheKnowledgeBaseOfItsFirstFolder() {
        drop("Handbook/hr/leave.txt", "twenty-five days");

        Map<String, Object> file = awaitDropFile("Handbook/hr/leave.txt", "registered");
        long doc = ((Number) file.get("document_id")).longValue();
        Map<String, Object> job = awaitJob(doc, "indexed");
        assertThat(job.get("source")).isEqualTo("drop");
        assertThat(jobSourcesAndLog(doc)).hasSizeGreaterThan(1).allSatisfy(text -> assertThat(text).contains("drop")
                .doesNotContain("backend"));
        Map<String, Object> document = jdbc.queryForMap("SELECT d.title, d.file_path, k.name FROM document d"
                + " JOIN knowledge_base k ON k.id = d.knowledge_base_id WHERE d.id = ?", doc);
        assertThat(document).containsEntry("title", "leave.txt").containsEntry("file_path", "inbox/Handbook/hr/leave.txt")
                .containsEntry("name", "Handbook");
        List<Map<String, Object>> inRagflow = RAGFLOW.allDocuments();
        assertThat(inRagflow).hasSize(1);
        assertThat(RAGFLOW.content((String) inRagflow.get(0).get("id"))).isEqualTo("twenty-five days");
        assertThat(RAGFLOW.datasets()).extracting(d -> d.get("name")).containsExactly("Handbook");
    }

    @Test
    void replacedFileIsSyncedOnceAndATouchDoesNothing() throws IOException {
        Path file = drop("Policies/travel.md", "# Travel\nsecond class");
        long doc = ((Number) awaitDropFile("Policies/travel.md", "registered").get("document_id")).longValue();
        awaitJob(doc, "indexed");

        // touch: new mtime, same content -> looked at, nothing enqueued
        Timestamp checked = (Timestamp) dropFile("Policies/travel.md").get("checked_at");
        Files.setLastModifiedTime(file, FileTime.from(Instant.now().minusSeconds(3)));
        eventually(() -> ((Timestamp) dropFile("Policies/travel.md").get("checked_at")).after(checked));
        assertThat(jobCount(doc)).isEqualTo(1);

        // replace: new content -> exactly one more job, one more upload, still one document in RAGFlow
        Files.writeString(file, "# Travel\nfirst class", StandardCharsets.UTF_8);
        Files.setLastModifiedTime(file, FileTime.from(Instant.now().minusSeconds(2)));
        eventually(() -> jobCount(doc) == 2);
        awaitJob(doc, "indexed");
        Awaitility.await().during(Duration.ofMillis(1500)).atMost(Duration.ofSeconds(5)).until(() -> jobCount(doc) == 2);
        assertThat(RAGFLOW.uploadCount()).isEqualTo(2);
        List<Map<String, Object>> inRagflow = RAGFLOW.allDocuments();
        assertThat(inRagflow).hasSize(1);
        assertThat(RAGFLOW.content((String) inRagflow.get(0).get("id"))).isEqualTo("# Travel\nfirst class");
        // the shared idempotent repository keeps only the current version of the file
        assertThat(jdbc.queryForList("SELECT messageid FROM ragsync_drop_seen", String.class)).singleElement()
                .asString().startsWith("Policies/travel.md|" + Files.size(file) + "|");
    }

    @Test
    void removedFileIsDeletedDownstream() throws IOException {
        Path file = drop("Archive/old.txt", "to be removed");
        long doc = ((Number) awaitDropFile("Archive/old.txt", "registered").get("document_id")).longValue();
        awaitJob(doc, "indexed");
        assertThat(RAGFLOW.allDocuments()).hasSize(1);

        Files.delete(file);
        Map<String, Object> job = awaitJob(doc, "deleted");
        assertThat(job.get("op")).isEqualTo("delete");
        assertThat(job.get("source")).isEqualTo("drop");
        assertThat(RAGFLOW.allDocuments()).isEmpty();
        assertThat(jdbc.queryForObject("SELECT count(*) FROM document WHERE id = ?", Integer.class, doc)).isZero();
        assertThat(jdbc.queryForObject("SELECT count(*) FROM drop_file", Integer.class)).isZero();

        // dropped again: a new document
        drop("Archive/old.txt", "to be removed");
        long again = ((Number) awaitDropFile("Archive/old.txt", "registered").get("document_id")).longValue();
        assertThat(again).isNotEqualTo(doc);
        awaitJob(again, "indexed");
    }

    @Test
    void fileStillBeingWrittenIsNotTakenEarly() throws Exception {
        Path file = INBOX.resolve("Growing/log.txt");
        Files.createDirectories(file.getParent());
        Files.writeString(file, "line 0\n", StandardCharsets.UTF_8);
        AtomicInteger lines = new AtomicInteger(1);
        ScheduledExecutorService writer = Executors.newSingleThreadScheduledExecutor();
        try {
            // a slow writer: a line every 150 ms, for 2 s; the read lock wants 600 ms without change
            writer.scheduleAtFixedRate(() -> {
                if (lines.get() < 14) {
                    try {
                        Files.writeString(file, "line " + lines.getAndIncrement() + "\n", StandardCharsets.UTF_8,
                                StandardOpenOption.APPEND);
                    } catch (IOException e) {
                        throw new IllegalStateException(e);
                    }
                }
            }, 150, 150, TimeUnit.MILLISECONDS);
            Awaitility.await().during(Duration.ofMillis(1800)).atMost(Duration.ofSeconds(3))
                    .until(() -> jdbc.queryForObject("SELECT count(*) FROM drop_file", Integer.class) == 0);
        } finally {
            Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> lines.get() >= 14);
            writer.shutdownNow();
        }
        long doc = ((Number) awaitDropFile("Growing/log.txt", "registered").get("document_id")).longValue();
        awaitJob(doc, "indexed");
        String expected = Files.readString(file);
        assertThat(expected).contains("line 13");
        assertThat(RAGFLOW.uploadCount()).isEqualTo(1);
        assertThat(RAGFLOW.content((String) RAGFLOW.allDocuments().get(0).get("id"))).isEqualTo(expected);
    }

    /**
     * Names the file consumer cannot open by the path it builds (a backslash, which it reads as a folder separator;
     * bytes that are not UTF-8) are refused with a reason, not skipped without a trace at every poll.
     */
    @Test
    void aNameTheHubCannotOpenIsRefusedWithAReason() throws Exception {
        drop("Names/back\\slash.txt", "a backslash in a Linux file name");
        Process bytes = new ProcessBuilder("sh", "-c", "printf 'latin-1' > \"$(printf 'caf\\351.txt')\"")
                .directory(INBOX.resolve("Names").toFile()).start();
        assertThat(bytes.waitFor()).isZero();
        drop("Names/fine.txt", "fine");

        long doc = ((Number) awaitDropFile("Names/fine.txt", "registered").get("document_id")).longValue();
        awaitJob(doc, "indexed");
        assertThat((String) awaitDropFile("Names/back\\slash.txt", "rejected").get("reason"))
                .contains("cannot be read by its name").contains("backslash");
        eventually(() -> jdbc.queryForObject("SELECT count(*) FROM drop_file WHERE relative_path LIKE 'Names/caf%'"
                + " AND status = 'rejected' AND reason LIKE '%not UTF-8%'", Integer.class) == 1);
        assertThat(jdbc.queryForObject("SELECT count(*) FROM document", Integer.class)).isEqualTo(1);

        // the removal scan keeps them while they are there: a scan that sees a file gone has run meanwhile
        Files.delete(INBOX.resolve("Names/fine.txt"));
        eventually(() -> jdbc.queryForObject("SELECT count(*) FROM drop_file WHERE relative_path = 'Names/fine.txt'",
                Integer.class) == 0);
        assertThat(jdbc.queryForObject("SELECT count(*) FROM drop_file WHERE relative_path LIKE 'Names/%'"
                + " AND status = 'rejected'", Integer.class)).isEqualTo(2);
    }

    /**
     * A linked folder is not walked (a link back up would register one file under ever longer paths): the link gets
     * one refused row, the removal scan keeps it while it is there and forgets it once it is gone.
     */
    @Test
    void aLinkedFolderIsRefusedOnceAndNotWalked() throws IOException {
        drop("Loop/a.txt", "one file");
        Path link = Files.createSymbolicLink(INBOX.resolve("Loop/again"), Path.of("."));

        long doc = ((Number) awaitDropFile("Loop/a.txt", "registered").get("document_id")).longValue();
        awaitJob(doc, "indexed");
        Map<String, Object> refused = awaitDropFile("Loop/again", "rejected");
        assertThat((String) refused.get("reason")).contains("Loop/again").contains("symbolic link");
        assertThat(refused.get("document_id")).isNull();
        Awaitility.await().during(Duration.ofMillis(1500)).atMost(Duration.ofSeconds(5))
                .until(() -> jdbc.queryForObject("SELECT count(*) FROM drop_file", Integer.class) == 2);
        assertThat(jdbc.queryForObject("SELECT count(*) FROM document", Integer.class)).isEqualTo(1);
        assertThat(RAGFLOW.uploadCount()).isEqualTo(1);

        // a scan that sees a file gone has run meanwhile: the refused link is still recorded
        Files.delete(INBOX.resolve("Loop/a.txt"));
        awaitJob(doc, "deleted");
        eventually(() -> jdbc.queryForObject("SELECT count(*) FROM drop_file WHERE relative_path = 'Loop/a.txt'",
                Integer.class) == 0);
        assertThat(dropFile("Loop/again")).containsEntry("status", "rejected");

        Files.delete(link);
        eventually(() -> jdbc.queryForObject("SELECT count(*) FROM drop_file", Integer.class) == 0);
    }

    /**
     * A linked file is refused, wherever it leads: a link to another knowledge base's file (or any file under the
     * storage root) would copy it into this knowledge base past the other one's access roles.
     */
    @Test
    void aLinkedFileIsRefusedAndCopiesNothing() throws IOException {
        drop("Secret/plan.txt", "the secret plan");
        long secret = ((Number) awaitDropFile("Secret/plan.txt", "registered").get("document_id")).longValue();
        awaitJob(secret, "indexed");
        writeFile("hr/salaries.txt", "salaries");
        Files.createDirectories(INBOX.resolve("Public"));
        Files.createSymbolicLink(INBOX.resolve("Public/x.md"), Path.of("../Secret/plan.txt"));
        Files.createSymbolicLink(INBOX.resolve("Public/pay.txt"), Path.of("../../hr/salaries.txt"));

        for (String link : List.of("Public/x.md", "Public/pay.txt")) {
            Map<String, Object> row = awaitDropFile(link, "rejected");
            assertThat((String) row.get("reason")).as(link).contains(link).contains("symbolic link");
            assertThat(row.get("document_id")).as(link).isNull();
        }
        assertThat(jdbc.queryForObject("SELECT count(*) FROM document d JOIN knowledge_base k"
                + " ON k.id = d.knowledge_base_id WHERE k.name = 'Public'", Integer.class)).isZero();
        assertThat(jdbc.queryForObject("SELECT count(*) FROM document", Integer.class)).isEqualTo(1);
        assertThat(RAGFLOW.uploadCount()).isEqualTo(1);
    }

    @Test
    void refusedFilesGetAReasonAndDoNotHoldUpTheOthers() throws IOException {
        drop("Mixed/tool.exe", "MZ binary");
        drop("Mixed/empty.txt", "");
        drop("loose.txt", "no knowledge base folder");
        drop("Mixed/good.txt", "fine");

        long doc = ((Number) awaitDropFile("Mixed/good.txt", "registered").get("document_id")).longValue();
        awaitJob(doc, "indexed");
        assertThat((String) awaitDropFile("Mixed/tool.exe", "rejected").get("reason")).contains("unsupported file type 'exe'");
        assertThat((String) awaitDropFile("Mixed/empty.txt", "rejected").get("reason")).contains("empty");
        assertThat((String) awaitDropFile("loose.txt", "rejected").get("reason")).contains("folder named after its knowledge base");
        assertThat(jdbc.queryForObject("SELECT count(*) FROM document", Integer.class)).isEqualTo(1);
        assertThat(RAGFLOW.uploadCount()).isEqualTo(1);

        // fixed in place: the empty file gets content and is taken
        Path empty = INBOX.resolve("Mixed/empty.txt");
        Files.writeString(empty, "now with content", StandardCharsets.UTF_8);
        Files.setLastModifiedTime(empty, FileTime.from(Instant.now().minusSeconds(3)));
        long fixed = ((Number) awaitDropFile("Mixed/empty.txt", "registered").get("document_id")).longValue();
        awaitJob(fixed, "indexed");
    }

    @Test
    void hiddenAndTemporaryFilesAreSkippedWithAReasonNotSilently() throws IOException {
        drop("Notes/.DS_Store", "finder metadata");
        drop("Notes/.plan.md.swp", "vim swap");
        drop("Notes/~$budget.docx", "office lock");
        drop("Notes/draft.txt~", "editor backup");
        drop("Notes/report.pdf.crdownload", "half a download");
        drop("Notes/tool.exe", "MZ binary");
        drop("Notes/plan.md", "# Plan");

        long doc = ((Number) awaitDropFile("Notes/plan.md", "registered").get("document_id")).longValue();
        awaitJob(doc, "indexed");
        for (String skipped : List.of("Notes/.DS_Store", "Notes/.plan.md.swp", "Notes/~$budget.docx", "Notes/draft.txt~",
                "Notes/report.pdf.crdownload")) {
            Map<String, Object> row = awaitDropFile(skipped, "skipped");
            assertThat((String) row.get("reason")).as(skipped).contains("not synced");
            assertThat(row.get("document_id")).as(skipped).isNull();
        }
        assertThat((String) awaitDropFile("Notes/tool.exe", "rejected").get("reason")).contains("unsupported file type");
        assertThat(jdbc.queryForObject("SELECT count(*) FROM document", Integer.class)).isEqualTo(1);
        assertThat(RAGFLOW.uploadCount()).isEqualTo(1);

        // a temporary file that goes away is forgotten like any other
        Files.delete(INBOX.resolve("Notes/.plan.md.swp"));
        eventually(() -> jdbc.queryForObject("SELECT count(*) FROM drop_file WHERE relative_path = 'Notes/.plan.md.swp'",
                Integer.class) == 0);
    }

    @Test
    void twoInstancesWatchingTheSameFolderRegisterEachFileOnce() {
        Map<String, Object> props = new HashMap<>(testProperties("ragsync_test", "test-instance-2"));
        props.put("server.port", "0");
        props.put("camel.main.name", "ragsync-2");
        props.put("camel.main.jmx-enabled", "false");
        String[] args = props.entrySet().stream().map(e -> "--" + e.getKey() + "=" + e.getValue()).toArray(String[]::new);
        try (ConfigurableApplicationContext second = new SpringApplicationBuilder(Application.class).run(args)) {
            int files = 12;
            for (int i = 0; i < files; i++) {
                drop("Shared/f" + i + ".txt", "shared file " + i);
            }
            Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> jdbc.queryForObject(
                    "SELECT count(*) FROM sync_job WHERE status = 'indexed'", Integer.class) == files);
            Awaitility.await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(5)).until(() ->
                    jdbc.queryForObject("SELECT count(*) FROM sync_job", Integer.class) == files);
            assertThat(jdbc.queryForObject("SELECT count(*) FROM document", Integer.class)).isEqualTo(files);
            assertThat(jdbc.queryForObject("SELECT count(*) FROM knowledge_base", Integer.class)).isEqualTo(1);
            assertThat(RAGFLOW.uploadCount()).isEqualTo(files);
            assertThat(RAGFLOW.allDocuments()).hasSize(files);
        }
    }

    @Test
    void moveModeMovesRegisteredFilesToProcessedAndRefusedOnesToFailedWithTheReason() throws IOException {
        Path movebox = STORAGE.resolve("movebox");
        Map<String, Object> props = new HashMap<>(testProperties("ragsync_test", "test-instance-move"));
        props.put("server.port", "0");
        props.put("camel.main.name", "ragsync-move");
        props.put("camel.main.jmx-enabled", "false");
        props.put("app.drop.mode", "move");
        props.put("app.drop.dir", movebox.toString());
        String[] args = props.entrySet().stream().map(e -> "--" + e.getKey() + "=" + e.getValue()).toArray(String[]::new);
        try (ConfigurableApplicationContext moving = new SpringApplicationBuilder(Application.class).run(args)) {
            Files.createDirectories(movebox.resolve("Moved"));
            Path good = movebox.resolve("Moved/report.txt");
            Path bad = movebox.resolve("Moved/setup.exe");
            Files.writeString(good, "quarterly report", StandardCharsets.UTF_8);
            Files.writeString(bad, "MZ", StandardCharsets.UTF_8);
            Files.setLastModifiedTime(good, FileTime.from(Instant.now().minusSeconds(5)));
            Files.setLastModifiedTime(bad, FileTime.from(Instant.now().minusSeconds(5)));

            Map<String, Object> registered = awaitDropFile("Moved/report.txt", "registered");
            assertThat(registered.get("storage_path")).isEqualTo("movebox/.processed/Moved/report.txt");
            awaitJob(((Number) registered.get("document_id")).longValue(), "indexed");
            assertThat(good).doesNotExist();
            assertThat(movebox.resolve(".processed/Moved/report.txt")).hasContent("quarterly report");
            assertThat(RAGFLOW.content((String) RAGFLOW.allDocuments().get(0).get("id"))).isEqualTo("quarterly report");

            assertThat((String) awaitDropFile("Moved/setup.exe", "rejected").get("reason")).contains("unsupported file type");
            assertThat(bad).doesNotExist();
            assertThat(movebox.resolve(".failed/Moved/setup.exe")).exists();
            assertThat(movebox.resolve(".failed/Moved/setup.exe.reason.txt")).content().contains("unsupported file type 'exe'");
        }
    }

    // ---- helpers -------------------------------------------------------------------------------------------

    /** Writes a file into the drop directory with an mtime in the past, so the read lock takes it at once. */
    private static Path drop(String relativePath, String content) {
        try {
            Path file = INBOX.resolve(relativePath);
            Files.createDirectories(file.getParent());
            Files.writeString(file, content, StandardCharsets.UTF_8);
            Files.setLastModifiedTime(file, FileTime.from(Instant.now().minusSeconds(5)));
            return file;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private Map<String, Object> dropFile(String relativePath) {
        return jdbc.queryForMap("SELECT * FROM drop_file WHERE relative_path = ?", relativePath);
    }

    private Map<String, Object> awaitDropFile(String relativePath, String status) {
        eventually(() -> jdbc.queryForObject("SELECT count(*) FROM drop_file WHERE relative_path = ? AND status = ?",
                Integer.class, relativePath, status) == 1);
        return dropFile(relativePath);
    }

    /** Where each job of the document came from, and what its job log says about it. */
    private List<String> jobSourcesAndLog(long documentId) {
        return jdbc.queryForList("SELECT j.source FROM sync_job j WHERE j.document_id = ? UNION ALL"
                + " SELECT l.message FROM sync_job_log l JOIN sync_job j ON j.id = l.job_id"
                + " WHERE j.document_id = ? AND l.event IN ('enqueued', 'coalesced')", String.class, documentId, documentId);
    }

    private int jobCount(long doc) {
        return jdbc.queryForObject("SELECT count(*) FROM sync_job WHERE document_id = ?", Integer.class, doc);
    }
}

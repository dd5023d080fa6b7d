package io.ragsync.targets.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.ragsync.jobs.PermanentSyncException;
import io.ragsync.jobs.TargetBusyException;
import io.ragsync.platform.storage.StorageFiles;
import io.ragsync.platform.storage.StoredFile;
import io.ragsync.support.IndexFixtures;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.tika.exception.TikaException;
import org.apache.tika.metadata.Metadata;
import org.apache.tika.parser.AutoDetectParser;
import org.apache.tika.parser.ParseContext;
import org.apache.tika.parser.txt.TXTParser;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.util.unit.DataSize;
import org.xml.sax.ContentHandler;
import org.xml.sax.SAXException;
import org.xml.sax.helpers.AttributesImpl;

/** A parser that never ends fails its file after the time limit and holds no job worker; given-up ones are counted. */
class ExtractionTimeLimitTest {

    @TempDir
    Path root;

    /**
     * Reads text as Tika does, but on "stuck" loops writing empty paragraphs (until its handler fails) and on
     * "silent" computes without output (until released; an interrupt, which POI answers by reading every part of a
     * container into memory, is recorded and ignored).
     */
    static final class HangingParser extends TXTParser {
        final CountDownLatch release = new CountDownLatch(1);
        final CountDownLatch ended = new CountDownLatch(1);
        volatile boolean interrupted;

        @Override
        public void parse(InputStream stream, ContentHandler handler, Metadata metadata, ParseContext context)
                throws IOException, SAXException, TikaException {
            byte[] content = stream.readAllBytes();
            String text = new String(content, StandardCharsets.UTF_8);
            try {
                if (text.startsWith("stuck")) {
                    while (release.getCount() > 0) {
                        handler.startElement("", "p", "p", new AttributesImpl());
                        handler.endElement("", "p", "p");
                    }
                } else if (text.startsWith("silent")) {
                    awaitIgnoringInterrupts();
                }
            } finally {
                if (!text.startsWith("plain")) {
                    ended.countDown();
                }
            }
            super.parse(new ByteArrayInputStream(content), handler, metadata, context);
        }

        private void awaitIgnoringInterrupts() {
            while (true) {
                try {
                    release.await();
                    return;
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
        }
    }

    private final HangingParser hanging = new HangingParser();

    @org.junit.jupiter.api.AfterEach
    void release() {
        hanging.release.countDown();
    }

    private TextExtractor extractor(Duration timeout, int maxOverdue) {
        return new TextExtractor(new AutoDetectParser(hanging), 10_000_000, DataSize.ofMegabytes(1),
                TextExtractor.DEFAULT_MAX_PAGE_CHARACTERS, timeout, maxOverdue, TextExtractor.heapShare(1));
    }

    private static Gauge overdueGauge(TextExtractor extractor) {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        extractor.bindTo(registry);
        return registry.get("ragsync.text.extractions.overdue").gauge();
    }

    private StoredFile file(String name, String content) throws IOException {
        Files.writeString(root.resolve(name), content);
        return new StorageFiles(root.toString()).resolve(name);
    }

    @Test
    void aParserStillRunningAfterTheLimitFailsItsFileAndStopsAtItsNextOutput() throws Exception {
        TextExtractor extractor = extractor(Duration.ofMillis(300), 2);
        StoredFile stuck = file("stuck.txt", "stuck in a loop");

        assertTimeoutPreemptively(Duration.ofSeconds(30), () -> assertThatThrownBy(() -> extractor.extract(stuck))
                .isInstanceOf(PermanentSyncException.class)
                .hasMessage("cannot extract text from stuck.txt: the parser had not finished after 300 ms"
                        + " (app.index.extraction.timeout)"));
        assertThat(hanging.ended.await(30, TimeUnit.SECONDS)).as("the given-up parser stopped").isTrue();
        assertThat(extractor.extract(file("plain.txt", "plain words")).text()).isEqualTo("plain words");
    }

    @Test
    void whileGivenUpParsersStillRunNoExtractionStartsAndTheJobWaits() throws Exception {
        TextExtractor extractor = extractor(Duration.ofMillis(300), 1);
        Gauge overdue = overdueGauge(extractor);
        StoredFile plain = file("plain.txt", "plain words");

        assertTimeoutPreemptively(Duration.ofSeconds(30), () -> assertThatThrownBy(
                () -> extractor.extract(file("silent.txt", "silent, computing on")))
                .isInstanceOf(PermanentSyncException.class).hasMessageContaining("had not finished after 300 ms"));
        assertThatThrownBy(() -> extractor.extract(plain))
                .isInstanceOf(TargetBusyException.class)
                .hasMessageStartingWith("1 text extractions past their time limit still run");
        assertThat(overdue.value()).isEqualTo(1);

        hanging.release.countDown();
        Awaitility.await().atMost(Duration.ofSeconds(30)).ignoreExceptions()
                .until(() -> extractor.extract(plain).text().equals("plain words"));
        assertThat(overdue.value()).isZero();
        assertThat(hanging.interrupted).as("the given-up parser's thread was interrupted").isFalse();
    }

    /**
     * A ZIP container's parts are inflated to check their sizes: thousands of parts take long, so the check counts
     * against the time limit, and a given-up check stops at its next read.
     */
    @Test
    void theCheckOfAContainersPartsRunsWithinTheLimitAndStopsWhenGivenUp() throws Exception {
        // 600 parts of 16 MB of zeros: each within the bound (20 times the file), 9.6 GB to inflate together
        assertFailsAtTheLimitAndStops("many.docx",
                TextExtractorTest.withParts(IndexFixtures.docx("One paragraph."), 600, 16));
    }

    /**
     * A page drawing a form 3,000 times that draws a form 3,000 times that strokes a line: PDFBox runs nine million
     * forms, for minutes, without a glyph or any output. The page check before the parse stops at its next
     * operator once given up, and the parse does not start.
     */
    @Test
    void aPdfCheckGivenUpStopsAtItsNextOperator() throws Exception {
        assertFailsAtTheLimitAndStops("forms.pdf", formsDrawingForms(3_000));
    }

    /** The file fails at a limit of 300 ms, and the given-up extraction's thread ends soon after. */
    private void assertFailsAtTheLimitAndStops(String name, byte[] content) throws IOException {
        TextExtractor extractor = new TextExtractor(new AutoDetectParser(), 10_000_000, DataSize.ofMegabytes(1),
                TextExtractor.DEFAULT_MAX_PAGE_CHARACTERS, Duration.ofMillis(300), 2, Long.MAX_VALUE);
        Gauge overdue = overdueGauge(extractor);
        Files.write(root.resolve(name), content);
        StoredFile file = new StorageFiles(root.toString()).resolve(name);

        assertTimeoutPreemptively(Duration.ofSeconds(3), () -> assertThatThrownBy(() -> extractor.extract(file))
                .isInstanceOf(PermanentSyncException.class).hasMessageContaining("had not finished after 300 ms"));
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> overdue.value() == 0);
    }

    private static byte[] formsDrawingForms(int times) throws IOException {
        try (org.apache.pdfbox.pdmodel.PDDocument pdf = new org.apache.pdfbox.pdmodel.PDDocument()) {
            org.apache.pdfbox.pdmodel.common.PDRectangle box = new org.apache.pdfbox.pdmodel.common.PDRectangle(10, 10);
            var line = new org.apache.pdfbox.pdmodel.graphics.form.PDFormXObject(pdf);
            line.setBBox(box);
            try (var out = line.getContentStream().createOutputStream()) {
                out.write("0 0 m 1 1 l S\n".getBytes(StandardCharsets.US_ASCII));
            }
            var lines = new org.apache.pdfbox.pdmodel.graphics.form.PDFormXObject(pdf);
            lines.setBBox(box);
            lines.setResources(new org.apache.pdfbox.pdmodel.PDResources());
            lines.getResources().put(org.apache.pdfbox.cos.COSName.getPDFName("L"), line);
            try (var out = lines.getContentStream().createOutputStream()) {
                out.write("/L Do\n".repeat(times).getBytes(StandardCharsets.US_ASCII));
            }
            org.apache.pdfbox.pdmodel.PDPage page = new org.apache.pdfbox.pdmodel.PDPage(box);
            page.setResources(new org.apache.pdfbox.pdmodel.PDResources());
            page.getResources().put(org.apache.pdfbox.cos.COSName.getPDFName("F"), lines);
            var content = new org.apache.pdfbox.pdmodel.common.PDStream(pdf);
            try (var out = content.createOutputStream()) {
                out.write("/F Do\n".repeat(times).getBytes(StandardCharsets.US_ASCII));
            }
            page.setContents(content);
            pdf.addPage(page);
            java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
            pdf.save(bytes);
            return bytes.toByteArray();
        }
    }
}

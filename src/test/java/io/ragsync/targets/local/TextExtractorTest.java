package io.ragsync.targets.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ragsync.jobs.PermanentSyncException;
import io.ragsync.platform.storage.StorageFiles;
import io.ragsync.platform.storage.StoredFile;
import io.ragsync.support.IndexFixtures;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.util.unit.DataSize;

/** Text of each supported format from fixtures generated here; clear failures for the rest. */
class TextExtractorTest {

    @TempDir
    Path root;


    private final TextExtractor extractor = new TextExtractor(10_000_000, DataSize.ofMegabytes(1));

    private StoredFile file(String name, byte[] content) throws Exception {
        Files.write(root.resolve(name), content);
        return new StorageFiles(root.toString()).resolve(name);
    }

    private StoredFile file(String name, String content) throws Exception {
        return file(name, content.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void extractsEachFormat() throws Exception {
        assertThat(extractor.extract(file("a.txt", "Grüße aus Köln.\n\nZweiter Absatz.")).text())
                .isEqualTo("Grüße aus Köln.\n\nZweiter Absatz.");
        TextExtractor.Extracted md = extractor.extract(file("b.md", IndexFixtures.markdown("Title", "Body *text*.")));
        assertThat(md.text()).contains("# Title").contains("Body *text*.");
        TextExtractor.Extracted html = extractor.extract(file("c.html", IndexFixtures.html("Page", "Visible words.")));
        assertThat(html.text()).contains("Visible words.").doesNotContain("<p>").doesNotContain("script text");
        assertThat(html.mediaType()).isEqualTo("text/html");
        TextExtractor.Extracted pdf = extractor.extract(file("d.pdf", IndexFixtures.pdf("First line.", "Second line.")));
        assertThat(pdf.text()).contains("First line.").contains("Second line.");
        assertThat(pdf.mediaType()).isEqualTo("application/pdf");
        TextExtractor.Extracted docx = extractor.extract(file("e.docx", IndexFixtures.docx("One.", "Two.")));
        assertThat(docx.text()).contains("One.").contains("Two.");
        assertThat(docx.mediaType()).contains("wordprocessingml");
        assertThat(extractor.extract(file("f.csv", "a,b\n1,2\n")).text()).contains("1,2");
    }

    @Test
    void unsupportedBrokenAndEmptyFilesFailWithAReason() throws Exception {
        StoredFile blob = file("x.bin", new byte[] {0, 1, 2, 3, (byte) 0xff, 0, 0, 9});
        assertThatThrownBy(() -> extractor.extract(blob)).isInstanceOf(PermanentSyncException.class)
                .hasMessageContaining("unsupported file type").hasMessageContaining("x.bin");
        StoredFile broken = file("y.pdf", "%PDF-1.7\n1 0 obj <</Type /Catalog".getBytes(StandardCharsets.US_ASCII));
        assertThatThrownBy(() -> extractor.extract(broken)).isInstanceOf(PermanentSyncException.class)
                .hasMessageContaining("y.pdf");
        StoredFile brokenDocx = file("z.docx", IndexFixtures.notAZip());
        assertThatThrownBy(() -> extractor.extract(brokenDocx)).isInstanceOf(PermanentSyncException.class)
                .hasMessageContaining("z.docx");
        // a docx without its document part: the parser's own words, not Tika's wrapper naming a parser instance
        java.io.ByteArrayOutputStream partial = new java.io.ByteArrayOutputStream();
        try (java.util.zip.ZipInputStream in = new java.util.zip.ZipInputStream(
                new java.io.ByteArrayInputStream(IndexFixtures.docx("One.")));
             java.util.zip.ZipOutputStream out = new java.util.zip.ZipOutputStream(partial)) {
            for (java.util.zip.ZipEntry e = in.getNextEntry(); e != null; e = in.getNextEntry()) {
                if (e.getName().equals("[Content_Types].xml")) {
                    out.putNextEntry(new java.util.zip.ZipEntry(e.getName()));
                    in.transferTo(out);
                    out.closeEntry();
                }
            }
        }
        StoredFile cut = file("cut.docx", partial.toByteArray());
        assertThatThrownBy(() -> extractor.extract(cut)).isInstanceOf(PermanentSyncException.class)
                .hasMessageContaining("cut.docx").message().doesNotContain("TIKA-").doesNotContain("org.apache");
        StoredFile empty = file("e.txt", "   \n  ");
        assertThatThrownBy(() -> extractor.extract(empty)).isInstanceOf(PermanentSyncException.class)
                .hasMessageContaining("no text found");
    }

    /**
     * A few kilobytes that expand to megabytes of markup (a zip bomb: a parser holds a run's text in memory, and a
     * 400 MB one ended the hub with OutOfMemoryError) are refused before parsing; a big part that does not
     * compress (a picture) is not.
     */
    @Test
    void aPartThatExpandsFarBeyondTheFileIsRefusedBeforeParsing() throws Exception {
        byte[] docx = IndexFixtures.docx("A short paragraph.");
        StoredFile bomb = file("bomb.docx", withPart(docx, "word/document.xml", TextExtractorTest::twoMegabyteRun));
        assertThat(Files.size(bomb.path())).isLessThan(64 * 1024);
        assertThatThrownBy(() -> extractor.extract(bomb)).isInstanceOf(PermanentSyncException.class)
                .hasMessageContaining("bomb.docx").hasMessageContaining("word/document.xml")
                .hasMessageContaining("expands beyond 1 MB");

        assertThat(extractor.extract(illustrated(2)).text()).contains("A short paragraph.");
    }

    /** A docx document part of one run of 2 MB of one letter: some kilobytes deflated. */
    private static void twoMegabyteRun(java.io.OutputStream out) throws java.io.IOException {
        out.write(("<?xml version=\"1.0\" encoding=\"UTF-8\"?><w:document xmlns:w=\"http://schemas"
                + ".openxmlformats.org/wordprocessingml/2006/main\"><w:body><w:p><w:r><w:t>").getBytes(StandardCharsets.UTF_8));
        byte[] letters = "b".repeat(64 * 1024).getBytes(StandardCharsets.US_ASCII);
        for (int i = 0; i < 32; i++) {
            out.write(letters);
        }
        out.write("</w:t></w:r></w:p></w:body></w:document>".getBytes(StandardCharsets.UTF_8));
    }

    /** A docx of one paragraph and a picture of {@code mebibytes} random bytes: a part about as big as the file. */
    private StoredFile illustrated(int mebibytes) throws Exception {
        byte[] picture = new byte[mebibytes * 1024 * 1024];
        new java.util.Random(7).nextBytes(picture);
        java.io.ByteArrayOutputStream withPicture = new java.io.ByteArrayOutputStream();
        try (org.apache.poi.xwpf.usermodel.XWPFDocument doc = new org.apache.poi.xwpf.usermodel.XWPFDocument()) {
            doc.createParagraph().createRun().setText("A short paragraph.");
            doc.addPictureData(picture, org.apache.poi.xwpf.usermodel.Document.PICTURE_TYPE_PNG);
            doc.write(withPicture);
        }
        return file("illustrated.docx", withPicture.toByteArray());
    }

    /**
     * Twenty times a file of megabytes is more than a small heap can hold for each worker: a part within that but
     * beyond the extraction's share of the heap is refused (the share is the heap over four times the workers).
     */
    @Test
    void aPartWithinTwentyTimesTheFileButBeyondTheHeapShareIsRefused() throws Exception {
        StoredFile illustrated = illustrated(4);
        assertThat(extractor.extract(illustrated).text()).contains("A short paragraph.");

        TextExtractor smallHeap = new TextExtractor(new org.apache.tika.parser.AutoDetectParser(), 10_000_000,
                DataSize.ofMegabytes(1), TextExtractor.DEFAULT_MAX_PAGE_CHARACTERS, TextExtractor.DEFAULT_TIMEOUT,
                TextExtractor.DEFAULT_MAX_OVERDUE, 3 * 1024 * 1024);
        assertThatThrownBy(() -> smallHeap.extract(illustrated)).isInstanceOf(PermanentSyncException.class)
                .hasMessageContaining("illustrated.docx").hasMessageContaining("word/media/")
                .hasMessageContaining("expands beyond 3 MB");
    }

    /**
     * POI reads a container whose ZIP directory it cannot read part after part, holding every part in memory: there
     * the parts together are bounded, not each alone (before, such a file skipped the check, and parts of some
     * megabytes each, of a file of kilobytes, were all held at once).
     */
    @Test
    void aContainerWithAnUnreadableDirectoryIsBoundedByItsPartsTogether() throws Exception {
        TextExtractor fourMegabytes = new TextExtractor(10_000_000, DataSize.ofMegabytes(4));
        byte[] docx = withParts(IndexFixtures.docx("A short paragraph."), 4, 3);
        assertThat(fourMegabytes.extract(file("intact.docx", docx)).text()).contains("A short paragraph.");

        StoredFile broken = file("broken.docx", withoutDirectoryEnd(docx));
        long before = allocatedByExtraction();
        assertThatThrownBy(() -> fourMegabytes.extract(broken)).isInstanceOf(PermanentSyncException.class)
                .hasMessageContaining("broken.docx: its parts up to word/filler1.xml, held in memory together since"
                        + " its ZIP directory is unreadable, expand beyond 4 MB");
        assertThat(allocatedByExtraction() - before).isLessThan(6 * 1024 * 1024);
    }

    /**
     * A part whose data is broken, in a container whose directory is sound: POI reads parts as the parser asks for
     * them, so the file is left to the parser (which never reads this one), not taken for one read part after part.
     */
    @Test
    void aBrokenPartInASoundContainerIsLeftToTheParser() throws Exception {
        TextExtractor fourMegabytes = new TextExtractor(10_000_000, DataSize.ofMegabytes(4));
        byte[] docx = withParts(IndexFixtures.docx("A short paragraph."), 2, 3);
        byte[] garbage = new byte[4096];
        new java.util.Random(3).nextBytes(garbage);
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        try (org.apache.commons.compress.archivers.zip.ZipArchiveOutputStream out =
                     new org.apache.commons.compress.archivers.zip.ZipArchiveOutputStream(bytes);
             org.apache.commons.compress.archivers.zip.ZipFile in = org.apache.commons.compress.archivers.zip.ZipFile
                     .builder().setByteArray(docx).get()) {
            in.copyRawEntries(out, entry -> true);
            var broken = new org.apache.commons.compress.archivers.zip.ZipArchiveEntry("word/zbroken.xml");
            broken.setMethod(java.util.zip.ZipEntry.DEFLATED);
            broken.setSize(1024 * 1024);
            broken.setCompressedSize(garbage.length);
            broken.setCrc(0);
            out.addRawArchiveEntry(broken, new java.io.ByteArrayInputStream(garbage));
        }
        assertThat(fourMegabytes.extract(file("sound.docx", bytes.toByteArray())).text())
                .contains("A short paragraph.");
    }

    /**
     * A ZIP directory listing more entries than POI opens (Tika lets it open 10,000) is refused before Tika's detector
     * reads it, which holds every entry, some hundred bytes each; inside a docx too.
     */
    @Test
    void aZipDirectoryListingMoreEntriesThanPoiOpensIsRefusedBeforeItIsRead() throws Exception {
        StoredFile crowded = file("crowded.docx", emptyEntries(100_000));
        long before = allocatedByExtraction();
        assertThatThrownBy(() -> extractor.extract(crowded)).isInstanceOf(PermanentSyncException.class)
                .hasMessage("cannot extract text from crowded.docx: its ZIP directory lists more than 10000 entries,"
                        + " more than the Office parsers open");
        assertThat(allocatedByExtraction() - before).isLessThan(8 * 1024 * 1024);
        assertThatThrownBy(() -> extractor.checkAcceptable(crowded)).isInstanceOf(PermanentSyncException.class)
                .hasMessageContaining("more than 10000 entries");

        StoredFile outer = file("outer.docx", IndexFixtures.docxEmbedding("Outer text.", "inner.docx", IndexFixtures.DOCX,
                emptyEntries(10_001)));
        assertThatThrownBy(() -> extractor.extract(outer)).isInstanceOf(PermanentSyncException.class)
                .hasMessageContaining("outer.docx: its ZIP directory of the embedded inner.docx lists more than 10000");
        assertThat(extractor.extract(file("few.docx", emptyEntriesAnd(IndexFixtures.docx("Few parts."), 9_000)))
                .text()).contains("Few parts.");
    }

    private static byte[] emptyEntries(int count) throws Exception {
        return emptyEntriesAnd(null, count);
    }

    /** The zip (or a new one) with {@code count} more entries, each empty and stored. */
    private static byte[] emptyEntriesAnd(byte[] zip, int count) throws Exception {
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        try (org.apache.commons.compress.archivers.zip.ZipArchiveOutputStream out =
                     new org.apache.commons.compress.archivers.zip.ZipArchiveOutputStream(bytes)) {
            if (zip != null) {
                try (var in = org.apache.commons.compress.archivers.zip.ZipFile.builder().setByteArray(zip).get()) {
                    in.copyRawEntries(out, entry -> true);
                }
            }
            for (int i = 0; i < count; i++) {
                var entry = new org.apache.commons.compress.archivers.zip.ZipArchiveEntry("word/empty" + i + ".xml");
                entry.setMethod(java.util.zip.ZipEntry.STORED);
                entry.setSize(0);
                entry.setCrc(0);
                out.putArchiveEntry(entry);
                out.closeArchiveEntry();
            }
        }
        return bytes.toByteArray();
    }

    /** The zip with its end-of-central-directory record's signature spoilt: readable only part after part. */
    private static byte[] withoutDirectoryEnd(byte[] zip) {
        byte[] broken = zip.clone();
        for (int i = broken.length - 22; i >= 0; i--) {
            if (broken[i] == 'P' && broken[i + 1] == 'K' && broken[i + 2] == 5 && broken[i + 3] == 6) {
                broken[i + 2] = 9;
                return broken;
            }
        }
        throw new IllegalArgumentException("no end of central directory record");
    }

    /** The docx with {@code count} parts (referenced by nothing) of {@code mebibytes} of zeros, deflated once. */
    static byte[] withParts(byte[] docx, int count, int mebibytes) throws Exception {
        byte[] zeros = new byte[1024 * 1024];
        java.util.zip.CRC32 crc = new java.util.zip.CRC32();
        java.io.ByteArrayOutputStream deflated = new java.io.ByteArrayOutputStream();
        java.util.zip.Deflater deflater = new java.util.zip.Deflater(java.util.zip.Deflater.BEST_COMPRESSION, true);
        try (java.util.zip.DeflaterOutputStream out = new java.util.zip.DeflaterOutputStream(deflated, deflater)) {
            for (int i = 0; i < mebibytes; i++) {
                out.write(zeros);
                crc.update(zeros);
            }
        } finally {
            deflater.end();
        }
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        try (java.util.zip.ZipInputStream in = new java.util.zip.ZipInputStream(new java.io.ByteArrayInputStream(docx));
             org.apache.commons.compress.archivers.zip.ZipArchiveOutputStream out =
                     new org.apache.commons.compress.archivers.zip.ZipArchiveOutputStream(bytes)) {
            for (java.util.zip.ZipEntry e = in.getNextEntry(); e != null; e = in.getNextEntry()) {
                out.putArchiveEntry(new org.apache.commons.compress.archivers.zip.ZipArchiveEntry(e.getName()));
                in.transferTo(out);
                out.closeArchiveEntry();
            }
            for (int i = 0; i < count; i++) {
                var part = new org.apache.commons.compress.archivers.zip.ZipArchiveEntry("word/filler" + i + ".xml");
                part.setMethod(java.util.zip.ZipEntry.DEFLATED);
                part.setSize((long) mebibytes * zeros.length);
                part.setCompressedSize(deflated.size());
                part.setCrc(crc.getValue());
                out.addRawArchiveEntry(part, new java.io.ByteArrayInputStream(deflated.toByteArray()));
            }
        }
        return bytes.toByteArray();
    }

    /** The same for a PDF whose page content is a small Flate stream of megabytes. */
    @Test
    void aPdfStreamThatExpandsFarBeyondTheFileIsRefusedBeforeParsing() throws Exception {
        byte[] pdf = onePageShowing("the same words again and again and again".repeat(50_000));
        StoredFile bomb = file("bomb.pdf", pdf);
        assertThat(Files.size(bomb.path())).isLessThan(64 * 1024);
        assertThatThrownBy(() -> extractor.extract(bomb)).isInstanceOf(PermanentSyncException.class)
                .hasMessageContaining("bomb.pdf").hasMessageContaining("stream").hasMessageContaining("expands beyond 1 MB");
    }

    /**
     * A page whose content PDFBox decodes whole (several streams, or filters after one another) is stopped at the
     * limit, also when the expanding filter is not the first (ASCIIHex, then Flate) and behind streams that fail.
     */
    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(booleans = {true, false})
    void aPdfStreamBehindAnotherFilterOrBrokenStreamsIsRefusedToo(boolean hexFirst) throws Exception {
        java.io.ByteArrayOutputStream pdf = new java.io.ByteArrayOutputStream();
        try (org.apache.pdfbox.pdmodel.PDDocument doc = new org.apache.pdfbox.pdmodel.PDDocument()) {
            org.apache.pdfbox.pdmodel.PDPage page = new org.apache.pdfbox.pdmodel.PDPage();
            doc.addPage(page);
            java.util.List<org.apache.pdfbox.pdmodel.common.PDStream> contents = new java.util.ArrayList<>();
            for (int i = 0; i < 20; i++) {
                contents.add(stream(doc, "not deflated at all".getBytes(StandardCharsets.US_ASCII),
                        org.apache.pdfbox.cos.COSName.FLATE_DECODE));
            }
            java.io.ByteArrayOutputStream deflated = new java.io.ByteArrayOutputStream();
            try (java.util.zip.DeflaterOutputStream out = new java.util.zip.DeflaterOutputStream(deflated)) {
                out.write("BT /F1 12 Tf 72 700 Td ".getBytes(StandardCharsets.US_ASCII));
                byte[] line = "(the same words again and again) Tj ".getBytes(StandardCharsets.US_ASCII);
                for (int i = 0; i < 100_000; i++) {
                    out.write(line);
                }
                out.write("ET".getBytes(StandardCharsets.US_ASCII));
            }
            contents.add(hexFirst ? stream(doc, org.apache.commons.codec.binary.Hex.encodeHexString(
                    deflated.toByteArray()).concat(">").getBytes(StandardCharsets.US_ASCII),
                    org.apache.pdfbox.cos.COSName.ASCII_HEX_DECODE, org.apache.pdfbox.cos.COSName.FLATE_DECODE)
                    : stream(doc, deflated.toByteArray(), org.apache.pdfbox.cos.COSName.FLATE_DECODE));
            page.setContents(contents);
            doc.save(pdf);
        }
        StoredFile bomb = file("hex-bomb.pdf", pdf.toByteArray());
        assertThat(Files.size(bomb.path())).isLessThan(64 * 1024);
        assertThatThrownBy(() -> extractor.extract(bomb)).isInstanceOf(PermanentSyncException.class)
                .hasMessageContaining("hex-bomb.pdf").hasMessageContaining("expands beyond 1 MB");
    }

    /** LZW expands up to some thousand times, as PDFBox decodes it whole too. */
    @Test
    void anLzwPdfStreamThatExpandsFarBeyondTheFileIsRefused() throws Exception {
        java.io.ByteArrayOutputStream lzw = new java.io.ByteArrayOutputStream();
        org.apache.pdfbox.filter.FilterFactory.INSTANCE.getFilter(org.apache.pdfbox.cos.COSName.LZW_DECODE).encode(
                new java.io.ByteArrayInputStream(("BT /F1 12 Tf 72 700 Td " + "(again) Tj ".repeat(300_000) + "ET")
                        .getBytes(StandardCharsets.US_ASCII)), lzw, new org.apache.pdfbox.cos.COSDictionary(), 0);
        java.io.ByteArrayOutputStream pdf = new java.io.ByteArrayOutputStream();
        try (org.apache.pdfbox.pdmodel.PDDocument doc = new org.apache.pdfbox.pdmodel.PDDocument()) {
            org.apache.pdfbox.pdmodel.PDPage page = new org.apache.pdfbox.pdmodel.PDPage();
            doc.addPage(page);
            page.setContents(stream(doc, lzw.toByteArray(), org.apache.pdfbox.cos.COSName.LZW_DECODE));
            doc.save(pdf);
        }
        StoredFile bomb = file("lzw-bomb.pdf", pdf.toByteArray());
        assertThat(Files.size(bomb.path()) * 20).isLessThan(1024 * 1024);
        assertThatThrownBy(() -> extractor.extract(bomb)).isInstanceOf(PermanentSyncException.class)
                .hasMessageContaining("lzw-bomb.pdf").hasMessageContaining("expands beyond 1 MB");
    }

    /**
     * A few kilobytes of tables nested 50,000 deep overflow the parser's stack: the same file fails the same way on
     * every try, so it fails for good at once with the reason, instead of eight retries that each parse it again.
     */
    @Test
    void aDocumentNestedTooDeeplyForTheParserFailsForGood() throws Exception {
        int depth = 50_000;
        StoredFile deep = file("deep.docx", withPart(IndexFixtures.docx("One."), "word/document.xml", out -> {
            out.write(("<w:document xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\"><w:body>"
                    + "<w:tbl><w:tr><w:tc>".repeat(depth) + "<w:p><w:r><w:t>deep</w:t></w:r></w:p>"
                    + "</w:tc></w:tr></w:tbl>".repeat(depth) + "</w:body></w:document>")
                    .getBytes(StandardCharsets.UTF_8));
        }));
        assertThat(Files.size(deep.path())).isLessThan(64 * 1024);
        TextExtractor parts32Mb = new TextExtractor(10_000_000, DataSize.ofMegabytes(32)); // 2 MB of markup
        assertThatThrownBy(() -> parts32Mb.extract(deep)).isInstanceOf(PermanentSyncException.class)
                .hasMessageContaining("deep.docx").hasMessageContaining("nested too deeply");
    }

    /**
     * A page whose content is one Flate stream, which PDFBox streams to its parser past its filters: one string of
     * 128 MB in it would be held whole as one token. The stream is stopped at the limit like the others.
     */
    @Test
    void aPageStreamHoldingOneHugeStringIsStoppedAtTheLimit() throws Exception {
        int inflated = 128 << 20;
        java.io.ByteArrayOutputStream deflated = new java.io.ByteArrayOutputStream();
        try (java.util.zip.DeflaterOutputStream out = new java.util.zip.DeflaterOutputStream(deflated,
                new java.util.zip.Deflater(java.util.zip.Deflater.BEST_COMPRESSION))) {
            out.write("BT /F1 12 Tf 72 700 Td (".getBytes(StandardCharsets.US_ASCII));
            byte[] letters = "A".repeat(64 * 1024).getBytes(StandardCharsets.US_ASCII);
            for (int written = 0; written < inflated; written += letters.length) {
                out.write(letters);
            }
            out.write(") Tj ET".getBytes(StandardCharsets.US_ASCII));
        }
        java.io.ByteArrayOutputStream pdf = new java.io.ByteArrayOutputStream();
        try (org.apache.pdfbox.pdmodel.PDDocument doc = new org.apache.pdfbox.pdmodel.PDDocument()) {
            org.apache.pdfbox.pdmodel.PDPage page = new org.apache.pdfbox.pdmodel.PDPage();
            doc.addPage(page);
            org.apache.pdfbox.cos.COSStream contents = doc.getDocument().createCOSStream();
            try (java.io.OutputStream out = contents.createRawOutputStream()) {
                out.write(deflated.toByteArray());
            }
            // one name, not an array: the form PDFBox streams
            contents.setItem(org.apache.pdfbox.cos.COSName.FILTER, org.apache.pdfbox.cos.COSName.FLATE_DECODE);
            page.setContents(new org.apache.pdfbox.pdmodel.common.PDStream(contents));
            doc.save(pdf);
        }
        StoredFile bomb = file("one-string.pdf", pdf.toByteArray());
        assertRefusedWithin(bomb, inflated);
    }

    /**
     * One page showing 300,000 characters from a file of kilobytes: the PDF parser would hold some hundred bytes per
     * character of the page (a string of a few megabytes exhausts a small heap), so the file is refused unparsed.
     */
    @Test
    void aPdfPageShowingMoreCharactersThanTheLimitIsRefused() throws Exception {
        StoredFile crowded = file("crowded.pdf", onePageShowing("A".repeat(300_000)));
        assertThat(Files.size(crowded.path())).isLessThan(16 * 1024);
        assertThatThrownBy(() -> extractor.extract(crowded)).isInstanceOf(PermanentSyncException.class)
                .hasMessageContaining("crowded.pdf").hasMessageContaining("page 1")
                .hasMessageContaining("more than 200000 characters");
        TextExtractor roomier = new TextExtractor(10_000_000, DataSize.ofMegabytes(1), 400_000);
        assertThat(roomier.extract(crowded).text()).hasSize(300_000);
    }

    /** The same for a PDF inside a docx, which Tika parses as an embedded document: the whole docx is refused. */
    @Test
    void anEmbeddedPdfPageShowingMoreCharactersThanTheLimitIsRefused() throws Exception {
        StoredFile outer = file("outer.docx", IndexFixtures.docxEmbedding("Outer text.", "crowded.pdf",
                "application/pdf", onePageShowing("A".repeat(300_000))));
        assertThatThrownBy(() -> extractor.extract(outer)).isInstanceOf(PermanentSyncException.class)
                .hasMessageContaining("outer.docx").hasMessageContaining("page 1 of the embedded crowded.pdf")
                .hasMessageContaining("more than 200000 characters");
        TextExtractor roomier = new TextExtractor(10_000_000, DataSize.ofMegabytes(1), 400_000);
        assertThat(roomier.extract(outer).text()).contains("Outer text.").contains("A".repeat(1000));
    }

    /**
     * A docx inside a docx is a part of a few kilobytes that passes the outer check, but Tika parses it as a docx of
     * its own: its parts are checked the same way, and the whole docx is refused for a bomb in one of them (before,
     * the run was read whole, and only then Tika's ratio check dropped the embedded text without a word).
     */
    @Test
    void aBombInsideAnEmbeddedContainerIsRefused() throws Exception {
        byte[] inner = withPart(IndexFixtures.docx("Inner text."), "word/document.xml", TextExtractorTest::twoMegabyteRun);
        StoredFile outer = file("outer.docx", IndexFixtures.docxEmbedding("Outer text.", "inner.docx", IndexFixtures.DOCX, inner));
        assertThat(Files.size(outer.path())).isLessThan(64 * 1024);

        assertThatThrownBy(() -> extractor.extract(outer)).isInstanceOf(PermanentSyncException.class)
                .hasMessageContaining("outer.docx: its part word/document.xml of the embedded inner.docx expands"
                        + " beyond 1 MB");
    }

    /**
     * Tika leaves out an embedded document it cannot parse without a word; the extraction names it, so that the
     * document is not reported as fully indexed.
     */
    @Test
    void anEmbeddedDocumentTikaCannotReadIsNamed() throws Exception {
        StoredFile outer = file("outer.docx", IndexFixtures.docxEmbedding("Outer text.", "inner.docx", IndexFixtures.DOCX,
                IndexFixtures.notAZip()));
        TextExtractor.Extracted extracted = extractor.extract(outer);
        assertThat(extracted.text()).contains("Outer text.");
        assertThat(extracted.unread()).singleElement().asString().startsWith("inner.docx (");

        StoredFile readable = file("readable.docx", IndexFixtures.docxEmbedding("Outer text.", "inner.docx", IndexFixtures.DOCX,
                IndexFixtures.docx("Inner text.")));
        assertThat(extractor.extract(readable).text()).contains("Outer text.").contains("Inner text.");
        assertThat(extractor.extract(readable).unread()).isEmpty();
    }

    /** Every unreadable embedded document is named, past the 100 failures Tika's own record keeps. */
    @Test
    void everyUnreadableEmbeddedDocumentIsNamedPastTikasHundred() throws Exception {
        Map<String, byte[]> broken = new java.util.TreeMap<>();
        for (int i = 0; i < 120; i++) {
            broken.put("annex-" + i + ".docx", IndexFixtures.notAZip());
        }
        StoredFile outer = file("annexes.docx", IndexFixtures.docxEmbeddings("Outer text.", IndexFixtures.DOCX, broken));
        TextExtractor.Extracted extracted = extractor.extract(outer);
        assertThat(extracted.text()).contains("Outer text.");
        assertThat(extracted.unread()).hasSize(120).allMatch(name -> name.startsWith("annex-"))
                .anyMatch(name -> name.startsWith("annex-119.docx ("));
    }

    /** A one-page PDF whose page shows {@code text} in Helvetica, its content deflated. */
    private static byte[] onePageShowing(String text) throws Exception {
        java.io.ByteArrayOutputStream pdf = new java.io.ByteArrayOutputStream();
        try (org.apache.pdfbox.pdmodel.PDDocument doc = new org.apache.pdfbox.pdmodel.PDDocument()) {
            org.apache.pdfbox.pdmodel.PDPage page = new org.apache.pdfbox.pdmodel.PDPage();
            doc.addPage(page);
            try (org.apache.pdfbox.pdmodel.PDPageContentStream content =
                         new org.apache.pdfbox.pdmodel.PDPageContentStream(doc, page)) {
                content.beginText();
                content.setFont(new org.apache.pdfbox.pdmodel.font.PDType1Font(
                        org.apache.pdfbox.pdmodel.font.Standard14Fonts.FontName.HELVETICA), 12);
                content.newLineAtOffset(72, 700);
                content.showText(text);
                content.endText();
            }
            doc.save(pdf);
        }
        return pdf.toByteArray();
    }

    /**
     * The PDF of a few hundred times less than {@code inflated} is refused for a stream beyond the limit, and the
     * thread allocated far less than the stream's size while it was (a hub with less heap would have run out).
     */
    private void assertRefusedWithin(StoredFile bomb, int inflated) throws Exception {
        assertThat(Files.size(bomb.path())).isLessThan(inflated / 512);
        long before = allocatedByExtraction();
        // the bound here is 20 times the file, above 1 MB, and the message names both
        assertThatThrownBy(() -> extractor.extract(bomb)).isInstanceOf(PermanentSyncException.class)
                .hasMessageContaining(bomb.fileName()).hasMessageContaining("expands beyond ")
                .hasMessageContaining("(app.index.extraction.max-part-size 1 MB, or 20 times the file");
        assertThat(allocatedByExtraction() - before).isLessThan(inflated / 4);
    }

    /** Bytes allocated so far by this thread and the extraction threads (named so by ExtractionTimeLimit). */
    static long allocatedByExtraction() {
        com.sun.management.ThreadMXBean threads =
                (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t == Thread.currentThread() || t.getName().equals("text-extraction"))
                .mapToLong(t -> threads.getThreadAllocatedBytes(t.getId())).filter(bytes -> bytes > 0).sum();
    }

    /** Where PDFBox decodes a stream while it opens the file, before any page is read. */
    enum Opening { CATALOG_IN_AN_OBJECT_STREAM, CROSS_REFERENCE_STREAM, CROSS_REFERENCE_REBUILT }

    /**
     * A PDF of some kilobytes whose object stream (holding the catalog) or cross-reference stream inflates to 128 MB,
     * which PDFBox decodes whole while it opens the file; with a broken startxref, it rebuilds the cross-references
     * and decodes every object stream it finds. The decoding stops at the limit: the thread allocates far less than
     * the stream's size (a hub with less heap than that would run out of memory).
     */
    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.EnumSource(Opening.class)
    void aStreamPdfBoxDecodesWhileOpeningTheFileIsBoundedToo(Opening opening) throws Exception {
        int inflated = 128 << 20;
        StoredFile bomb = file("opening-bomb.pdf", pdfWithPaddedStream(opening, inflated));
        assertRefusedWithin(bomb, inflated);
    }

    /** A one-page PDF 1.5 written by hand, its catalog and page tree in an object stream (PDFBox writes none). */
    static byte[] pdfWithPaddedStream(Opening opening, int padding) throws Exception {
        String objects = "<</Type/Catalog/Pages 3 0 R>>";
        String pages = "<</Type/Pages/Kids[5 0 R]/Count 1>>";
        String header = "2 0 3 " + objects.length() + " ";
        boolean paddedObjects = opening != Opening.CROSS_REFERENCE_STREAM;
        byte[] objectStream = deflated((header + objects + pages).getBytes(StandardCharsets.US_ASCII),
                paddedObjects ? padding : 0);
        java.io.ByteArrayOutputStream pdf = new java.io.ByteArrayOutputStream();
        java.util.function.Consumer<String> ascii = text -> pdf.writeBytes(text.getBytes(StandardCharsets.US_ASCII));
        ascii.accept("%PDF-1.5\n");
        long[] offsets = new long[7];
        offsets[1] = pdf.size();
        ascii.accept("1 0 obj\n<</Type/ObjStm/N 2/First " + header.length() + "/Filter/FlateDecode/Length "
                + objectStream.length + ">>\nstream\n");
        pdf.writeBytes(objectStream);
        ascii.accept("\nendstream\nendobj\n");
        byte[] content = "BT /F1 12 Tf 72 700 Td (the same words) Tj ET".getBytes(StandardCharsets.US_ASCII);
        offsets[4] = pdf.size();
        ascii.accept("4 0 obj\n<</Length " + content.length + ">>\nstream\n");
        pdf.writeBytes(content);
        ascii.accept("\nendstream\nendobj\n");
        offsets[5] = pdf.size();
        ascii.accept("5 0 obj\n<</Type/Page/Parent 3 0 R/MediaBox[0 0 612 792]/Contents 4 0 R/Resources<</Font"
                + "<</F1<</Type/Font/Subtype/Type1/BaseFont/Helvetica>>>>>>>>\nendobj\n");
        offsets[6] = pdf.size();
        java.io.ByteArrayOutputStream rows = new java.io.ByteArrayOutputStream();
        int[][] entries = {{0, 0, 65535}, {1, (int) offsets[1], 0}, {2, 1, 0}, {2, 1, 1}, {1, (int) offsets[4], 0},
                {1, (int) offsets[5], 0}, {1, (int) offsets[6], 0}};
        for (int[] entry : entries) {
            rows.write(entry[0]);
            rows.writeBytes(java.nio.ByteBuffer.allocate(4).putInt(entry[1]).array());
            rows.write(entry[2] >> 8);
            rows.write(entry[2] & 0xff);
        }
        byte[] xref = deflated(rows.toByteArray(), paddedObjects ? 0 : padding);
        ascii.accept("6 0 obj\n<</Type/XRef/Size 7/W[1 4 2]/Root 2 0 R/Filter/FlateDecode/Length " + xref.length
                + ">>\nstream\n");
        pdf.writeBytes(xref);
        ascii.accept("\nendstream\nendobj\nstartxref\n"
                + (opening == Opening.CROSS_REFERENCE_REBUILT ? offsets[6] + 3 : offsets[6]) + "\n%%EOF\n");
        return pdf.toByteArray();
    }

    /** The bytes deflated, followed by that many spaces. */
    private static byte[] deflated(byte[] bytes, int padding) throws java.io.IOException {
        java.io.ByteArrayOutputStream deflated = new java.io.ByteArrayOutputStream();
        try (java.util.zip.DeflaterOutputStream out = new java.util.zip.DeflaterOutputStream(deflated,
                new java.util.zip.Deflater(java.util.zip.Deflater.BEST_COMPRESSION))) {
            out.write(bytes);
            byte[] spaces = " ".repeat(64 * 1024).getBytes(StandardCharsets.US_ASCII);
            for (int written = 0; written < padding; written += spaces.length) {
                out.write(spaces);
            }
        }
        return deflated.toByteArray();
    }

    private static org.apache.pdfbox.pdmodel.common.PDStream stream(org.apache.pdfbox.pdmodel.PDDocument doc,
            byte[] raw, org.apache.pdfbox.cos.COSName... filters) throws java.io.IOException {
        org.apache.pdfbox.cos.COSStream stream = doc.getDocument().createCOSStream();
        try (java.io.OutputStream out = stream.createRawOutputStream()) {
            out.write(raw);
        }
        org.apache.pdfbox.cos.COSArray chain = new org.apache.pdfbox.cos.COSArray();
        for (org.apache.pdfbox.cos.COSName filter : filters) {
            chain.add(filter);
        }
        stream.setItem(org.apache.pdfbox.cos.COSName.FILTER, chain);
        return new org.apache.pdfbox.pdmodel.common.PDStream(stream);
    }

    private interface PartWriter {
        void write(java.io.OutputStream out) throws java.io.IOException;
    }

    /** The ZIP container with one part replaced or added. */
    private static byte[] withPart(byte[] zip, String name, PartWriter part) throws Exception {
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        try (java.util.zip.ZipInputStream in = new java.util.zip.ZipInputStream(new java.io.ByteArrayInputStream(zip));
             java.util.zip.ZipOutputStream out = new java.util.zip.ZipOutputStream(bytes)) {
            for (java.util.zip.ZipEntry e = in.getNextEntry(); e != null; e = in.getNextEntry()) {
                if (!e.getName().equals(name)) {
                    out.putNextEntry(new java.util.zip.ZipEntry(e.getName()));
                    in.transferTo(out);
                    out.closeEntry();
                }
            }
            out.putNextEntry(new java.util.zip.ZipEntry(name));
            part.write(out);
            out.closeEntry();
        }
        return bytes.toByteArray();
    }

    @Test
    void textBeyondTheLimitIsCutAndSaysSo() throws Exception {
        TextExtractor small = new TextExtractor(100, DataSize.ofMegabytes(1));
        TextExtractor.Extracted cut = small.extract(file("long.txt", "word ".repeat(100)));
        assertThat(cut.truncated()).isTrue();
        assertThat(cut.text().length()).isLessThanOrEqualTo(100);
    }
}

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
        StoredFile brokenDocx = file("z.docx", "PK\u0003\u0004 not really a zip".getBytes(StandardCharsets.ISO_8859_1));
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
        StoredFile bomb = file("bomb.docx", withPart(docx, "word/document.xml", out -> {
            out.write(("<?xml version=\"1.0\" encoding=\"UTF-8\"?><w:document xmlns:w=\"http://schemas"
                    + ".openxmlformats.org/wordprocessingml/2006/main\"><w:body><w:p><w:r><w:t>").getBytes(StandardCharsets.UTF_8));
            byte[] letters = "b".repeat(64 * 1024).getBytes(StandardCharsets.US_ASCII);
            for (int i = 0; i < 32; i++) {
                out.write(letters);
            }
            out.write("</w:t></w:r></w:p></w:body></w:document>".getBytes(StandardCharsets.UTF_8));
        }));
        assertThat(Files.size(bomb.path())).isLessThan(64 * 1024);
        assertThatThrownBy(() -> extractor.extract(bomb)).isInstanceOf(PermanentSyncException.class)
                .hasMessageContaining("bomb.docx").hasMessageContaining("word/document.xml")
                .hasMessageContaining("expands beyond 1 MB");

        byte[] picture = new byte[2 * 1024 * 1024];
        new java.util.Random(7).nextBytes(picture);
        java.io.ByteArrayOutputStream withPicture = new java.io.ByteArrayOutputStream();
        try (org.apache.poi.xwpf.usermodel.XWPFDocument doc = new org.apache.poi.xwpf.usermodel.XWPFDocument()) {
            doc.createParagraph().createRun().setText("A short paragraph.");
            doc.addPictureData(picture, org.apache.poi.xwpf.usermodel.Document.PICTURE_TYPE_PNG);
            doc.write(withPicture);
        }
        StoredFile illustrated = file("illustrated.docx", withPicture.toByteArray());
        assertThat(extractor.extract(illustrated).text()).contains("A short paragraph.");
    }

    /** The same for a PDF whose page content is a small Flate stream of megabytes (PDFBox decodes it whole). */
    @Test
    void aPdfStreamThatExpandsFarBeyondTheFileIsRefusedBeforeParsing() throws Exception {
        java.io.ByteArrayOutputStream pdf = new java.io.ByteArrayOutputStream();
        try (org.apache.pdfbox.pdmodel.PDDocument doc = new org.apache.pdfbox.pdmodel.PDDocument()) {
            org.apache.pdfbox.pdmodel.PDPage page = new org.apache.pdfbox.pdmodel.PDPage();
            doc.addPage(page);
            try (org.apache.pdfbox.pdmodel.PDPageContentStream text =
                         new org.apache.pdfbox.pdmodel.PDPageContentStream(doc, page)) {
                text.beginText();
                text.setFont(new org.apache.pdfbox.pdmodel.font.PDType1Font(
                        org.apache.pdfbox.pdmodel.font.Standard14Fonts.FontName.HELVETICA), 12);
                text.newLineAtOffset(72, 700);
                for (int i = 0; i < 50_000; i++) {
                    text.showText("the same words again and again and again");
                }
                text.endText();
            }
            doc.save(pdf);
        }
        StoredFile bomb = file("bomb.pdf", pdf.toByteArray());
        assertThat(Files.size(bomb.path())).isLessThan(64 * 1024);
        assertThatThrownBy(() -> extractor.extract(bomb)).isInstanceOf(PermanentSyncException.class)
                .hasMessageContaining("bomb.pdf").hasMessageContaining("stream").hasMessageContaining("expands beyond 1 MB");
    }

    /**
     * The same when the expanding filter is not the first (ASCIIHex, then Flate) and when streams that do not decode
     * come before it: each stream is decoded through its own filter chain, one failing stream skipped.
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

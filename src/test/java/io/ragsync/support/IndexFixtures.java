package io.ragsync.support;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.PDPageContentStream;
import org.apache.pdfbox.pdmodel.font.PDType1Font;
import org.apache.pdfbox.pdmodel.font.Standard14Fonts;
import org.apache.poi.xwpf.usermodel.XWPFDocument;

/** Small documents of each format the local index extracts, generated at run time (PDFBox and POI via Tika). */
public final class IndexFixtures {

    /** A docx's content type, as an embedded part names it. */
    public static final String DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document";

    private IndexFixtures() {
    }

    /** A PDF with one text line per paragraph. */
    public static byte[] pdf(String... lines) {
        try (PDDocument doc = new PDDocument(); ByteArrayOutputStream out = new ByteArrayOutputStream()) {
            PDPage page = new PDPage();
            doc.addPage(page);
            try (PDPageContentStream content = new PDPageContentStream(doc, page)) {
                content.beginText();
                content.setFont(new PDType1Font(Standard14Fonts.FontName.HELVETICA), 11);
                content.setLeading(16);
                content.newLineAtOffset(50, 720);
                for (String line : lines) {
                    content.showText(line);
                    content.newLine();
                    content.newLine();
                }
                content.endText();
            }
            doc.save(out);
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A DOCX with one paragraph per argument. */
    public static byte[] docx(String... paragraphs) {
        try (XWPFDocument doc = new XWPFDocument(); ByteArrayOutputStream out = new ByteArrayOutputStream()) {
            for (String p : paragraphs) {
                doc.createParagraph().createRun().setText(p);
            }
            doc.write(out);
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * A docx of one paragraph holding {@code content} as an embedded package part {@code word/embeddings/name}, which
     * Tika parses as a document of its own.
     */
    public static byte[] docxEmbedding(String paragraph, String name, String contentType, byte[] content) {
        return docxEmbeddings(paragraph, contentType, Map.of(name, content));
    }

    /** The same with several embedded parts of one content type, by name. */
    public static byte[] docxEmbeddings(String paragraph, String contentType, Map<String, byte[]> parts) {
        try (XWPFDocument doc = new XWPFDocument(); ByteArrayOutputStream out = new ByteArrayOutputStream()) {
            doc.createParagraph().createRun().setText(paragraph);
            for (Map.Entry<String, byte[]> embedded : parts.entrySet()) {
                var partName = org.apache.poi.openxml4j.opc.PackagingURIHelper.createPartName("/word/embeddings/"
                        + embedded.getKey());
                var part = doc.getPackage().createPart(partName, contentType);
                try (var partOut = part.getOutputStream()) {
                    partOut.write(embedded.getValue());
                }
                doc.getPackagePart().addRelationship(partName, org.apache.poi.openxml4j.opc.TargetMode.INTERNAL,
                        "http://schemas.openxmlformats.org/officeDocument/2006/relationships/package");
            }
            doc.write(out);
            return out.toByteArray();
        } catch (IOException | org.apache.poi.openxml4j.exceptions.InvalidFormatException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Bytes that start as a ZIP container does and are none: a broken docx. */
    public static byte[] notAZip() {
        return "PK\u0003\u0004 not really a zip".getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
    }

    public static String html(String title, String... paragraphs) {
        StringBuilder sb = new StringBuilder("<!DOCTYPE html><html><head><title>").append(title)
                .append("</title><style>p { color: red; }</style><script>var hidden = 'script text';</script>"
                        + "</head><body><h1>").append(title).append("</h1>");
        for (String p : paragraphs) {
            sb.append("<p>").append(p).append("</p>");
        }
        return sb.append("</body></html>").toString();
    }

    public static String markdown(String title, String... paragraphs) {
        StringBuilder sb = new StringBuilder("# ").append(title).append("\n\n");
        for (String p : paragraphs) {
            sb.append(p).append("\n\n");
        }
        return sb.toString();
    }

    /** n paragraphs of about {@code size} characters, each about its own subject, separated by blank lines. */
    public static List<String> paragraphs(int n, int size) {
        String[] subjects = {"invoices and payment terms", "warehouse stock levels", "employee vacation policy",
            "server backup schedule", "customer support hours", "travel expense rules", "fire safety drills",
            "parking permits", "software licence renewals", "quarterly sales targets", "coffee machine cleaning",
            "password rotation"};
        List<String> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            String subject = subjects[i % subjects.length];
            StringBuilder p = new StringBuilder();
            int s = 0;
            while (p.length() < size) {
                p.append("Section ").append(i + 1).append(" covers ").append(subject).append(", point ").append(++s)
                        .append(": the rules about ").append(subject).append(" apply to every team. ");
            }
            out.add(p.toString().strip());
        }
        return out;
    }
}

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

/** Text of each supported format from fixtures generated here; clear failures for the rest. */
class TextExtractorTest {

    @TempDir
    Path root;

    private final TextExtractor extractor = new TextExtractor(10_000_000);

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
        StoredFile empty = file("e.txt", "   \n  ");
        assertThatThrownBy(() -> extractor.extract(empty)).isInstanceOf(PermanentSyncException.class)
                .hasMessageContaining("no text found");
    }

    @Test
    void textBeyondTheLimitIsCutAndSaysSo() throws Exception {
        TextExtractor small = new TextExtractor(100);
        TextExtractor.Extracted cut = small.extract(file("long.txt", "word ".repeat(100)));
        assertThat(cut.truncated()).isTrue();
        assertThat(cut.text().length()).isLessThanOrEqualTo(100);
    }
}

package io.ragsync.targets.local;

import static org.assertj.core.api.Assertions.assertThat;

import io.ragsync.support.IndexFixtures;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.commons.compress.archivers.zip.Zip64Mode;
import org.apache.commons.compress.archivers.zip.ZipArchiveEntry;
import org.apache.commons.compress.archivers.zip.ZipArchiveOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The entries of a ZIP's directory, counted as the JDK counts them, ZIP64 and a comment included. */
class ZipDirectoryTest {

    @TempDir
    Path root;

    @Test
    void countsTheEntriesOfTheDirectory() throws Exception {
        Path docx = Files.write(root.resolve("a.docx"), IndexFixtures.docx("One."));
        int listed;
        try (java.util.zip.ZipFile zip = new java.util.zip.ZipFile(docx.toFile())) {
            listed = zip.size();
        }
        assertThat(ZipDirectory.entries(docx, 10_000)).isEqualTo(listed);
        assertThat(ZipDirectory.entries(docx, 2)).as("stops past the maximum").isEqualTo(3);

        assertThat(ZipDirectory.entries(Files.write(root.resolve("b.zip"), zip(Zip64Mode.Always, 5, "a comment")),
                10_000)).isEqualTo(5);
        assertThat(ZipDirectory.entries(Files.write(root.resolve("c.zip"), zip(Zip64Mode.Never, 7, null)), 10_000))
                .isEqualTo(7);
        assertThat(ZipDirectory.entries(Files.writeString(root.resolve("d.txt"), "no zip at all"), 10_000))
                .isEqualTo(-1);
        byte[] head = "PK\u0003\u0004".getBytes(StandardCharsets.ISO_8859_1);
        assertThat(ZipDirectory.looksLikeZip(head, 4)).isTrue();
        assertThat(ZipDirectory.looksLikeZip("%PDF".getBytes(StandardCharsets.ISO_8859_1), 4)).isFalse();
    }

    private static byte[] zip(Zip64Mode mode, int entries, String comment) throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipArchiveOutputStream out = new ZipArchiveOutputStream(bytes)) {
            out.setUseZip64(mode);
            if (comment != null) {
                out.setComment(comment);
            }
            for (int i = 0; i < entries; i++) {
                out.putArchiveEntry(new ZipArchiveEntry("part" + i + ".txt"));
                out.write(("part " + i).getBytes(StandardCharsets.UTF_8));
                out.closeArchiveEntry();
            }
        }
        return bytes.toByteArray();
    }
}

package io.ragsync.platform;

import static org.assertj.core.api.Assertions.assertThat;

import io.ragsync.platform.PackagedRoutesScan.ApplicationClassesFirst;
import java.io.ByteArrayOutputStream;
import java.io.FileInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.apache.camel.spi.Resource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Route files in an executable jar's own classes are listed from its table of contents, nested jars left alone. */
class PackagedRoutesScanTest {

    @TempDir
    Path dir;

    @Test
    void listsTheApplicationsOwnFolderWithoutTheNestedJars() throws Exception {
        Path jar = executableJar();
        assertThat(scan(jar, "jar:file:" + jar + "!/BOOT-INF/classes!/routes/sync/"))
                .containsExactly("routes/sync/job.camel.yaml");
    }

    @Test
    void anyOtherFolderIsScannedAsCamelSpringBootDoes() throws Exception {
        Path jar = executableJar();
        // a folder the class loader found in a library: camel-spring-boot's resolver reads the nested jars
        assertThat(scan(jar, "jar:file:" + jar + "!/BOOT-INF/lib/library.jar!/routes/sync/"))
                .containsExactlyInAnyOrder("routes/sync/job.camel.yaml", "routes/sync/library.camel.yaml");
    }

    private static List<String> scan(Path jar, String folderUrl) throws IOException {
        Set<Resource> found = new HashSet<>();
        try (FileInputStream stream = new FileInputStream(jar.toFile())) {
            new ApplicationClassesFirst().loadImplementationsInJar(new URL(folderUrl), "routes/sync/",
                    "*.camel.yaml", stream, jar.toString(), found, null);
        }
        // a location is the folder's URL with the entry: ...app.jar!/BOOT-INF/classes!/routes/sync/job.camel.yaml
        return found.stream().map(Resource::getLocation)
                .map(location -> location.substring(location.lastIndexOf("!/") + 2)).sorted().toList();
    }

    /** Spring Boot's executable jar: own classes under BOOT-INF/classes, libraries stored in BOOT-INF/lib. */
    private Path executableJar() throws IOException {
        ByteArrayOutputStream library = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(library)) {
            put(zip, "routes/sync/library.camel.yaml", "- route: {}");
        }
        Path jar = dir.resolve("app.jar");
        try (OutputStream out = Files.newOutputStream(jar); ZipOutputStream zip = new ZipOutputStream(out)) {
            put(zip, "BOOT-INF/classes/routes/sync/job.camel.yaml", "- route: {}");
            put(zip, "BOOT-INF/classes/routes/sync/notes.txt", "not a route");
            put(zip, "BOOT-INF/classes/routes/ops/metrics.camel.yaml", "- route: {}");
            ZipEntry nested = new ZipEntry("BOOT-INF/lib/library.jar");
            byte[] bytes = library.toByteArray();
            CRC32 crc = new CRC32();
            crc.update(bytes);
            nested.setMethod(ZipEntry.STORED);
            nested.setSize(bytes.length);
            nested.setCrc(crc.getValue());
            zip.putNextEntry(nested);
            zip.write(bytes);
            zip.closeEntry();
        }
        return jar;
    }

    private static void put(ZipOutputStream zip, String name, String content) throws IOException {
        zip.putNextEntry(new ZipEntry(name));
        zip.write(content.getBytes(StandardCharsets.UTF_8));
        zip.closeEntry();
    }
}

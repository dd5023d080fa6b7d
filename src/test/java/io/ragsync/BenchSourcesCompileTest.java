package io.ragsync;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The benchmarks (bench/java, built only by bench/run.sh) compile against the code, or a removal breaks them unseen. */
class BenchSourcesCompileTest {

    @Test
    void theBenchmarksCompileAgainstTheCurrentCode(@TempDir Path out) throws IOException {
        List<Path> sources;
        try (Stream<Path> files = Files.walk(Path.of("bench/java"))) {
            sources = files.filter(p -> p.toString().endsWith(".java")).toList();
        }
        assertThat(sources).isNotEmpty();
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
        try (StandardJavaFileManager files = javac.getStandardFileManager(diagnostics, null, StandardCharsets.UTF_8)) {
            boolean compiled = javac.getTask(null, files, diagnostics, List.of("--release", "17", "-proc:none",
                    "-classpath", System.getProperty("java.class.path"), "-d", out.toString()), null,
                    files.getJavaFileObjectsFromPaths(sources)).call();
            assertThat(compiled).as("%s", diagnostics.getDiagnostics()).isTrue();
        }
    }
}

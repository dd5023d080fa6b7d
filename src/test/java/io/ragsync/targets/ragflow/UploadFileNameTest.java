package io.ragsync.targets.ragflow;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import io.ragsync.support.HubTestSupport;
import io.ragsync.support.TestFiles;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The upload request as RAGFlow's own form parser reads it: the multipart body the hub sent to the stub is parsed
 * by werkzeug (RAGFlow's Quart server parses uploads with it), which must find the file name unchanged. Needs a
 * python3 with werkzeug (Debian: python3-werkzeug, installed by .ci/run); without one the test fails, it does not skip.
 */
class UploadFileNameTest extends HubTestSupport {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static String python;

    @BeforeAll
    static void findWerkzeug() throws Exception {
        List<String> candidates = new ArrayList<>();
        String configured = System.getProperty("ragsync.test.python");
        if (configured != null && !configured.isBlank()) {
            candidates.add(configured);
        }
        // Debian's python3 first: a pyenv or venv python3 on PATH usually lacks the apt-installed werkzeug
        candidates.addAll(List.of("/usr/bin/python3", "python3"));
        for (String candidate : candidates) {
            if (run(List.of(candidate, "-c", "import werkzeug.formparser")).exit == 0) {
                python = candidate;
                return;
            }
        }
        throw new AssertionError("no python3 with werkzeug among " + candidates
                + ": install Debian's python3-werkzeug (.ci/run does) or set -Dragsync.test.python");
    }

    @Test
    void werkzeugReadsNonAsciiFileNamesAsTheyAre() throws Exception {
        long kb = knowledgeBase("Names");
        List<String> names = List.of("файл.txt", "café.txt", "報告 2026.md", "quote\"back\\slash.txt");
        List<Long> docs = new ArrayList<>();
        for (int i = 0; i < names.size(); i++) {
            docs.add(documentWithFile(kb, "Name " + i, "names-" + i + "/" + names.get(i), "content " + i));
        }
        for (long doc : docs) {
            awaitJob(doc, "indexed");
        }

        List<String> parsed = new ArrayList<>();
        Path dir = TestFiles.tempDir("ragsync-multipart");
        Path script = dir.resolve("form_file_names.py");
        try (InputStream in = UploadFileNameTest.class.getResourceAsStream("/werkzeug/form_file_names.py")) {
            Files.copy(in, script);
        }
        for (LoggedRequest upload : uploads()) {
            Path body = Files.write(dir.resolve("body-" + parsed.size()), upload.getBody());
            Result result = run(List.of(python, script.toString(), body.toString(), upload.getHeader("Content-Type")));
            assertThat(result.exit).as(result.output).isZero();
            @SuppressWarnings("unchecked")
            Map<String, List<String>> files = JSON.readValue(result.output, Map.class);
            assertThat(files).containsOnlyKeys("file");
            parsed.addAll(files.get("file"));
        }
        assertThat(parsed).containsExactlyInAnyOrderElementsOf(names);
    }

    private static List<LoggedRequest> uploads() {
        return RAGFLOW.wireMock().getAllServeEvents().stream().map(ServeEvent::getRequest)
                .filter(r -> r.getMethod().getName().equals("POST"))
                .filter(r -> URI.create(r.getUrl()).getRawPath().matches("/api/v1/datasets/[^/]+/documents/?"))
                .toList();
    }

    private record Result(int exit, String output) {
    }

    private static Result run(List<String> command) throws IOException, InterruptedException {
        Process process;
        try {
            process = new ProcessBuilder(command).redirectErrorStream(true).start();
        } catch (IOException notThere) {
            return new Result(-1, notThere.getMessage());
        }
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            return new Result(-1, "timed out: " + output);
        }
        return new Result(process.exitValue(), output.strip());
    }
}

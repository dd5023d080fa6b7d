package io.ragsync.targets.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.ragsync.support.IsolatedHubTest;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.apache.tika.parser.AutoDetectParser;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.context.bean.override.convention.TestBean;
import org.springframework.util.unit.DataSize;

/**
 * routes/targets/local/local-upsert.camel.yaml with a parser that never ends, on a hub with one job worker: the
 * file's job fails with the time limit as its reason and the worker goes on; while a parser computing without output
 * still runs, the next local job is deferred without an attempt counted, and indexed once that parser has ended.
 */
class ExtractionTimeLimitFlowTest extends IsolatedHubTest {

    private static final ExtractionTimeLimitTest.HangingParser HANGING = new ExtractionTimeLimitTest.HangingParser();

    @DynamicPropertySource
    static void oneWorker(DynamicPropertyRegistry registry) {
        Map<String, String> props = new HashMap<>(isolatedProperties("ragsync_extraction_limit", "extraction-limit",
                Map.of("app.jobs.parallelism", "1")));
        register(registry, props);
    }

    @TestBean(name = "textExtractor", methodName = "hangingExtractor")
    TextExtractor extractor;

    static TextExtractor hangingExtractor() {
        return new TextExtractor(new AutoDetectParser(HANGING), 10_000_000, DataSize.ofMegabytes(1),
                TextExtractor.DEFAULT_MAX_PAGE_CHARACTERS, Duration.ofMillis(500), 1, TextExtractor.heapShare(1));
    }

    @Test
    void aParserThatNeverEndsFailsItsJobAndOneComputingOnDefersTheNext() {
        long kb = localKnowledgeBase("limits");

        long stuck = documentWithFile(kb, "Stuck", "limits/stuck.txt", "stuck in a loop");
        Map<String, Object> failed = awaitJob(stuck, "failed", "indexed");
        assertThat(failed.get("status")).isEqualTo("failed");
        assertThat((String) failed.get("last_error")).isEqualTo("cannot extract text from stuck.txt: the parser had"
                + " not finished after 500 ms (app.index.extraction.timeout)");
        assertThat(documentSync(stuck).get("status")).isEqualTo("failed");
        long plain = documentWithFile(kb, "Plain", "limits/plain.txt", "plain words after a stuck parser");
        assertThat(awaitJob(plain, "indexed", "failed").get("status")).as("the one worker went on").isEqualTo("indexed");

        long silent = documentWithFile(kb, "Silent", "limits/silent.txt", "silent, computing on");
        assertThat(awaitJob(silent, "failed", "indexed").get("status")).isEqualTo("failed");
        long waiting = documentWithFile(kb, "Waiting", "limits/waiting.txt", "plain words behind a silent parser");
        await().atMost(PATIENCE).until(() -> String.valueOf(latestJob(waiting).get("last_error"))
                .startsWith("1 text extractions past their time limit still run"));
        Map<String, Object> deferred = latestJob(waiting);
        assertThat(deferred.get("retry_count")).as("deferred without an attempt counted").isEqualTo(0);
        assertThat(deferred.get("status")).isIn("queued", "processing");

        HANGING.release.countDown();
        assertThat(awaitJob(waiting, "indexed", "failed").get("status")).isEqualTo("indexed");
        assertThat(latestJob(waiting).get("retry_count")).isEqualTo(0);
    }
}

package io.ragsync.sources.rest;

import static org.assertj.core.api.Assertions.assertThat;

import io.ragsync.support.TestFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Fields of a REST source's items that look like Camel expressions ("#class:...", "${...}", "{{...}}", "#bean:...")
 * are chunked and stored as the text they are: nothing is instantiated, resolved or looked up.
 */
class RestItemsAreDataTest extends RestSourceTestSupport {

    private static final Path PWNED = TestFiles.tempDir("ragsync-pwned-rest");

    @Test
    void itemFieldsThatLookLikeExpressionsAreStoredLiterally() throws Exception {
        List<String> payloads = List.of("#class:java.io.FileOutputStream('" + PWNED.resolve("pwned-rest") + "')",
                "${bean:dataSource} ${exchange} ${sys.user.home} ${body.length()}",
                "{{app.push.api-key}}", "#bean:dataSource");
        List<Map<String, Object>> products = API.products();
        for (int i = 0; i < payloads.size(); i++) {
            products.get(i).put("title", payloads.get(i));
            products.get(i).put("description", payloads.get(i));
        }
        long source = createSource("Payload Products", productsConfig());

        List<Map<String, Object>> answers = pullUntilDone(source, 10);

        assertThat(answers).allSatisfy(a -> assertThat(a.get("status")).isEqualTo("ok"));
        for (int i = 0; i < payloads.size(); i++) {
            Map<String, Object> chunk = jdbc.queryForMap("SELECT title, content FROM kb_rest_chunks"
                    + " WHERE source_id = ? AND metadata->>'itemId' = ?", source, String.valueOf(i + 1));
            assertThat(chunk.get("title")).isEqualTo(payloads.get(i));
            assertThat((String) chunk.get("content")).contains("title: " + payloads.get(i))
                    .contains("description: " + payloads.get(i));
        }
        try (Stream<Path> files = Files.list(PWNED)) {
            assertThat(files.toList()).as("files created by evaluated item fields").isEmpty();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}

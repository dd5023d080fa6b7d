package io.ragsync.targets.lightrag;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ragsync.jobs.TargetBusyException;
import org.junit.jupiter.api.Test;

/**
 * How LightragApi reads LightRAG's answers: a busy LightRAG defers its job with the job flow's own exception, not
 * with a RAGFlow one; an answer not shaped as LightRAG's responses are is retried, never taken.
 */
class LightragBusyTest {

    private final LightragApi api = new LightragApi("", 5000);

    @Test
    void aBusyPipelineDefersWithTheJobsExceptionAndNoRagflowType() {
        assertThatThrownBy(() -> api.stillProcessing(null))
                .hasFieldOrPropertyWithValue("retryAfterSeconds", 5L)
                .satisfies(e -> assertThat(e.getClass().getPackageName()).isEqualTo("io.ragsync.jobs"))
                .isInstanceOf(TargetBusyException.class);
    }

    @Test
    void aListedDocumentWithoutItsIdStatusOrACountIsRetriedAndNotListed() throws Exception {
        LightragListing listing = new LightragListing(5);
        for (String entry : new String[] {
                "{\"status\":\"processed\",\"file_path\":\"rs7-1-0_a.txt\"}",
                "{\"id\":null,\"status\":\"processed\",\"file_path\":\"rs7-1-0_a.txt\"}",
                "{\"id\":\" \",\"status\":\"processed\",\"file_path\":\"rs7-1-0_a.txt\"}",
                "{\"id\":7,\"status\":\"processed\",\"file_path\":\"rs7-1-0_a.txt\"}",
                "{\"id\":\"doc-1\",\"file_path\":\"rs7-1-0_a.txt\"}",
                "{\"id\":\"doc-1\",\"status\":\"processed\",\"chunks_count\":\"3\"}",
                "{\"id\":\"doc-1\",\"status\":\"processed\",\"chunks_count\":2.5}",
                "{\"id\":\"doc-1\",\"status\":\"processed\",\"chunks_count\":-1}"}) {
            assertThatThrownBy(() -> api.acceptPage(page(entry), listing)).as(entry)
                    .isInstanceOf(LightragUnavailableException.class);
        }
        assertThatThrownBy(() -> api.acceptPage("{\"pagination\":{\"has_next\":false}}", listing))
                .isInstanceOf(LightragUnavailableException.class);
        assertThat(listing.docs()).isEmpty();
        assertThat(listing.nextPage()).isEqualTo(1);

        api.acceptPage(page("{\"id\":\"doc-1\",\"status\":\"PROCESSING\",\"chunks_count\":null,"
                + "\"file_path\":\"rs7-1-0_a.txt\",\"track_id\":\"upload_1\"}"), listing);
        assertThat(listing.docs()).singleElement().isEqualTo(
                new LightragApi.Doc("doc-1", "processing", null, null, "rs7-1-0_a.txt", "upload_1"));
    }

    @Test
    void answersWithoutTheirStatusOrTrackAreRetried() {
        assertThatThrownBy(() -> api.deletionStarted("{\"message\":\"?\",\"doc_id\":\"doc-1\"}"))
                .isInstanceOf(LightragUnavailableException.class);
        assertThatThrownBy(() -> api.insert("{\"status\":\"success\",\"message\":\"uploaded\",\"track_id\":null}"))
                .isInstanceOf(LightragUnavailableException.class);
        assertThatThrownBy(() -> api.insert("{\"status\":\"success\",\"message\":\"uploaded\"}"))
                .isInstanceOf(LightragUnavailableException.class);
    }

    private static String page(String entry) {
        return "{\"documents\":[" + entry + "],\"pagination\":{\"has_next\":false}}";
    }
}

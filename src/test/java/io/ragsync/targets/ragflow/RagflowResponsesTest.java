package io.ragsync.targets.ragflow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.ragsync.jobs.PermanentSyncException;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** RAGFlow answers classified as RAGFlow really answers (shared/ragflow-api.md §2, §3, §10). */
class RagflowResponsesTest {

    private final RagflowResponses responses = new RagflowResponses(new ObjectMapper());

    @Test
    void successEnvelopeIsReturnedEvenWithoutMessageOrData() {
        assertThat(responses.check(200, "{\"code\":0}", null, null)).containsEntry("code", 0);
        Map<String, Object> list = responses.check(200, "{\"code\":0,\"data\":[{\"id\":\"a\"}],\"total_datasets\":1}", null, null);
        assertThat(list).containsKey("data").containsEntry("total_datasets", 1);
    }

    @Test
    void http200WithNonZeroCodeIsAnError() {
        assertThatThrownBy(() -> responses.check(200, "{\"code\":102,\"message\":\"You don't own the dataset x. \"}", null, null))
                .isInstanceOf(RagflowApiException.class).hasMessageContaining("102")
                .satisfies(e -> assertThat(((RagflowApiException) e).getCode()).isEqualTo(102));
        assertThatThrownBy(() -> responses.check(200, "{\"code\":101,\"message\":\"Field: <name>\"}", null, null))
                .isInstanceOf(PermanentSyncException.class);
    }

    @Test
    void acceptedCodesComeBackAsEnvelopes() {
        Map<String, Object> envelope = responses.check(200, "{\"code\":102,\"message\":\"gone\"}", null, "102, 109x".replace("x", ""));
        assertThat(envelope).containsEntry("code", 102);
    }

    @Test
    void badKeysAreConfigErrorsInEveryServerGeneration() {
        assertThatThrownBy(() -> responses.check(401, "{\"code\":401,\"message\":\"<Unauthorized '401: Unauthorized'>\",\"data\":null}", null, null))
                .isInstanceOf(RagflowConfigException.class);
        assertThatThrownBy(() -> responses.check(200, "{\"code\":109,\"data\":false,\"message\":\"Authentication error: API key is invalid!\"}", null, "109"))
                .isInstanceOf(RagflowConfigException.class);
        assertThatThrownBy(() -> responses.check(200, "{\"code\":0,\"data\":false,\"message\":\"`Authorization` can't be empty\"}", null, null))
                .isInstanceOf(RagflowConfigException.class);
        assertThatThrownBy(() -> responses.check(404, "{\"code\":404,\"message\":\"Not Found: /api/v1/x\"}", null, null))
                .isInstanceOf(RagflowConfigException.class).hasMessageContaining("base-url");
    }

    @Test
    void serverSideTroubleIsTransient() {
        assertThatThrownBy(() -> responses.check(503, "<html>busy</html>", null, null)).isInstanceOf(RagflowTransientException.class);
        assertThatThrownBy(() -> responses.check(200, "<html>proxy</html>", null, null)).isInstanceOf(RagflowTransientException.class);
        assertThatThrownBy(() -> responses.check(200, "{\"code\":100,\"message\":\"ConnectionError('minio')\"}", null, null))
                .isInstanceOf(RagflowTransientException.class);
        assertThatThrownBy(() -> responses.check(200, "{\"code\":500,\"message\":\"minio down\"}", null, null))
                .isInstanceOf(RagflowTransientException.class);
        // but a wrapped 405 or a per-file rejection will never succeed
        assertThatThrownBy(() -> responses.check(200, "{\"code\":100,\"message\":\"<MethodNotAllowed '405: Method Not Allowed'>\"}", null, null))
                .isInstanceOf(RagflowApiException.class);
        assertThatThrownBy(() -> responses.check(200, "{\"code\":500,\"message\":\"a.exe: This type of file has not been supported yet!\"}", null, null))
                .isInstanceOf(RagflowApiException.class);
    }

    @Test
    void retryAfterIsReadInSecondsOrAsADate() {
        assertThatThrownBy(() -> responses.check(429, "", "7", null))
                .isInstanceOfSatisfying(RagflowTransientException.class, e -> assertThat(e.getRetryAfterSeconds()).isEqualTo(7));
        String inAMinute = ZonedDateTime.now().plusSeconds(60).format(DateTimeFormatter.RFC_1123_DATE_TIME);
        assertThat(RagflowResponses.retryAfterSeconds(inAMinute)).isBetween(55L, 60L);
        assertThat(RagflowResponses.retryAfterSeconds("soon")).isZero();
    }
    @Test
    void onlyServerSideUnavailabilityFailsTheAvailabilityCheck() {
        RagflowResponses.checkAvailable(200, null);
        RagflowResponses.checkAvailable(401, null);
        RagflowResponses.checkAvailable(404, null);
        assertThatThrownBy(() -> RagflowResponses.checkAvailable(503, null))
                .isExactlyInstanceOf(RagflowTransientException.class);
        assertThatThrownBy(() -> RagflowResponses.checkAvailable(429, "3"))
                .isInstanceOfSatisfying(RagflowBackoffException.class, e -> assertThat(e.getRetryAfterSeconds()).isEqualTo(3));
    }

    @Test
    void deferralFollowsRetryAfterElseTheBreakersOpenTime() {
        assertThat(RagflowResponses.deferSeconds(new RagflowBackoffException("429", 7), 30)).isEqualTo(7);
        assertThat(RagflowResponses.deferSeconds(new RagflowBackoffException("429", 0), 30)).isEqualTo(1);
        assertThat(RagflowResponses.deferSeconds(new IllegalStateException("open"), 30)).isEqualTo(30);
    }
}

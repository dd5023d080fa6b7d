package io.ragsync.targets.ragflow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.ragsync.jobs.PermanentSyncException;
import io.ragsync.jobs.TargetBusyException;
import io.ragsync.platform.RetryAfter;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import io.ragsync.targets.ragflow.RagflowCall.Missing;
import org.junit.jupiter.api.Test;

/** RAGFlow answers classified as RAGFlow really answers (shared/ragflow-api.md §2, §3, §10). */
class RagflowResponsesTest {

    private final RagflowResponses responses = new RagflowResponses(new ObjectMapper());

    @Test
    void successEnvelopeIsReadEvenWithoutMessageOrData() {
        assertThat(responses.read(200, "{\"code\":0}", null, Missing.FAIL).ok()).isTrue();
        RagflowAnswer list = responses.read(200, "{\"code\":0,\"data\":[{\"id\":\"a\"}],\"total_datasets\":1}", null, Missing.FAIL);
        assertThat(list.ids()).containsExactly("a");
    }

    @Test
    void http200WithNonZeroCodeIsAnError() {
        assertThatThrownBy(() -> responses.read(200, "{\"code\":102,\"message\":\"You don't own the dataset x. \"}", null, Missing.FAIL))
                .isInstanceOf(RagflowApiException.class).hasMessageContaining("102")
                .satisfies(e -> assertThat(((RagflowApiException) e).getCode()).isEqualTo(102));
        assertThatThrownBy(() -> responses.read(200, "{\"code\":101,\"message\":\"Field: <name>\"}", null, Missing.FAIL))
                .isInstanceOf(PermanentSyncException.class);
    }

    @Test
    void badKeysAreConfigErrorsInEveryServerGeneration() {
        assertThatThrownBy(() -> responses.read(401, "{\"code\":401,\"message\":\"<Unauthorized '401: Unauthorized'>\",\"data\":null}", null, Missing.FAIL))
                .isInstanceOf(RagflowConfigException.class);
        assertThatThrownBy(() -> responses.read(200, "{\"code\":109,\"data\":false,\"message\":\"Authentication error: API key is invalid!\"}", null, Missing.EMPTY))
                .isInstanceOf(RagflowConfigException.class);
        assertThatThrownBy(() -> responses.read(200, "{\"code\":0,\"data\":false,\"message\":\"`Authorization` can't be empty\"}", null, Missing.FAIL))
                .isInstanceOf(RagflowConfigException.class);
        assertThatThrownBy(() -> responses.read(404, "{\"code\":404,\"message\":\"Not Found: /api/v1/x\"}", null, Missing.FAIL))
                .isInstanceOf(RagflowConfigException.class).hasMessageContaining("base-url");
    }

    @Test
    void serverSideTroubleIsTransient() {
        assertThatThrownBy(() -> responses.read(503, "<html>busy</html>", null, Missing.FAIL)).isInstanceOf(RagflowTransientException.class);
        assertThatThrownBy(() -> responses.read(200, "<html>proxy</html>", null, Missing.FAIL)).isInstanceOf(RagflowTransientException.class);
        assertThatThrownBy(() -> responses.read(200, "{\"code\":100,\"message\":\"ConnectionError('minio')\"}", null, Missing.FAIL))
                .isInstanceOf(RagflowTransientException.class);
        assertThatThrownBy(() -> responses.read(200, "{\"code\":500,\"message\":\"minio down\"}", null, Missing.FAIL))
                .isInstanceOf(RagflowTransientException.class);
        // but a wrapped 405 or a per-file rejection will never succeed
        assertThatThrownBy(() -> responses.read(200, "{\"code\":100,\"message\":\"<MethodNotAllowed '405: Method Not Allowed'>\"}", null, Missing.FAIL))
                .isInstanceOf(RagflowApiException.class);
        assertThatThrownBy(() -> responses.read(200, "{\"code\":500,\"message\":\"a.exe: This type of file has not been supported yet!\"}", null, Missing.FAIL))
                .isInstanceOf(RagflowApiException.class);
    }

    @Test
    void retryAfterIsReadInSecondsOrAsADate() {
        assertThatThrownBy(() -> responses.read(429, "", "7", Missing.FAIL))
                .isInstanceOfSatisfying(TargetBusyException.class,
                        e -> assertThat(e.getRetryAfterSeconds()).isEqualTo(7));
        String inAMinute = ZonedDateTime.now().plusSeconds(60).format(DateTimeFormatter.RFC_1123_DATE_TIME);
        assertThat(RetryAfter.seconds(inAMinute).orElse(0)).isBetween(55L, 60L);
        assertThat(RetryAfter.seconds("soon").orElse(0)).isZero();
    }
    @Test
    void onlyServerSideUnavailabilityFailsTheAvailabilityCheck() {
        RagflowResponses.checkAvailable(200, null);
        RagflowResponses.checkAvailable(401, null);
        RagflowResponses.checkAvailable(404, null);
        assertThatThrownBy(() -> RagflowResponses.checkAvailable(503, null))
                .isExactlyInstanceOf(RagflowTransientException.class);
        assertThatThrownBy(() -> RagflowResponses.checkAvailable(429, "3"))
                .isInstanceOfSatisfying(TargetBusyException.class,
                        e -> assertThat(e.getRetryAfterSeconds()).isEqualTo(3));
    }

    @Test
    void aRetryAfterIsTheJobsDeferralNotARagflowRetry() {
        assertThatThrownBy(() -> RagflowResponses.checkAvailable(429, "3"))
                .isNotInstanceOf(RagflowTransientException.class)
                .hasFieldOrPropertyWithValue("retryAfterSeconds", 3L)
                .satisfies(e -> assertThat(e.getClass().getPackageName()).isEqualTo("io.ragsync.jobs"));
    }
}

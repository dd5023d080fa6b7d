package io.ragsync.index;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.ragsync.jobs.PermanentSyncException;
import java.util.List;
import org.apache.camel.Exchange;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.api.Test;

class HttpEmbeddingsTest {

    private final HttpEmbeddings http = new HttpEmbeddings(new ObjectMapper(), "m", "sk-secret", 3, 5000, 2, 100);

    @Test
    void requestAndAuthorization() throws Exception {
        assertThat(http.requestBody(List.of("a", "b"))).isEqualTo("{\"model\":\"m\",\"input\":[\"a\",\"b\"]}");
        assertThat(http.authorization()).isEqualTo("Bearer sk-secret");
        assertThat(new HttpEmbeddings(new ObjectMapper(), "m", " ", 3, 1, 1, 1).authorization()).isNull();
    }

    @Test
    void answersAreReadInIndexOrder() throws Exception {
        List<float[]> v = http.read(200, "{\"data\":[{\"index\":1,\"embedding\":[4,5,6]},{\"index\":0,\"embedding\":[1,2,3]}]}", 2);
        assertThat(v.get(0)).containsExactly(1f, 2f, 3f);
        assertThat(v.get(1)).containsExactly(4f, 5f, 6f);
    }

    @Test
    void answersAreClassified() {
        assertThatThrownBy(() -> http.read(503, "busy", 1, "7")).isInstanceOf(EmbeddingProviderUnavailableException.class)
                .satisfies(e -> assertThat(((EmbeddingProviderUnavailableException) e).getRetryAfterSeconds()).isEqualTo(7));
        assertThatThrownBy(() -> http.read(429, "{}", 1, null)).isInstanceOf(EmbeddingProviderUnavailableException.class)
                .hasMessageContaining("rate limited");
        assertThatThrownBy(() -> http.read(401, "{}", 1)).isInstanceOf(PermanentSyncException.class)
                .hasMessageContaining("api-key").hasMessageNotContaining("sk-secret");
        assertThatThrownBy(() -> http.read(400, "{\"error\":\"bad model\"}", 1)).isInstanceOf(PermanentSyncException.class)
                .hasMessageContaining("bad model");
        assertThatThrownBy(() -> http.read(200, "{\"data\":[{\"index\":0,\"embedding\":[1,2]}]}", 1))
                .isInstanceOf(PermanentSyncException.class).hasMessageContaining("2-dimensional");
        assertThatThrownBy(() -> http.read(200, "{\"data\":[]}", 1)).isInstanceOf(PermanentSyncException.class);
        assertThatThrownBy(() -> http.read(200, "<html>proxy</html>", 1))
                .isInstanceOf(EmbeddingProviderUnavailableException.class);
    }

    @Test
    void retryDelaysGrowHonourRetryAfterAndRunOut() {
        assertThat(http.delay(1, 0)).isEqualTo(100);
        assertThat(http.delay(2, 0)).isEqualTo(200);
        assertThat(http.delay(1, 3)).isEqualTo(3000);
        assertThat(http.delay(1, 60)).isEqualTo(5000);
        Exchange exchange = new DefaultExchange(new DefaultCamelContext());
        exchange.setProperty(Exchange.EXCEPTION_CAUGHT, new java.net.ConnectException("refused"));
        assertThat(http.retryDelay(exchange)).isEqualTo(100);
        assertThat(http.retryDelay(exchange)).isEqualTo(200);
        assertThatThrownBy(() -> http.retryDelay(exchange)).isInstanceOf(EmbeddingProviderUnavailableException.class)
                .hasMessageContaining("unreachable").hasMessageContaining("refused").hasMessageContaining("after 2 retries");
        assertThat(HttpEmbeddings.seconds("12")).isEqualTo(12);
        assertThat(HttpEmbeddings.seconds("soon")).isZero();
    }
}

package io.ragsync.platform;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ragsync.support.HubTestSupport;
import org.apache.camel.component.http.HttpMethods;
import org.junit.jupiter.api.Test;

/** The running hub's Camel has the String-to-HttpMethods converter registered (a TypeConverters bean). */
class HttpMethodConverterTest extends HubTestSupport {

    @Test
    void convertsMethodNamesThroughTheRegisteredConverter() {
        assertThat(camel.getTypeConverterRegistry().lookup(HttpMethods.class, String.class)).isNotNull();
        assertThat(camel.getTypeConverter().convertTo(HttpMethods.class, "post")).isEqualTo(HttpMethods.POST);
        assertThat(camel.getTypeConverter().convertTo(HttpMethods.class, " DELETE ")).isEqualTo(HttpMethods.DELETE);
    }

    @Test
    void anUnknownMethodFailsClearly() {
        assertThatThrownBy(() -> HttpMethodConverter.toHttpMethod("FETCH")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("FETCH");
    }
}

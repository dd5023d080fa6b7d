package io.ragsync.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.apache.camel.component.http.HttpMethods;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.Test;

class HttpMethodConverterTest {

    @Test
    void convertsMethodNamesThroughTheRegisteredConverter() throws Exception {
        try (DefaultCamelContext camel = new DefaultCamelContext()) {
            new HttpMethodConverter().httpMethodTypeConverter().beforeApplicationStart(camel);
            camel.start();
            assertThat(camel.getTypeConverterRegistry().lookup(HttpMethods.class, String.class)).isNotNull();
            assertThat(camel.getTypeConverter().convertTo(HttpMethods.class, "post")).isEqualTo(HttpMethods.POST);
            assertThat(camel.getTypeConverter().convertTo(HttpMethods.class, " DELETE ")).isEqualTo(HttpMethods.DELETE);
        }
    }

    @Test
    void anUnknownMethodFailsClearly() {
        assertThatThrownBy(() -> HttpMethodConverter.toHttpMethod("FETCH")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("FETCH");
    }
}

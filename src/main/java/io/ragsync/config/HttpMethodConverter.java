package io.ragsync.config;

import java.util.Locale;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.component.http.HttpMethods;
import org.apache.camel.spring.boot.CamelContextConfiguration;
import org.apache.camel.support.TypeConverterSupport;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Routes set CamelHttpMethod as text ("GET", "POST"); camel-http reads it as {@link HttpMethods}. Without a
 * registered String-to-HttpMethods converter Camel's enum conversion first searches every converter it has for
 * one (two misses per request, about a twentieth of the hub's CPU in a bulk sync); this one is found at once.
 */
@Configuration
public class HttpMethodConverter {

    /** The conversion itself: case-insensitive, surrounding blanks ignored; an unknown name fails clearly. */
    static HttpMethods toHttpMethod(Object value) {
        return HttpMethods.valueOf(value.toString().trim().toUpperCase(Locale.ROOT));
    }

    @Bean
    CamelContextConfiguration httpMethodTypeConverter() {
        return new CamelContextConfiguration() {
            @Override
            public void beforeApplicationStart(CamelContext context) {
                context.getTypeConverterRegistry().addTypeConverter(HttpMethods.class, String.class, new TypeConverterSupport() {
                    @Override
                    public <T> T convertTo(Class<T> type, Exchange exchange, Object value) {
                        return type.cast(toHttpMethod(value));
                    }
                });
            }

            @Override
            public void afterApplicationStart(CamelContext context) {
                // nothing to do once started
            }
        };
    }
}

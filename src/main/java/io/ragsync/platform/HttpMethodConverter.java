package io.ragsync.platform;

import java.util.Locale;
import org.apache.camel.Converter;
import org.apache.camel.TypeConverters;
import org.apache.camel.component.http.HttpMethods;
import org.springframework.stereotype.Component;

/**
 * Routes set CamelHttpMethod as text ("GET", "POST"); camel-http reads it as {@link HttpMethods}. Without a
 * registered String-to-HttpMethods converter Camel's enum conversion first searches every converter it has for
 * one (two misses per request, about a twentieth of the hub's CPU in a bulk sync); this one is found at once.
 * Camel adds every {@link TypeConverters} bean to its registry at start-up.
 */
@Component
public class HttpMethodConverter implements TypeConverters {

    /** Case-insensitive, surrounding blanks ignored; an unknown name fails clearly. */
    @Converter
    public static HttpMethods toHttpMethod(String value) {
        return HttpMethods.valueOf(value.trim().toUpperCase(Locale.ROOT));
    }
}

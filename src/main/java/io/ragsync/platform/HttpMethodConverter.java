package io.ragsync.platform;

import java.util.Locale;
import org.apache.camel.Converter;
import org.apache.camel.TypeConverters;
import org.apache.camel.component.http.HttpMethods;
import org.springframework.stereotype.Component;

/**
 * Routes set CamelHttpMethod as text, camel-http reads {@link HttpMethods}: without this converter Camel searches
 * every converter it has first (a twentieth of the hub's CPU in a bulk sync). Registered as a TypeConverters bean.
 */
@Component
public class HttpMethodConverter implements TypeConverters {

    /** Case-insensitive, surrounding blanks ignored; an unknown name fails clearly. */
    @Converter
    public static HttpMethods toHttpMethod(String value) {
        return HttpMethods.valueOf(value.trim().toUpperCase(Locale.ROOT));
    }
}

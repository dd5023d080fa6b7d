package io.ragsync.platform.api;

import java.util.regex.Pattern;
import org.apache.camel.Header;
import org.springframework.stereotype.Component;

/** The numeric ids an API request names (path {id}, a body's id field), checked in one place: 1-18 digits. */
@Component("apiIds")
public class ApiIds {

    private static final Pattern ID = Pattern.compile("\\d{1,18}");

    /** Whether the text is an id: digits that fit a BIGINT. */
    public static boolean isId(String value) {
        return value != null && ID.matcher(value).matches();
    }

    /** The id, or a 400 naming the field: "{what} must be a positive number". */
    public static long parse(String value, String field, String what) {
        if (!isId(value)) {
            throw ApiException.badRequest(field, what + " must be a positive number");
        }
        return Long.parseLong(value);
    }

    public long document(@Header("id") String id) {
        return parse(id, "id", "document id");
    }

    public long job(@Header("id") String id) {
        return parse(id, "id", "job id");
    }

    public long hold(@Header("id") String id) {
        return parse(id, "id", "hold id");
    }
}

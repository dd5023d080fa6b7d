package io.ragsync.ops;

import ch.qos.logback.classic.pattern.MessageConverter;
import ch.qos.logback.classic.spi.ILoggingEvent;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The %msg of every text pattern with control characters escaped, so outside text cannot forge log lines. */
public class EscapedMessageConverter extends MessageConverter {

    /** C0, DEL, C1, and the Unicode line and paragraph separators that some viewers also break on. */
    private static final Pattern CONTROL = Pattern.compile("[\\x00-\\x1f\\x7f-\\x9f\\u2028\\u2029]");

    @Override
    public String convert(ILoggingEvent event) {
        return escape(super.convert(event));
    }

    static String escape(String message) {
        return message == null ? null : CONTROL.matcher(message).replaceAll(m -> Matcher.quoteReplacement(
                switch (m.group().charAt(0)) {
                    case '\n' -> "\\n";
                    case '\r' -> "\\r";
                    case '\t' -> "\\t";
                    default -> String.format("\\u%04x", (int) m.group().charAt(0));
                }));
    }
}

package io.ragsync.push;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import org.apache.camel.Header;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * Checks the X-Odoo-API-Key header against app.push.api-key in constant time (MessageDigest.isEqual on the
 * SHA-256 of both, so neither the content nor the length of the key leaks through timing). Without a
 * configured key the push API refuses every call. The key is never logged.
 */
@Component("pushApiKey")
public class PushApiKey {

    private static final Logger LOG = LoggerFactory.getLogger(PushApiKey.class);
    public static final String HEADER = "X-Odoo-API-Key";

    private final byte[] expectedDigest;

    public PushApiKey(@Value("${app.push.api-key:}") String apiKey) {
        if (apiKey == null || apiKey.isBlank()) {
            this.expectedDigest = null;
            LOG.warn("Push API (/api/internal/*): no key configured (PUSH_API_KEY / app.push.api-key), so every"
                    + " call is refused with 401 until one is set");
        } else {
            this.expectedDigest = sha256(apiKey.strip());
            LOG.info("Push API (/api/internal/*): calls must carry the configured key in the {} header", HEADER);
        }
    }

    public boolean isConfigured() {
        return expectedDigest != null;
    }

    /** Throws a 401 unless the header carries the configured key. */
    public void check(@Header(HEADER) String presented) {
        if (expectedDigest == null) {
            throw new PushApiException(401, "unauthorized", null,
                    "the push API is disabled: no API key is configured on the server (app.push.api-key)");
        }
        if (presented == null || presented.isEmpty()) {
            throw new PushApiException(401, "unauthorized", HEADER, "missing " + HEADER + " header");
        }
        if (!MessageDigest.isEqual(expectedDigest, sha256(presented.strip()))) {
            throw new PushApiException(401, "unauthorized", HEADER, "invalid " + HEADER);
        }
    }

    private static byte[] sha256(String value) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}

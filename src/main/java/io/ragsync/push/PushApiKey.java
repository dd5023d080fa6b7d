package io.ragsync.push;

import io.ragsync.platform.security.ApiCallers;
import org.apache.camel.Exchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * The push API's own check that the request was authenticated with the right {@code push} (the configured
 * X-Odoo-API-Key, app.push.api-key, or an operator-made credential): the security layer refuses other calls before
 * their body is read, so this only guards a route reached some other way. The key is never logged.
 */
@Component("pushApiKey")
public class PushApiKey {

    private static final Logger LOG = LoggerFactory.getLogger(PushApiKey.class);
    public static final String HEADER = "X-Odoo-API-Key";

    private final ApiCallers callers;

    public PushApiKey(ApiCallers callers, @Value("${app.push.api-key:}") String apiKey) {
        this.callers = callers;
        if (apiKey == null || apiKey.isBlank()) {
            LOG.warn("Push API (/api/internal/*): no PUSH_API_KEY (app.push.api-key) configured: only credentials with"
                    + " the right push (created by the operator) are accepted");
        } else {
            LOG.info("Push API (/api/internal/*): calls must carry the configured key in the {} header", HEADER);
        }
    }

    /** Throws a 401 unless the request was authenticated with the right push. */
    public void check(Exchange exchange) {
        try {
            callers.require(exchange, "push");
        } catch (SecurityException e) {
            throw new PushApiException(401, "unauthorized", HEADER, e.getMessage());
        }
    }
}

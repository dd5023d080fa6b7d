package io.ragsync.sources.push;

import io.ragsync.platform.api.ApiException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ragsync.platform.security.ApiCaller;
import io.ragsync.platform.security.ApiCallers;
import java.util.Map;
import java.util.TreeSet;
import org.apache.camel.Exchange;
import org.apache.camel.ExchangeProperty;
import org.apache.camel.Variable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * The push API's own check for the right {@code push}, guarding a route reached other than through the security
 * layer; the key is never logged. The caller's tenant and roles become those of a chatbot it creates.
 */
@Component("pushApiKey")
public class PushApiKey {

    private static final Logger LOG = LoggerFactory.getLogger(PushApiKey.class);
    public static final String HEADER = "X-Odoo-API-Key";

    private final ApiCallers callers;
    private final ObjectMapper mapper;

    public PushApiKey(ApiCallers callers, ObjectMapper mapper, @Value("${app.push.api-key:}") String apiKey) {
        this.callers = callers;
        this.mapper = mapper;
        if (apiKey == null || apiKey.isBlank()) {
            LOG.warn("Push API (/api/internal/*): no PUSH_API_KEY (app.push.api-key) configured: only credentials with"
                    + " the right push (created by the operator) are accepted");
        } else {
            LOG.info("Push API (/api/internal/*): calls must carry the configured key in the {} header", HEADER);
        }
    }

    /** A 401 without the right push; sets pushEndpoint (metrics, logs), chatbotTenant and chatbotRolesJson. */
    public void check(Exchange exchange, String endpoint) {
        exchange.setProperty("pushEndpoint", endpoint);
        ApiCaller caller;
        try {
            caller = callers.require(exchange, "push");
        } catch (SecurityException e) {
            throw new ApiException(401, "unauthorized", HEADER, e.getMessage());
        }
        exchange.setProperty("chatbotTenant", caller.retrievalTenant());
        exchange.setProperty("chatbotRolesJson", mapper.valueToTree(new TreeSet<>(caller.roles())).toString());
    }

    /** A tenant-bound caller writes only to its tenant's chatbots (ensure-chatbot.sql's row); the knowledge base. */
    public Object checkChatbotTenant(@Variable("chatbot") Map<?, ?> chatbot,
                                     @Variable("push") PushRequests.Request push,
                                     @ExchangeProperty("chatbotTenant") Object callerTenant) {
        if (callerTenant != null && !callerTenant.equals(chatbot.get("tenant"))) {
            throw new ApiException(403, "forbidden", "chatbot_id", "chatbot " + push.chatbotId()
                    + " belongs to another tenant than this credential's");
        }
        return chatbot.get("knowledge_base_id");
    }
}

package io.ragsync.sources.rest;

import io.ragsync.platform.api.ApiException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Locale;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.springframework.core.env.Environment;
import org.springframework.stereotype.Component;
import org.apache.commons.codec.digest.DigestUtils;

/**
 * Platform admin only: the admin token (else 401) and the admin role (else 403). The token is compared in constant
 * time; the credential headers are removed right after, so they never reach a REST source, a log or a response.
 */
@Component("backofficeGuard")
public class BackofficeGuard {

    private static final String TOKEN_HEADER = "X-Admin-Token";
    private static final String ROLE_HEADER = "X-Ragsync-Role";

    private final Environment environment;

    /** The token and role are read at each request, so a rotated token (e.g. a vault-backed property) applies at once. */
    public BackofficeGuard(Environment environment) {
        this.environment = environment;
    }

    public void check(Exchange exchange) {
        String configured = environment.getProperty("app.backoffice.admin-token", "");
        byte[] adminToken = configured.strip().getBytes(StandardCharsets.UTF_8);
        String adminRole = environment.getProperty("app.backoffice.admin-role", "platform-admin").strip();
        Message in = exchange.getMessage();
        String authorization = in.getHeader("Authorization", String.class);
        String token = in.getHeader(TOKEN_HEADER, String.class);
        String role = in.getHeader(ROLE_HEADER, String.class);
        in.removeHeader("Authorization");
        in.removeHeader(TOKEN_HEADER);
        in.removeHeader(ROLE_HEADER);
        in.removeHeader("Cookie");
        if (token == null && authorization != null && authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            token = authorization.substring(7);
        }
        if (adminToken.length == 0) {
            throw denied(401, "the backoffice is disabled: no admin token is configured (app.backoffice.admin-token)");
        }
        if (token == null || token.isBlank()) {
            throw denied(401, "admin token required (Authorization: Bearer <token> or " + TOKEN_HEADER + ")");
        }
        // constant time: digests of equal length, compared without an early exit
        if (!MessageDigest.isEqual(DigestUtils.sha256(token.strip()), DigestUtils.sha256(adminToken))) {
            throw denied(401, "the admin token is not valid");
        }
        boolean admin = role != null && Arrays.stream(role.split(","))
                .map(r -> r.strip().toLowerCase(Locale.ROOT))
                .anyMatch(r -> r.equals(adminRole.toLowerCase(Locale.ROOT)));
        if (!admin) {
            throw denied(403, "the backoffice is for platform admins only (" + ROLE_HEADER + ": " + adminRole + ")");
        }
    }

    private static ApiException denied(int status, String message) {
        return new ApiException(status, status == 401 ? "unauthorized" : "forbidden", null, message);
    }
}

package io.ragsync.platform.security;

import static org.apache.commons.codec.digest.DigestUtils.sha256;

import com.fasterxml.jackson.annotation.JsonUnwrapped;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ragsync.platform.api.ApiIds;
import java.io.IOException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.sql.Array;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.apache.camel.Exchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * The machine credentials of the HTTP API and the check of each key {@code rsk_<key id>_<secret>}: the secret's SHA-256
 * is compared in constant time (a 256-bit random secret needs no slow password hash); the secret is shown once and
 * never stored, logged or listed. {@code app.push.api-key} stays a bootstrap credential with {@code push} for all.
 */
@Component("apiCredentials")
public class ApiCredentials {

    private static final Logger LOG = LoggerFactory.getLogger(ApiCredentials.class);
    private static final String PREFIX = "rsk_";
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final String COLUMNS = "id, name, key_id, tenant, roles, rights, acts_for_users, created_at,"
            + " rotated_at, expires_at, revoked_at, last_used_at";

    /** What the operator sees of a credential (its JSON view, instants as ISO text): everything but its secret. */
    public record Credential(long id, String name, String keyId, String tenant, Set<String> roles, Set<String> rights,
                             boolean actsForUsers, Instant createdAt, Instant rotatedAt, Instant expiresAt,
                             Instant revokedAt, Instant lastUsedAt) {

        public ApiCaller caller() {
            return new ApiCaller(name, tenant, roles, rights, actsForUsers, null);
        }
    }

    /** A new or rotated credential with its key, which is shown this once (in JSON beside its fields). */
    public record Issued(@JsonUnwrapped Credential credential, String key) {
    }

    public record Request(String name, String tenant, List<String> roles, List<String> rights, boolean actsForUsers,
                          Instant expiresAt) {
    }

    private final JdbcTemplate jdbc;
    private final ObjectMapper mapper;
    private final byte[] pushKeyDigest;

    public ApiCredentials(JdbcTemplate jdbc, ObjectMapper mapper, @Value("${app.push.api-key:}") String pushApiKey) {
        this.jdbc = jdbc;
        this.mapper = mapper;
        this.pushKeyDigest = pushApiKey == null || pushApiKey.isBlank() ? null : sha256(pushApiKey.strip());
    }

    public Optional<ApiCaller> authenticate(String presented) {
        if (presented == null || presented.isBlank()) {
            return Optional.empty();
        }
        String key = presented.strip();
        if (pushKeyDigest != null && MessageDigest.isEqual(pushKeyDigest, sha256(key))) {
            return Optional.of(new ApiCaller("bootstrap-push-key", ApiCaller.ANY_TENANT, Set.of(), Set.of("push"), false, null));
        }
        int split = key.lastIndexOf('_');
        if (!key.startsWith(PREFIX) || split <= PREFIX.length()) {
            return Optional.empty();
        }
        String keyId = key.substring(PREFIX.length(), split);
        byte[] digest = sha256(key.substring(split + 1));
        // one round trip: the credential and both digests; the digests are compared here, in constant time
        List<Credential> matching = jdbc.query("SELECT " + COLUMNS + ", secret_sha256, previous_secret_sha256,"
                + " previous_valid_until > now() AS previous_valid FROM api_credential WHERE key_id = ?"
                + " AND revoked_at IS NULL AND (expires_at IS NULL OR expires_at > now())", (rs, n) -> {
                    boolean current = MessageDigest.isEqual(rs.getBytes("secret_sha256"), digest);
                    boolean previous = rs.getBoolean("previous_valid")
                            && MessageDigest.isEqual(rs.getBytes("previous_secret_sha256"), digest);
                    return current || previous ? credential(rs) : null;
                }, keyId);
        if (matching.isEmpty() || matching.get(0) == null) {
            return Optional.empty();
        }
        Credential credential = matching.get(0);
        // a write per request would cost more than the lookup: the last use is kept to the minute
        jdbc.update("UPDATE api_credential SET last_used_at = now() WHERE id = ?"
                + " AND (last_used_at IS NULL OR last_used_at < now() - interval '1 minute')", credential.id());
        return Optional.of(credential.caller());
    }

    public Issued create(Request request) {
        String name = require(request.name(), "name");
        String tenant = require(request.tenant(), "tenant");
        Set<String> rights = new TreeSet<>(request.rights() == null ? List.of() : request.rights());
        if (rights.isEmpty() || !ApiCaller.RIGHTS.containsAll(rights)) {
            throw new IllegalArgumentException("rights must be a non-empty list of " + new TreeSet<>(ApiCaller.RIGHTS));
        }
        List<String> roles = request.roles() == null ? List.of() : request.roles();
        if (roles.stream().anyMatch(role -> role == null || !role.matches("[A-Za-z0-9][A-Za-z0-9._:-]{0,63}"))) {
            throw new IllegalArgumentException("roles must be names of letters, digits and . _ : -");
        }
        String keyId = randomToken(9);
        String secret = randomToken(32);
        long id;
        try {
            id = jdbc.queryForObject("INSERT INTO api_credential (name, key_id, secret_sha256, tenant, roles, rights,"
                    + " acts_for_users, expires_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id", Long.class,
                    name, keyId, sha256(secret), tenant, roles.toArray(String[]::new), rights.toArray(String[]::new),
                    request.actsForUsers(),
                    request.expiresAt() == null ? null : Timestamp.from(request.expiresAt()));
        } catch (DuplicateKeyException e) {
            throw new IllegalArgumentException("a credential named " + name + " exists already");
        } catch (DataIntegrityViolationException e) {
            throw new IllegalArgumentException("name and tenant must be 1-64 letters, digits, . _ - (tenant * = every"
                    + " tenant)");
        }
        LOG.info("API credential {} created (key id {}, tenant {}, rights {}, acts for users: {})", name, keyId,
                tenant, rights, request.actsForUsers());
        return new Issued(find(id).orElseThrow(), PREFIX + keyId + "_" + secret);
    }

    /** A new secret; the previous one stays valid for the grace period (0 = revoked at once). */
    public Optional<Issued> rotate(long id, long graceSeconds) {
        if (graceSeconds < 0 || graceSeconds > 7 * 24 * 3600) {
            throw new IllegalArgumentException("graceSeconds must be between 0 and 604800");
        }
        String secret = randomToken(32);
        int updated = jdbc.update("UPDATE api_credential SET previous_secret_sha256 = secret_sha256,"
                + " previous_valid_until = now() + make_interval(secs => ?), secret_sha256 = ?, rotated_at = now()"
                + " WHERE id = ? AND revoked_at IS NULL", graceSeconds, sha256(secret), id);
        if (updated == 0) {
            return Optional.empty();
        }
        Credential credential = find(id).orElseThrow();
        LOG.info("API credential {} rotated (previous secret valid for {} s)", credential.name(), graceSeconds);
        return Optional.of(new Issued(credential, PREFIX + credential.keyId() + "_" + secret));
    }

    public boolean revoke(long id) {
        int updated = jdbc.update("UPDATE api_credential SET revoked_at = now() WHERE id = ? AND revoked_at IS NULL", id);
        if (updated > 0) {
            LOG.info("API credential {} revoked", id);
        }
        return updated > 0;
    }

    public List<Credential> list() {
        return jdbc.query("SELECT " + COLUMNS + " FROM api_credential ORDER BY id", (rs, n) -> credential(rs));
    }

    public Optional<Credential> find(long id) {
        return jdbc.query("SELECT " + COLUMNS + " FROM api_credential WHERE id = ?", (rs, n) -> credential(rs), id)
                .stream().findFirst();
    }

    /** The operator's HTTP API (routes/platform): POST with a JSON {@link Request}, 201 with the key shown once. */
    public Issued createRequested(Exchange exchange) {
        Request body;
        try {
            body = mapper.readValue(exchange.getIn().getBody(byte[].class), Request.class);
        } catch (IOException | IllegalArgumentException e) {
            throw new IllegalArgumentException("the body must be {\"name\",\"tenant\",\"roles\",\"rights\","
                    + "\"actsForUsers\"?,\"expiresAt\"?}");
        }
        Issued issued = create(body);
        exchange.getIn().setHeader(Exchange.HTTP_RESPONSE_CODE, 201);
        return issued;
    }

    public Object rotateRequested(Exchange exchange) {
        long grace = exchange.getIn().getHeader("graceSeconds") == null ? 0 : number(exchange, "graceSeconds");
        return answer(exchange, rotate(number(exchange, "id"), grace));
    }

    public Object revokeRequested(Exchange exchange) {
        long id = number(exchange, "id");
        return answer(exchange, revoke(id) ? find(id) : Optional.empty());
    }

    private static Object answer(Exchange exchange, Optional<?> found) {
        if (found.isEmpty()) {
            exchange.getIn().setHeader(Exchange.HTTP_RESPONSE_CODE, 404);
            return Map.of("error", "not_found", "message", "no active credential with that id");
        }
        return found.get();
    }

    private static long number(Exchange exchange, String name) {
        String value = exchange.getIn().getHeader(name, String.class);
        if (!ApiIds.isId(value)) {
            throw new IllegalArgumentException(name + " must be a non-negative number");
        }
        return Long.parseLong(value);
    }

    private static Credential credential(ResultSet rs) throws SQLException {
        return new Credential(rs.getLong("id"), rs.getString("name"), rs.getString("key_id"), rs.getString("tenant"),
                strings(rs.getArray("roles")), strings(rs.getArray("rights")), rs.getBoolean("acts_for_users"),
                instant(rs, "created_at"), instant(rs, "rotated_at"), instant(rs, "expires_at"),
                instant(rs, "revoked_at"), instant(rs, "last_used_at"));
    }

    private static Set<String> strings(Array array) throws SQLException {
        return array == null ? Set.of() : new TreeSet<>(Arrays.asList((String[]) array.getArray()));
    }

    private static Instant instant(ResultSet rs, String column) throws SQLException {
        Timestamp t = rs.getTimestamp(column);
        return t == null ? null : t.toInstant();
    }

    private static String require(String value, String field) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(field + " is required");
        }
        return value.strip();
    }

    private static String randomToken(int bytes) {
        byte[] raw = new byte[bytes];
        RANDOM.nextBytes(raw);
        // no '_' in the token: it separates key id and secret
        return Base64.getUrlEncoder().withoutPadding().encodeToString(raw).replace('_', '.');
    }
}

package io.ragsync.platform.security;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.ragsync.ops.OpsCredentials;
import io.ragsync.platform.security.ApiCredentials;
import io.ragsync.support.HubTestSupport;
import java.net.CookieManager;
import java.net.InetAddress;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Date;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.authentication.event.AuthenticationSuccessEvent;
import org.springframework.security.web.authentication.WebAuthenticationDetails;

/**
 * Identity decides access: who may call which endpoint with which credential, what a retrieval sees, how the
 * operator's browser session is protected, how credentials are stored (routes/platform/api-credentials.camel.yaml), and
 * that public endpoints, the OpenAPI description among them (routes/platform/rest-configuration.camel.yaml), ignore
 * credentials.
 */
class IdentityAccessTest extends HubTestSupport {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Autowired
    private OpsCredentials operator;
    @Autowired
    private ApplicationEventPublisher events;

    @Test
    void retrievalNeedsTheRightAndFiltersByTheCallersTenantAndRolesNotTheBody() throws Exception {
        long acmeKb = jdbc.queryForObject("INSERT INTO knowledge_base (name, target, tenant) VALUES (?, 'local', 'acme')"
                + " RETURNING id", Long.class, "HR acme " + System.nanoTime());
        storageFile("id/salaries.txt", "Salaries of the acme staff are reviewed every March by the board.");
        long salaries = jdbc.queryForObject("INSERT INTO document (knowledge_base_id, title, file_path, allowed_roles)"
                + " VALUES (?, 'Salaries', 'id/salaries.txt', ARRAY['hr-admin']) RETURNING id", Long.class, acmeKb);
        awaitJob(salaries, "indexed");
        String body = "{\"question\":\"When are salaries reviewed?\",\"knowledge_base_ids\":[" + acmeKb + "],"
                + "\"similarity_threshold\":0,\"roles\":[\"hr-admin\"],\"tenant\":\"acme\"}";

        assertThat(call("POST", "/api/retrieval", body, null).statusCode()).isEqualTo(401);
        String pushOnly = apiKey("push-only-" + System.nanoTime(), "acme", List.of("hr-admin"), List.of("push"), false);
        assertThat(call("POST", "/api/retrieval", body, pushOnly).statusCode()).isEqualTo(403);

        // the body claims tenant acme and role hr-admin: ignored, the credential's tenant and roles decide
        String globex = apiKey("globex-" + System.nanoTime(), "globex", List.of("member"), List.of("retrieve"), false);
        HttpResponse<String> otherTenant = call("POST", "/api/retrieval", body, globex);
        assertThat(otherTenant.statusCode()).isEqualTo(400);
        assertThat(otherTenant.body()).contains("no knowledge base " + acmeKb + " is readable with this credential")
                .doesNotContain("Salaries");
        String acmeMember = apiKey("acme-member-" + System.nanoTime(), "acme", List.of("member"), List.of("retrieve"), false);
        assertThat(documents(call("POST", "/api/retrieval", body, acmeMember))).doesNotContain(String.valueOf(salaries));
        String acmeHr = apiKey("acme-hr-" + System.nanoTime(), "acme", List.of("hr-admin"), List.of("retrieve"), false);
        assertThat(documents(call("POST", "/api/retrieval", body, acmeHr))).contains(String.valueOf(salaries));

        // a trusted caller acts for an end user with the user's signed token: the token's tenant and roles decide
        String portal = apiKey("portal-" + System.nanoTime(), "acme", List.of(), List.of("retrieve"), true);
        assertThat(documents(call("POST", "/api/retrieval", body, portal, "Authorization",
                "Bearer " + userToken("alice", "acme", List.of("hr-admin"), HubTestSupport.USER_TOKEN_SECRET))))
                .contains(String.valueOf(salaries));
        assertThat(documents(call("POST", "/api/retrieval", body, portal, "Authorization",
                "Bearer " + userToken("bob", "acme", List.of("member"), HubTestSupport.USER_TOKEN_SECRET))))
                .doesNotContain(String.valueOf(salaries));
        // a token of another tenant, a forged signature, or a credential not trusted to act for users: refused
        assertThat(call("POST", "/api/retrieval", body, portal, "Authorization",
                "Bearer " + userToken("eve", "globex", List.of("hr-admin"), HubTestSupport.USER_TOKEN_SECRET))
                .statusCode()).isEqualTo(401);
        assertThat(call("POST", "/api/retrieval", body, portal, "Authorization",
                "Bearer " + userToken("eve", "acme", List.of("hr-admin"), "not-the-secret-0123456789abcdefghijkl"))
                .statusCode()).isEqualTo(401);
        assertThat(call("POST", "/api/retrieval", body, acmeMember, "Authorization",
                "Bearer " + userToken("eve", "acme", List.of("hr-admin"), HubTestSupport.USER_TOKEN_SECRET))
                .statusCode()).isEqualTo(401);
    }

    @Test
    void stateChangesNeedACredentialWithTheirRightAndJson() throws Exception {
        long kb = knowledgeBase("Access " + System.nanoTime());
        long doc = documentWithFile(kb, "A", "id/a.txt", "a");
        awaitJob(doc, "indexed");
        String[][] actions = {
            {"/api/reconcile", "reconcile"},
            {"/api/reconcile/holds/1/approve", "reconcile"},
            {"/api/documents/" + doc + "/sync", "sync"},
            {"/api/jobs/requeue", "requeue"},
        };
        for (String[] action : actions) {
            HttpResponse<String> anonymous = call("POST", action[0], "{}", null);
            assertThat(anonymous.statusCode()).as(action[0]).isEqualTo(401);
            assertThat(JSON.readTree(anonymous.body()).get("error").asText()).isEqualTo("unauthorized");
            String other = apiKey("no-" + action[1] + "-" + System.nanoTime(), "*", List.of(), List.of("retrieve"), false);
            assertThat(call("POST", action[0], "{}", other).statusCode()).as(action[0]).isEqualTo(403);
            String holder = apiKey(action[1] + "-" + System.nanoTime(), "*", List.of(), List.of(action[1]), false);
            // what a web page can send without a preflight: text/plain and form posts
            assertThat(call("POST", action[0], "{}", holder, "Content-Type", "text/plain").statusCode())
                    .as(action[0]).isEqualTo(415);
            assertThat(call("POST", action[0], "a=b", holder, "Content-Type", "application/x-www-form-urlencoded")
                    .statusCode()).as(action[0]).isEqualTo(415);
            // allowed through: the hold does not exist
            assertThat(call("POST", action[0], "{}", holder).statusCode()).as(action[0]).isIn(200, 202, 404);
        }
    }

    /** A tenant-bound credential syncs, requeues, releases and retries its own tenant's documents and jobs only. */
    @Test
    void tenantBoundCredentialsActOnTheirOwnTenantsDocumentsAndJobsOnly() throws Exception {
        String chatbot = "tenancy-" + System.nanoTime();
        long acmeKb = jdbc.queryForObject("INSERT INTO knowledge_base (name, tenant) VALUES (?, 'acme') RETURNING id",
                Long.class, "chatbot-" + chatbot);
        jdbc.update("INSERT INTO push_chatbot (chatbot_id, knowledge_base_id) VALUES (?, ?)", chatbot, acmeKb);
        long doc = document(acmeKb, "acme board minutes", "tenancy/" + chatbot + ".txt");
        long job = ((Number) awaitJob(doc, "download_failed").get("id")).longValue();
        String globex = apiKey("globex-actions-" + System.nanoTime(), "globex", List.of(),
                List.of("sync", "requeue", "push"), false);
        String acme = apiKey("acme-actions-" + System.nanoTime(), "acme", List.of(),
                List.of("sync", "requeue", "push"), false);

        // anyone reads the state; title, path, errors and job log only a credential of the document's tenant
        for (String reader : java.util.Arrays.asList(null, globex)) {
            JsonNode state = JSON.readTree(call("GET", "/api/documents/" + doc + "/sync-status", null, reader).body());
            assertThat(state.get("status").asText()).isEqualTo("download_failed");
            assertThat(state.has("title") || state.has("filePath") || state.has("lastError") || state.has("history"))
                    .as(state.toString()).isFalse();
        }
        JsonNode detailed = JSON.readTree(call("GET", "/api/documents/" + doc + "/sync-status", null, acme).body());
        assertThat(detailed.get("title").asText()).isEqualTo("acme board minutes");
        assertThat(detailed.get("history")).isNotEmpty();

        assertThat(call("POST", "/api/documents/" + doc + "/sync", "{}", globex).statusCode()).isEqualTo(404);
        assertThat(JSON.readTree(call("POST", "/api/jobs/requeue", "{}", globex).body()).get("requeued").asInt())
                .isZero();
        assertThat(call("POST", "/api/jobs/" + job + "/release", "{}", globex).statusCode()).isEqualTo(404);
        for (String retry : List.of("{\"job_id\":" + job + "}", "{\"chatbot_id\":\"" + chatbot + "\"}", "{}")) {
            HttpResponse<String> answer = call("POST", "/api/internal/sync/retry", retry, null, "X-Odoo-API-Key",
                    globex);
            assertThat(answer.statusCode()).as(retry).isEqualTo(200);
            assertThat(answer.body()).as(retry).doesNotContain("\"job_id\":" + job + ",");
        }
        assertThat(jdbc.queryForObject("SELECT count(*) FROM sync_job WHERE document_id = ?", Integer.class, doc))
                .as("no job of the acme document was queued by globex").isEqualTo(1);
        assertThat(jdbc.queryForObject("SELECT status FROM sync_job WHERE id = ?", String.class, job))
                .isEqualTo("download_failed");

        HttpResponse<String> ownRetry = call("POST", "/api/internal/sync/retry", "{\"job_id\":" + job + "}", null,
                "X-Odoo-API-Key", acme);
        assertThat(JSON.readTree(ownRetry.body()).get("retried").asInt()).isEqualTo(1);
        assertThat(call("POST", "/api/documents/" + doc + "/sync", "{}", acme).statusCode()).isEqualTo(202);
    }

    @Test
    void aReconciliationIsADryRunUnlessFalseIsSentAndDryRunIsParsedStrictly() throws Exception {
        for (String bad : new String[] {"TRUE", "yes", "maybe", "1", ""}) {
            HttpResponse<String> answer = call("POST", "/api/reconcile?dryRun=" + bad, null, apiKey());
            assertThat(answer.statusCode()).as(bad).isEqualTo(400);
            assertThat(answer.body()).contains("dryRun must be true or false");
        }
        HttpResponse<String> plain = call("POST", "/api/reconcile", null, apiKey());
        assertThat(plain.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(plain.body()).get("dryRun").asBoolean()).isTrue();
    }

    @Test
    void theOperatorsBrowserSessionNeedsItsCsrfTokenForApiActions() throws Exception {
        CookieManager cookies = new CookieManager();
        HttpClient browser = HttpClient.newBuilder().cookieHandler(cookies).followRedirects(HttpClient.Redirect.NEVER).build();
        HttpResponse<String> login = formLogin(browser, operator.user(), operator.password());
        assertThat(login.statusCode()).isEqualTo(302);
        assertThat(login.headers().firstValue("Location").orElse("")).doesNotContain("error");
        browser.send(HttpRequest.newBuilder(uri("/ops/api/overview")).build(), HttpResponse.BodyHandlers.ofString());
        String xsrf = cookies.getCookieStore().getCookies().stream().filter(c -> c.getName().equals("XSRF-TOKEN"))
                .findFirst().orElseThrow().getValue();

        HttpRequest.Builder requeue = HttpRequest.newBuilder(uri("/api/jobs/requeue"))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString("{}"));
        // a forged cross-site request carries the session cookie but cannot read the token
        assertThat(browser.send(requeue.build(), HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(403);
        HttpResponse<String> withToken = browser.send(requeue.header("X-XSRF-TOKEN", xsrf).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(withToken.statusCode()).as(withToken.body()).isEqualTo(200);

        // the operator makes a credential in the console: its key is shown once and works at once
        HttpRequest.Builder create = HttpRequest.newBuilder(uri("/ops/api/credentials"))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(
                        "{\"name\":\"erp-" + System.nanoTime() + "\",\"tenant\":\"acme\",\"roles\":[\"member\"],"
                                + "\"rights\":[\"sync\"]}"));
        assertThat(browser.send(create.build(), HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(403);
        HttpResponse<String> created = browser.send(create.header("X-XSRF-TOKEN", xsrf).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        JsonNode credential = JSON.readTree(created.body());
        String key = credential.get("key").asText();
        // the operator's view: every field but the secret, instants as ISO text, then the key shown this once
        assertThat(credential.fieldNames()).toIterable().containsExactly("id", "name", "keyId", "tenant", "roles",
                "rights", "actsForUsers", "createdAt", "rotatedAt", "expiresAt", "revokedAt", "lastUsedAt", "key");
        assertThat(Instant.parse(credential.get("createdAt").asText())).isBefore(Instant.now().plusSeconds(60));
        assertThat(credential.get("roles").toString()).isEqualTo("[\"member\"]");
        assertThat(call("POST", "/api/documents/999999992/sync", null, key).statusCode()).isEqualTo(404);
        String listed = browser.send(HttpRequest.newBuilder(uri("/ops/api/credentials")).build(),
                HttpResponse.BodyHandlers.ofString()).body();
        assertThat(listed).contains(credential.get("keyId").asText()).doesNotContain(key);
        HttpResponse<String> revoked = browser.send(HttpRequest.newBuilder(uri("/ops/api/credentials/"
                + credential.get("id").asLong())).header("X-XSRF-TOKEN", xsrf).DELETE().build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(revoked.statusCode()).as(revoked.body()).isEqualTo(200);
        assertThat(Instant.parse(JSON.readTree(revoked.body()).get("revokedAt").asText())).isNotNull();
        assertThat(call("POST", "/api/documents/999999992/sync", null, key).statusCode()).isEqualTo(401);
    }

    @Test
    void credentialsAreStoredHashedRotatedAndRevoked() throws Exception {
        ApiCredentials.Issued issued = credentials.create(new ApiCredentials.Request("rotating-" + System.nanoTime(),
                "acme", List.of("member"), List.of("sync"), false, null));
        String key = issued.key();
        String secret = key.substring(key.lastIndexOf('_') + 1);
        Map<String, Object> row = jdbc.queryForMap("SELECT * FROM api_credential WHERE id = ?", issued.credential().id());
        assertThat(row.values()).noneMatch(v -> v != null && (String.valueOf(v).contains(secret)
                || v instanceof byte[] b && new String(b, StandardCharsets.UTF_8).contains(secret)));
        assertThat(credentials.list()).noneMatch(c -> c.toString().contains(secret));
        String path = "/api/documents/999999991/sync";
        assertThat(call("POST", path, null, key).statusCode()).isEqualTo(404);

        String rotated = credentials.rotate(issued.credential().id(), 60).orElseThrow().key();
        assertThat(call("POST", path, null, rotated).statusCode()).isEqualTo(404);
        assertThat(call("POST", path, null, key).statusCode()).as("within the grace period").isEqualTo(404);
        String again = credentials.rotate(issued.credential().id(), 0).orElseThrow().key();
        assertThat(call("POST", path, null, rotated).statusCode()).as("no grace").isEqualTo(401);
        assertThat(call("POST", path, null, again).statusCode()).isEqualTo(404);
        credentials.revoke(issued.credential().id());
        assertThat(call("POST", path, null, again).statusCode()).isEqualTo(401);
    }

    @Test
    void publicEndpointsIgnoreCredentialsTheyDoNotUse() throws Exception {
        String wrongBasic = "Basic " + Base64.getEncoder().encodeToString("nobody:wrong".getBytes(StandardCharsets.UTF_8));
        for (String path : new String[] {"/actuator/health", "/actuator/prometheus", "/api/openapi.json"}) {
            assertThat(call("GET", path, null, null, "Authorization", wrongBasic).statusCode()).as(path).isEqualTo(200);
            assertThat(call("GET", path, null, null, "Authorization", "Bearer wrong").statusCode()).as(path).isEqualTo(200);
        }
        assertThat(call("GET", "/api/documents/424242/sync-status", null, "rsk_wrong_key", "Authorization", wrongBasic)
                .statusCode()).isEqualTo(404);
    }

    @Test
    void failedOperatorLoginsAreThrottledWithAClearMessage() throws Exception {
        String user = "guess-" + System.nanoTime();
        String basic = "Basic " + Base64.getEncoder().encodeToString((user + ":wrong").getBytes(StandardCharsets.UTF_8));
        List<Integer> statuses = new ArrayList<>();
        HttpResponse<String> last = null;
        for (int i = 0; i < 8; i++) {
            last = call("GET", "/ops/api/overview", null, null, "Authorization", basic);
            statuses.add(last.statusCode());
        }
        assertThat(statuses.subList(0, 5)).containsOnly(401);
        assertThat(last.statusCode()).isEqualTo(429);
        assertThat(last.headers().firstValue("Retry-After")).isPresent();
        assertThat(last.body()).contains("too many failed logins");
        // another user name from the same address is not locked out by these
        String ok = "Basic " + Base64.getEncoder().encodeToString((operator.user() + ":" + operator.password())
                .getBytes(StandardCharsets.UTF_8));
        assertThat(call("GET", "/ops/api/overview", null, null, "Authorization", ok).statusCode()).isEqualTo(200);
    }

    @Test
    void theHealthEndpointsLoginSharesTheOperatorsCounter() throws Exception {
        String right = basic(operator.user(), operator.password());
        try {
            // app.security.login.max-failures is 5: three wrong guesses at health and two at the console lock
            for (int i = 0; i < 3; i++) {
                assertThat(call("GET", "/actuator/health", null, null, "Authorization",
                        basic(operator.user(), "wrong-" + i)).body()).doesNotContain("\"details\"");
            }
            for (int i = 0; i < 2; i++) {
                assertThat(call("GET", "/ops/api/overview", null, null, "Authorization",
                        basic(operator.user(), "wrong-" + i)).statusCode()).isEqualTo(401);
            }
            assertThat(call("GET", "/ops/api/overview", null, null, "Authorization", right).statusCode())
                    .isEqualTo(429);
            // while locked the right password shows no details either
            HttpResponse<String> health = call("GET", "/actuator/health", null, null, "Authorization", right);
            assertThat(health.statusCode()).isEqualTo(429);
            assertThat(health.body()).doesNotContain("\"details\"");
        } finally {
            forgetFailedLogins(operator.user());
        }
        assertThat(call("GET", "/actuator/health", null, null, "Authorization", right).body()).contains("\"details\"");
    }

    @Test
    void theOperatorsNameInOtherCaseOrWithSpacesSharesItsCounter() throws Exception {
        String name = operator.user();
        HttpClient browser = HttpClient.newBuilder().cookieHandler(new CookieManager())
                .followRedirects(HttpClient.Redirect.NEVER).build();
        try {
            // names the user store takes for the operator's: other casing (Basic, form), spaces around it (form)
            for (String variant : List.of(name.toUpperCase(Locale.ROOT), name + " ")) {
                for (int i = 0; i < 2; i++) {
                    assertThat(call("GET", "/ops/api/overview", null, null, "Authorization", basic(variant, "wrong-" + i))
                            .statusCode()).isEqualTo(401);
                }
            }
            HttpResponse<String> fifth = formLogin(browser, " " + name.toUpperCase(Locale.ROOT) + " ", "wrong");
            assertThat(fifth.headers().firstValue("Location").orElse("")).contains("error");

            // locked: the right password under any of these names logs nobody in
            assertThat(call("GET", "/ops/api/overview", null, null, "Authorization",
                    basic(name.toUpperCase(Locale.ROOT), operator.password())).statusCode()).isEqualTo(429);
            assertThat(formLogin(browser, name + " ", operator.password()).statusCode()).isEqualTo(429);
            assertThat(formLogin(browser, name.toUpperCase(Locale.ROOT), operator.password()).statusCode())
                    .isEqualTo(429);
            assertThat(call("GET", "/ops/api/overview", null, null, "Authorization",
                    basic(name, operator.password())).statusCode()).isEqualTo(429);
            // the browser holds no logged-in session
            assertThat(browser.send(HttpRequest.newBuilder(uri("/ops/api/overview")).build(),
                    HttpResponse.BodyHandlers.ofString()).statusCode()).isIn(302, 401);
        } finally {
            forgetFailedLogins(name);
        }
    }

    // ---- helpers ---------------------------------------------------------------------------------------------

    /** The login form as a browser sends it: the page's CSRF token, then the POST; the answer is not followed. */
    private HttpResponse<String> formLogin(HttpClient browser, String user, String password) throws Exception {
        String loginPage = browser.send(HttpRequest.newBuilder(uri("/login")).build(),
                HttpResponse.BodyHandlers.ofString()).body();
        Matcher csrf = Pattern.compile("name=\"_csrf\"[^>]*value=\"([^\"]+)\"").matcher(loginPage);
        assertThat(csrf.find()).as(loginPage).isTrue();
        return browser.send(HttpRequest.newBuilder(uri("/login"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("username=" + enc(user) + "&password=" + enc(password)
                        + "&_csrf=" + enc(csrf.group(1)))).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String basic(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    /** What the operator's next login from this machine does: the shared context's other tests log in from here. */
    private void forgetFailedLogins(String user) throws Exception {
        UsernamePasswordAuthenticationToken login = UsernamePasswordAuthenticationToken.authenticated(user, null,
                List.of());
        login.setDetails(new WebAuthenticationDetails(InetAddress.getByName("localhost").getHostAddress(), null));
        events.publishEvent(new AuthenticationSuccessEvent(login));
    }

    private HttpResponse<String> call(String method, String path, String body, String key, String... headers)
            throws Exception {
        List<String> all = new ArrayList<>(List.of(headers));
        if (body != null && !all.contains("Content-Type")) {
            all.addAll(List.of("Content-Type", "application/json"));
        }
        if (key != null) {
            all.addAll(List.of("X-API-Key", key));
        } else if (!all.contains("Authorization")) {
            // an Authorization header of no scheme keeps the test helpers from adding their own key
            all.addAll(List.of("Authorization", "None"));
        }
        return httpCall(method, path, body, all.toArray(String[]::new));
    }

    private List<String> documents(HttpResponse<String> response) throws Exception {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        List<String> ids = new ArrayList<>();
        JsonNode chunks = JSON.readTree(response.body()).path("data").path("chunks");
        chunks.forEach(c -> ids.add(c.get("document_id").asText()));
        return ids;
    }

    private static String userToken(String subject, String tenant, List<String> roles, String secret) throws Exception {
        SignedJWT jwt = new SignedJWT(new JWSHeader(JWSAlgorithm.HS256), new JWTClaimsSet.Builder().subject(subject)
                .claim("tenant", tenant).claim("roles", roles)
                .expirationTime(new Date(System.currentTimeMillis() + 300_000)).build());
        jwt.sign(new MACSigner(secret.getBytes(StandardCharsets.UTF_8)));
        return jwt.serialize();
    }

    private void storageFile(String path, String content) {
        io.ragsync.support.TestFiles.write(storageRoot(), path, content);
    }

    private URI uri(String path) {
        return URI.create("http://localhost:" + port + path);
    }

    private static String enc(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}

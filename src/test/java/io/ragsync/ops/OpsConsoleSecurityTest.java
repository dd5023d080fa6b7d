package io.ragsync.ops;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;

/**
 * The console surface: Hawtio, Jolokia, the dashboard and the non-public actuator endpoints need the operator
 * login; health, Prometheus and the product's /api stay open; Jolokia shows the Camel route MBeans and can
 * suspend and resume a route (over POST), but reads nothing outside Camel / java.lang and writes nothing.
 */
class OpsConsoleSecurityTest extends OpsTestSupport {

    private static final String ROUTE_MBEAN = "org.apache.camel:context=ragsync,type=routes,name=%22ops-metrics-timer%22";

    @Test
    void consoleJolokiaDashboardAndActuatorRefuseAnonymousRequests() throws Exception {
        for (String path : new String[] {"/actuator/hawtio/", "/actuator/jolokia/list/org.apache.camel", "/ops",
                "/ops/index.html", "/ops/api/overview", "/actuator/metrics", "/hawtio/", "/jolokia/"}) {
            HttpResponse<String> response = anonymous.get(path);
            assertThat(response.statusCode()).as("anonymous %s", path).isIn(401, 302);
            if (response.statusCode() == 302) {
                assertThat(response.headers().firstValue("Location")).as("redirect of %s", path)
                        .hasValueSatisfying(location -> assertThat(location).endsWith("/login"));
            }
            assertThat(response.body()).doesNotContain("\"value\"").doesNotContain("ragsync_").doesNotContain("<title>");
        }
        HttpResponse<String> wrongPassword = OpsHttp.as(port, credentials.user(), "not-the-password")
                .get("/actuator/jolokia/list/org.apache.camel");
        assertThat(wrongPassword.statusCode()).isEqualTo(401);
    }

    @Test
    void healthPrometheusAndTheSyncStatusStayOpenOperatorActionsNeedACredential() throws Exception {
        assertThat(anonymous.get("/actuator/health/liveness").statusCode()).isEqualTo(200);
        assertThat(anonymous.get("/actuator/health/readiness").statusCode()).isEqualTo(200);
        assertThat(anonymous.get("/actuator/prometheus").body()).contains("ragsync_jobs");
        assertThat(anonymous.get("/api/documents/424242/sync-status").statusCode()).isEqualTo(404);
        // an operator action needs a credential with its right (or the console session with its CSRF token)
        assertThat(anonymous.postJson("/api/jobs/requeue", "{\"status\":\"failed\"}").statusCode()).isEqualTo(401);
    }

    @Test
    void hawtioAndTheDashboardAreServedAfterLogin() throws Exception {
        HttpResponse<String> hawtio = operator.get("/actuator/hawtio/");
        assertThat(hawtio.statusCode()).isEqualTo(200);
        assertThat(hawtio.body()).contains("<title>Hawtio</title>");
        HttpResponse<String> dashboard = operator.get("/ops");
        assertThat(dashboard.statusCode()).isEqualTo(200);
        assertThat(dashboard.body()).contains("RAGSync sync dashboard");
        assertThat(operator.get("/actuator/metrics").statusCode()).isEqualTo(200);
    }

    @Test
    void jolokiaListsTheCamelRouteMBeansAndCanSuspendAndResumeARoute() throws Exception {
        HttpResponse<String> list = operator.get("/actuator/jolokia/list/org.apache.camel");
        assertThat(list.statusCode()).isEqualTo(200);
        JsonNode mbeans = mapper.readTree(list.body()).get("value");
        assertThat(mbeans).isNotNull();
        for (String route : new String[] {"sync-job", "job-poller", "ragflow-call", "ops-refresh-metrics"}) {
            assertThat(mbeans.has("context=ragsync,name=\"" + route + "\",type=routes"))
                    .as("route MBean of %s in %s", route, toList(mbeans)).isTrue();
        }
        assertThat(mbeans.has("context=ragsync,name=\"ragsync\",type=context")).isTrue();

        JsonNode state = jolokia("/read/" + ROUTE_MBEAN + "/State");
        assertThat(state.get("value").asText()).isEqualTo("Started");
        assertThat(jolokia("/read/" + ROUTE_MBEAN + "/ExchangesTotal").get("status").asInt()).isEqualTo(200);

        assertThat(exec("suspend()").get("status").asInt()).isEqualTo(200);
        assertThat(camel.getRouteController().getRouteStatus("ops-metrics-timer").isSuspended()).isTrue();
        assertThat(jolokia("/read/" + ROUTE_MBEAN + "/State").get("value").asText()).isEqualTo("Suspended");
        assertThat(exec("resume()").get("status").asInt()).isEqualTo(200);
        assertThat(camel.getRouteController().getRouteStatus("ops-metrics-timer").isStarted()).isTrue();
    }

    @Test
    void jolokiaReadsNothingOutsideCamelAndJavaLangAndWritesNothing() throws Exception {
        assertThat(jolokia("/read/java.lang:type=Runtime/Uptime").get("status").asInt()).isEqualTo(200);
        assertThat(jolokia("/read/java.util.logging:type=Logging/LoggerNames").get("status").asInt()).isEqualTo(403);
        assertThat(jolokia("/exec/java.util.logging:type=Logging/getLoggerLevel/root").get("status").asInt())
                .isEqualTo(403);
        assertThat(jolokia("/write/java.lang:type=Memory/Verbose/true").get("status").asInt()).isEqualTo(403);
        assertThat(jolokia("/write/" + ROUTE_MBEAN + "/Description/changed").get("status").asInt()).isEqualTo(403);
    }

    private static java.util.List<String> toList(JsonNode node) {
        java.util.List<String> names = new java.util.ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }

    /** An operation of the route MBean, posted the way Hawtio does (state changes are POST only). */
    private JsonNode exec(String operation) throws Exception {
        String request = mapper.createObjectNode().put("type", "exec").put("mbean", ROUTE_MBEAN.replace("%22", "\""))
                .put("operation", operation).toString();
        return mapper.readTree(operator.postJsonWithCsrf("/actuator/jolokia", request).body());
    }

    private JsonNode jolokia(String path) throws Exception {
        HttpResponse<String> response = operator.get("/actuator/jolokia" + path);
        JsonNode body = mapper.readTree(response.body());
        if (response.statusCode() != 200) {
            // some Jolokia versions answer refusals with the HTTP status as well
            assertThat(body.get("status").asInt()).isEqualTo(response.statusCode());
        }
        return body;
    }
}

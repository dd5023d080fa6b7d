package io.ragsync.platform.security;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ragsync.ops.OpsTestSupport;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.apache.camel.ServiceStatus;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the operator login can do through Jolokia: read, and start, stop, suspend or resume a route over POST;
 * never run an endpoint URI through the CamelContext MBean, write an attribute, or change state over GET.
 */
class ConsolePrivilegeTest extends OpsTestSupport {

    private static final String CONTEXT = "org.apache.camel:context=ragsync,type=context,name=\"ragsync\"";
    private static final String ROUTE = "org.apache.camel:context=ragsync,type=routes,name=\"ops-metrics-timer\"";

    @TempDir
    Path outside;

    @Test
    void requestBodyOnTheContextIsRefusedAndRunsNothing() throws Exception {
        JsonNode file = exec(CONTEXT, "requestBody(java.lang.String,java.lang.Object)",
                "file:" + outside + "?fileName=written-by-jolokia.txt", "x");
        assertThat(file.get("status").asInt()).isEqualTo(403);
        assertThat(outside.resolve("written-by-jolokia.txt")).doesNotExist();

        JsonNode secret = exec(CONTEXT, "requestBody(java.lang.String,java.lang.Object)",
                "sql:select '{{app.push.api-key}}' as k", "x");
        assertThat(secret.get("status").asInt()).isEqualTo(403);
        assertThat(secret.toString()).doesNotContain(PUSH_API_KEY);
    }

    @Test
    void createEndpointAndSendBodyAreRefused() throws Exception {
        String uri = "file:" + outside + "?fileName=sent-by-jolokia.txt";
        assertThat(exec(CONTEXT, "createEndpoint(java.lang.String)", uri).get("status").asInt()).isEqualTo(403);
        assertThat(exec(CONTEXT, "sendBody(java.lang.String,java.lang.Object)", uri, "x").get("status").asInt())
                .isEqualTo(403);
        assertThat(exec(CONTEXT, "addOrUpdateRoutesFromXml(java.lang.String)", "<routes/>").get("status").asInt())
                .isEqualTo(403);
        assertThat(exec(ROUTE, "updateRouteFromXml(java.lang.String)", "<route/>").get("status").asInt())
                .isEqualTo(403);
        assertThat(exec(CONTEXT, "stop()").get("status").asInt()).isEqualTo(403);
        assertThat(outside.resolve("sent-by-jolokia.txt")).doesNotExist();
        assertThat(camel.getStatus()).isEqualTo(ServiceStatus.Started);
    }

    @Test
    void aRouteStopsAndStartsOverPost() throws Exception {
        try {
            assertThat(exec(ROUTE, "stop()").get("status").asInt()).isEqualTo(200);
            assertThat(camel.getRouteController().getRouteStatus("ops-metrics-timer").isStopped()).isTrue();
            assertThat(exec(ROUTE, "start()").get("status").asInt()).isEqualTo(200);
            assertThat(camel.getRouteController().getRouteStatus("ops-metrics-timer").isStarted()).isTrue();
        } finally {
            camel.getRouteController().startRoute("ops-metrics-timer");
        }
    }

    @Test
    void execAndWriteOverGetAreRefused() throws Exception {
        String suspend = "/exec/" + ROUTE + "/suspend()";
        for (String path : new String[] {"/actuator/jolokia" + suspend,
                "/actuator/jolokia/?p=" + URLEncoder.encode(suspend, StandardCharsets.UTF_8),
                "/actuator/jolokia/write/" + ROUTE + "/Description/changed"}) {
            HttpResponse<String> response = operator.get(path.replace("\"", "%22"));
            assertThat(response.statusCode()).as("GET %s", path).isEqualTo(403);
        }
        assertThat(camel.getRouteController().getRouteStatus("ops-metrics-timer").isStarted()).isTrue();
    }

    @Test
    void writingAnAttributeIsRefused() throws Exception {
        ObjectNode write = mapper.createObjectNode().put("type", "write").put("mbean", ROUTE)
                .put("attribute", "Description").put("value", "changed");
        assertThat(post(write).get("status").asInt()).isEqualTo(403);
        assertThat(camel.getRoute("ops-metrics-timer").getDescription()).isNotEqualTo("changed");
    }

    @Test
    void aRoutesStatisticsAreReadable() throws Exception {
        ObjectNode read = mapper.createObjectNode().put("type", "read").put("mbean", ROUTE)
                .put("attribute", "ExchangesTotal");
        JsonNode overPost = post(read);
        assertThat(overPost.get("status").asInt()).isEqualTo(200);
        assertThat(overPost.get("value").asLong()).isNotNegative();
        HttpResponse<String> overGet = operator.get(("/actuator/jolokia/read/" + ROUTE + "/ExchangesTotal")
                .replace("\"", "%22"));
        assertThat(overGet.statusCode()).isEqualTo(200);
        assertThat(mapper.readTree(overGet.body()).get("status").asInt()).isEqualTo(200);
    }

    private JsonNode exec(String mbean, String operation, Object... arguments) throws Exception {
        ObjectNode request = mapper.createObjectNode().put("type", "exec").put("mbean", mbean)
                .put("operation", operation);
        var args = request.putArray("arguments");
        for (Object argument : arguments) {
            args.add(String.valueOf(argument));
        }
        return post(request);
    }

    /** A Jolokia request over POST with the CSRF token; the JSON answer (Jolokia's status is in its body). */
    private JsonNode post(ObjectNode request) throws Exception {
        HttpResponse<String> response = operator.postJsonWithCsrf("/actuator/jolokia", request.toString());
        assertThat(response.statusCode()).as("%s -> %s", request, response.body()).isIn(200, 403);
        return mapper.readTree(response.body());
    }
}

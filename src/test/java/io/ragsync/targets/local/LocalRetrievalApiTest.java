package io.ragsync.targets.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ragsync.support.HubTestSupport;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * POST /api/retrieval (routes/targets/local/local-retrieval.camel.yaml) and GET /api/knowledge-bases
 * (routes/ops/knowledge-bases-api.camel.yaml) on documents indexed by the real job queue.
 */
class LocalRetrievalApiTest extends HubTestSupport {

    private static final ObjectMapper JSON = new ObjectMapper();

    private long kb;
    private long otherKb;
    private long backup;
    private long vacation;
    private long salaries;
    private long acmeDoc;

    @BeforeEach
    void indexDocuments() {
        kb = localKnowledgeBase("it-and-hr");
        otherKb = localKnowledgeBase("kitchen");
        long acmeKb = localKnowledgeBase("acme-only");
        jdbc.update("UPDATE knowledge_base SET tenant = 'acme' WHERE id = ?", acmeKb);
        backup = documentWithFile(kb, "Backup guide", "r/backup.txt",
                "The file servers are backed up every night at two o'clock. Backups are kept for thirty days"
                        + " and a restore can be requested from the IT helpdesk.");
        vacation = documentWithFile(kb, "Vacation policy", "r/vacation.txt",
                "Employees get twenty-five days of paid vacation per year. Vacation requests go to the line manager"
                        + " at least two weeks in advance.");
        writeFile("r/salaries.txt", "Salary bands and the yearly salary review are decided by the HR committee"
                + " in March; salaries are paid on the last working day of the month.");
        salaries = jdbc.queryForObject("INSERT INTO document (knowledge_base_id, title, file_path, allowed_roles)"
                + " VALUES (?, 'Salaries', 'r/salaries.txt', ARRAY['hr','finance']) RETURNING id", Long.class, kb);
        documentWithFile(otherKb, "Coffee machine", "r/coffee.txt",
                "The coffee machine is descaled every Friday; backups of the milk supply are in the fridge.");
        acmeDoc = documentWithFile(acmeKb, "Acme backups", "r/acme.txt",
                "Acme's servers are backed up every hour to the Frankfurt data centre.");
        eventually(() -> jdbc.queryForObject("SELECT count(*) FROM sync_job WHERE status = 'indexed'", Integer.class) == 5);
    }

    private JsonNode retrieve(String body) throws Exception {
        return retrieve(body, apiKey());
    }

    private JsonNode retrieve(String body, String key) throws Exception {
        HttpResponse<String> response = httpCall("POST", "/api/retrieval", body, "Content-Type", "application/json",
                "X-API-Key", key);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type").orElse("")).contains("application/json");
        JsonNode root = JSON.readTree(response.body());
        assertThat(root.get("code").asInt()).isZero();
        return root.get("data");
    }

    private static List<String> documentIds(JsonNode data) {
        List<String> ids = new ArrayList<>();
        data.get("chunks").forEach(c -> ids.add(c.get("document_id").asText()));
        return ids;
    }

    @Test
    void answersInRagflowsShapeWithTheBestChunkFirst() throws Exception {
        JsonNode data = retrieve("{\"question\":\"When are the servers backed up?\",\"knowledge_base_ids\":[" + kb + "]}");
        JsonNode first = data.get("chunks").get(0);
        assertThat(first.get("document_id").asText()).isEqualTo(String.valueOf(backup));
        assertThat(first.get("dataset_id").asText()).isEqualTo(String.valueOf(kb));
        assertThat(first.get("document_keyword").asText()).isEqualTo("backup.txt");
        assertThat(first.get("content").asText()).contains("backed up every night");
        assertThat(first.get("similarity").asDouble()).isBetween(0.3, 1.0);
        assertThat(first.get("vector_similarity").asDouble()).isEqualTo(first.get("similarity").asDouble());
        assertThat(first.get("id").asText()).isNotBlank();
        assertThat(first.get("metadata").get("title").asText()).isEqualTo("Backup guide");
        assertThat(data.get("total").asInt()).isEqualTo(data.get("chunks").size());
        JsonNode agg = data.get("doc_aggs").get(0);
        assertThat(agg.get("doc_id").asText()).isEqualTo(String.valueOf(backup));
        assertThat(agg.get("doc_name").asText()).isEqualTo("backup.txt");
        assertThat(agg.get("count").asInt()).isEqualTo(1);
        // ranked: similarities never increase
        List<Double> sims = new ArrayList<>();
        data.get("chunks").forEach(c -> sims.add(c.get("similarity").asDouble()));
        assertThat(sims).isSortedAccordingTo((a, b) -> Double.compare(b, a));
        // only the requested knowledge base, only untenanted and unrestricted chunks
        assertThat(documentIds(data)).doesNotContain(String.valueOf(salaries), String.valueOf(acmeDoc))
                .allMatch(id -> id.equals(String.valueOf(backup)) || id.equals(String.valueOf(vacation)));
    }

    @Test
    void theCallersRolesAndTenantFilterWhatIsVisibleNotTheBodys() throws Exception {
        String q = "{\"question\":\"How are salaries reviewed?\",\"knowledge_base_ids\":[" + kb + "],"
                + "\"similarity_threshold\":0";
        String sales = apiKey("sales-" + System.nanoTime(), "globex", List.of("sales"), List.of("retrieve"), false);
        String finance = apiKey("finance-" + System.nanoTime(), "globex", List.of("finance"), List.of("retrieve"), false);
        assertThat(documentIds(retrieve(q + "}"))).doesNotContain(String.valueOf(salaries));
        assertThat(documentIds(retrieve(q + "}", sales))).doesNotContain(String.valueOf(salaries));
        // roles in the body are ignored: the credential's roles decide
        assertThat(documentIds(retrieve(q + ",\"roles\":[\"finance\"]}", sales))).doesNotContain(String.valueOf(salaries));
        assertThat(documentIds(retrieve(q + "}", finance)).get(0)).isEqualTo(String.valueOf(salaries));

        String acme = "{\"question\":\"server backups\",\"knowledge_base_ids\":[" + kb + "," + otherKb + ","
                + jdbc.queryForObject("SELECT knowledge_base_id FROM document WHERE id = ?", Long.class, acmeDoc) + "]";
        String acmeKey = apiKey("acme-" + System.nanoTime(), "acme", List.of(), List.of("retrieve"), false);
        // another tenant's knowledge base is refused as an unknown one is, whatever the body says
        for (String[] call : new String[][] {{acme + "}", apiKey()}, {acme + ",\"tenant\":\"acme\"}", sales}}) {
            HttpResponse<String> refused = httpCall("POST", "/api/retrieval", call[0], "Content-Type",
                    "application/json", "X-API-Key", call[1]);
            assertThat(refused.statusCode()).as(refused.body()).isEqualTo(400);
            assertThat(JSON.readTree(refused.body()).get("message").asText()).isEqualTo("no knowledge base "
                    + jdbc.queryForObject("SELECT knowledge_base_id FROM document WHERE id = ?", Long.class, acmeDoc)
                    + " is readable with this credential");
            assertThat(refused.body()).doesNotContain("acme-only");
        }
        assertThat(documentIds(retrieve(acme + "}", acmeKey))).contains(String.valueOf(acmeDoc));
    }

    @Test
    void metadataConditionsFiltersThresholdAndPaging() throws Exception {
        String base = "{\"question\":\"backups\",\"knowledge_base_ids\":[" + kb + "," + otherKb + "],\"similarity_threshold\":0";
        JsonNode byTitle = retrieve(base + ",\"metadata_condition\":{\"logic\":\"and\",\"conditions\":[{\"name\":\"title\","
                + "\"comparison_operator\":\"is\",\"value\":\"vacation POLICY\"}]}}");
        assertThat(documentIds(byTitle)).containsOnly(String.valueOf(vacation));
        JsonNode or = retrieve(base + ",\"metadata_condition\":{\"logic\":\"or\",\"conditions\":["
                + "{\"name\":\"title\",\"comparison_operator\":\"contains\",\"value\":\"coffee\"},"
                + "{\"name\":\"file_name\",\"comparison_operator\":\"start with\",\"value\":\"backup\"}]}}");
        assertThat(documentIds(or)).hasSize(2).doesNotContain(String.valueOf(vacation));
        JsonNode none = retrieve(base + ",\"metadata_condition\":{\"conditions\":[{\"name\":\"title\","
                + "\"comparison_operator\":\"is\",\"value\":\"no such title\"}]}}");
        assertThat(none.get("chunks")).isEmpty();
        JsonNode filter = retrieve(base + ",\"metadata_filter\":{\"file_name\":\"coffee.txt\"}}");
        assertThat(filter.get("chunks")).hasSize(1);
        assertThat(filter.get("chunks").get(0).get("dataset_id").asText()).isEqualTo(String.valueOf(otherKb));
        JsonNode docs = retrieve(base + ",\"document_ids\":[\"" + vacation + "\"]}");
        assertThat(documentIds(docs)).containsOnly(String.valueOf(vacation));

        assertThat(retrieve(base.replace("\"similarity_threshold\":0", "\"similarity_threshold\":0.99") + "}")
                .get("chunks")).isEmpty();
        JsonNode page1 = retrieve(base + ",\"page_size\":1}");
        JsonNode page2 = retrieve(base + ",\"page_size\":1,\"page\":2}");
        assertThat(page1.get("chunks")).hasSize(1);
        assertThat(page2.get("chunks")).hasSize(1);
        assertThat(page2.get("chunks").get(0).get("id")).isNotEqualTo(page1.get("chunks").get(0).get("id"));
        JsonNode topOne = retrieve(base + ",\"top_k\":1}");
        assertThat(topOne.get("chunks")).hasSize(1);
        assertThat(retrieve("{\"question\":\"  \",\"knowledge_base_ids\":[" + kb + "]}").get("total").asInt()).isZero();
    }

    @Test
    void badRequestsGet400WithAReason() throws Exception {
        String[][] cases = {
            {"{\"knowledge_base_ids\":[1]}", "question"},
            {"{\"question\":\"x\"}", "knowledge_base_ids"},
            {"{\"question\":\"x\",\"knowledge_base_ids\":[\"abc\"]}", "knowledge_base_ids"},
            // an id no knowledge base has, and one beyond a BIGINT: named, never an empty answer
            {"{\"question\":\"x\",\"knowledge_base_ids\":[987654321]}", "no knowledge base 987654321 is readable"},
            {"{\"question\":\"x\",\"knowledge_base_ids\":[99999999999999999999]}", "positive integer ids"},
            {"{\"question\":\"x\",\"knowledge_base_ids\":[1],\"top_k\":0}", "top_k"},
            {"{\"question\":\"x\",\"knowledge_base_ids\":[1],\"page_size\":101}", "page_size"},
            {"{\"question\":\"x\",\"knowledge_base_ids\":[1],\"similarity_threshold\":\"high\"}", "similarity_threshold"},
            {"{\"question\":\"x\",\"knowledge_base_ids\":[1],\"metadata_condition\":\"title=x\"}", "metadata_condition"},
            {"{\"question\": ", "malformed JSON"},
            {"[1,2]", "JSON object"},
            // PostgreSQL text cannot hold U+0000: refused by field, before the filter reaches SQL
            {"{\"question\":\"x\",\"knowledge_base_ids\":[1],\"metadata_filter\":{\"team\":\"a\\u0000\"}}",
                "metadata_filter.team"},
        };
        for (String[] c : cases) {
            HttpResponse<String> response = httpPost("/api/retrieval", c[0]);
            assertThat(response.statusCode()).as(c[0]).isEqualTo(400);
            JsonNode body = JSON.readTree(response.body());
            assertThat(body.get("error").asText()).isEqualTo("bad_request");
            assertThat(body.get("message").asText()).as(c[0]).contains(c[1]);
        }
        // the caller's right is checked before the body is read
        String pushOnly = apiKey("push-bad-" + System.nanoTime(), "acme", List.of(), List.of("push"), false);
        assertThat(httpCall("POST", "/api/retrieval", "{\"question\": ", "Content-Type", "application/json",
                "X-API-Key", pushOnly).statusCode()).isEqualTo(403);
    }

    @Test
    void knowledgeBasesAreListedAndNamedWithinTheCallersTenant() throws Exception {
        long acmeKb = jdbc.queryForObject("SELECT knowledge_base_id FROM document WHERE id = ?", Long.class, acmeDoc);
        String acmeKey = apiKey("acme-kb-" + System.nanoTime(), "acme", List.of(), List.of("retrieve"), false);
        String globexKey = apiKey("globex-kb-" + System.nanoTime(), "globex", List.of(), List.of("retrieve"), false);
        String pushOnly = apiKey("push-kb-" + System.nanoTime(), "acme", List.of(), List.of("push"), false);

        // by name, the same chunks as by id; names and ids mix
        String question = "{\"question\":\"When are the servers backed up?\",\"similarity_threshold\":0,\"knowledge_base_ids\":";
        assertThat(documentIds(retrieve(question + "[\"it-and-hr\"]}"))).isEqualTo(documentIds(retrieve(question + "[" + kb + "]}")))
                .contains(String.valueOf(backup));
        assertThat(documentIds(retrieve(question + "[\"kitchen\"," + kb + "]}")))
                .containsAll(documentIds(retrieve(question + "[" + otherKb + "," + kb + "]}")));
        // a tenant's knowledge base is found by that tenant's name only; another tenant gets what an unknown name gets
        assertThat(documentIds(retrieve(question + "[\"acme-only\"]}", acmeKey))).contains(String.valueOf(acmeDoc));
        for (String[] call : new String[][] {{"acme-only", globexKey}, {"acme-only", apiKey()}, {"no-such-kb", acmeKey},
                {"#bean:knowledgeBases", acmeKey}, {"${body}", acmeKey}}) {
            HttpResponse<String> refused = httpCall("POST", "/api/retrieval", question + "[\"" + call[0] + "\"]}",
                    "Content-Type", "application/json", "X-API-Key", call[1]);
            assertThat(refused.statusCode()).as(call[0]).isEqualTo(400);
            assertThat(refused.body()).contains("no knowledge base named");
        }

        JsonNode acme = listKnowledgeBases(acmeKey);
        assertThat(names(acme)).containsExactly("it-and-hr", "kitchen", "acme-only");
        JsonNode hr = acme.get(0);
        assertThat(hr.get("id").asLong()).isEqualTo(kb);
        assertThat(hr.get("target").asText()).isEqualTo("local");
        assertThat(hr.get("tenant").isNull()).isTrue();
        assertThat(hr.get("documents").asInt()).isEqualTo(3);
        assertThat(hr.at("/status_counts/indexed").asInt()).isEqualTo(3);
        assertThat(acme.get(2).get("id").asLong()).isEqualTo(acmeKb);
        assertThat(acme.get(2).get("tenant").asText()).isEqualTo("acme");
        assertThat(names(listKnowledgeBases(globexKey))).containsExactly("it-and-hr", "kitchen");
        assertThat(names(listKnowledgeBases(apiKey()))).containsExactly("it-and-hr", "kitchen");
        assertThat(httpCall("GET", "/api/knowledge-bases", null, "X-API-Key", pushOnly).statusCode()).isEqualTo(403);
        assertThat(httpCall("GET", "/api/knowledge-bases", null, "X-API-Key", "rsk_nope").statusCode()).isEqualTo(401);
    }

    private JsonNode listKnowledgeBases(String key) throws Exception {
        HttpResponse<String> response = httpCall("GET", "/api/knowledge-bases", null, "X-API-Key", key);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return JSON.readTree(response.body()).get("knowledge_bases");
    }

    private static List<String> names(JsonNode knowledgeBases) {
        List<String> names = new ArrayList<>();
        knowledgeBases.forEach(k -> names.add(k.get("name").asText()));
        return names;
    }

}

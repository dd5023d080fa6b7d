package io.ragsync.platform.security;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ragsync.support.HubTestSupport;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The tenant and roles of each source reach every chunk of the local index and RAGFlow's meta_fields: a caller of
 * another tenant and a caller without the role get nothing, the source's own caller gets the chunk. (REST sources:
 * RestSourceLocalIndexTest.)
 */
class ChunkTenancyTest extends HubTestSupport {

    private static final ObjectMapper JSON = new ObjectMapper();

    private List<String> savedDefaultTarget;

    @AfterEach
    void restoreDefaultTarget() {
        if (savedDefaultTarget != null) {
            jdbc.update("DELETE FROM ragsync_setting WHERE key = 'default_target'");
            savedDefaultTarget.forEach(v -> jdbc.update(
                    "INSERT INTO ragsync_setting (key, value) VALUES ('default_target', ?)", v));
            savedDefaultTarget = null;
        }
    }

    private long acmeMemberKnowledgeBase(String name) {
        long kb = localKnowledgeBase(name);
        jdbc.update("UPDATE knowledge_base SET tenant = 'acme', allowed_roles = ARRAY['member'] WHERE id = ?", kb);
        return kb;
    }

    @Test
    void backendKnowledgeBaseChunksAreSeenOnlyByItsTenantWithTheRole() throws Exception {
        long kb = acmeMemberKnowledgeBase("acme-handbook");
        long doc = documentWithFile(kb, "Parking", "tenancy/parking.txt",
                "Visitors park in the underground garage on level minus two.");
        awaitJob(doc, "indexed");

        assertOnlyAcmeMembersSee(kb, "Where do visitors park?");
    }

    @Test
    void dropFolderKnowledgeBaseChunksAreSeenOnlyByItsTenantWithTheRole() throws Exception {
        long kb = acmeMemberKnowledgeBase("AcmeDrop");
        writeFile("inbox/AcmeDrop/garage.txt", "Visitors park in the underground garage on level minus two.");
        eventually(() -> jdbc.queryForObject("SELECT count(*) FROM drop_file WHERE status = 'registered'"
                + " AND knowledge_base_id = ?", Integer.class, kb) == 1);
        long doc = jdbc.queryForObject("SELECT document_id FROM drop_file WHERE knowledge_base_id = ?", Long.class, kb);
        awaitJob(doc, "indexed");

        assertOnlyAcmeMembersSee(kb, "Where do visitors park?");
    }

    @Test
    void pushChatbotChunksCarryThePushingCredentialsTenantAndRoles() throws Exception {
        // the chatbot's knowledge base is made on the first push: let it default to the local target
        savedDefaultTarget = jdbc.queryForList("SELECT value FROM ragsync_setting WHERE key = 'default_target'",
                String.class);
        jdbc.update("INSERT INTO ragsync_setting (key, value) VALUES ('default_target', 'local')"
                + " ON CONFLICT (key) DO UPDATE SET value = 'local'");
        String pusher = apiKey("acme-odoo-" + System.nanoTime(), "acme", List.of("member"), List.of("push"), false);

        HttpResponse<String> pushed = httpCall("POST", "/api/internal/document/77/embed",
                JSON.writeValueAsString(Map.of("chatbot_id", "acme-bot", "content",
                        "Visitors park in the underground garage on level minus two.",
                        "metadata", Map.of("filename", "parking.txt"))),
                "Content-Type", "application/json", "X-API-Key", pusher);
        assertThat(pushed.statusCode()).as(pushed.body()).isEqualTo(200);
        long kb = jdbc.queryForObject("SELECT knowledge_base_id FROM push_chatbot WHERE chatbot_id = 'acme-bot'",
                Long.class);
        assertThat(jdbc.queryForObject("SELECT count(*) FROM index_chunk WHERE knowledge_base_id = ?"
                + " AND tenant = 'acme' AND allowed_roles = ARRAY['member']", Integer.class, kb)).isPositive();

        assertOnlyAcmeMembersSee(kb, "Where do visitors park?");

        // another tenant cannot write into acme's chatbot either
        String intruder = apiKey("globex-odoo-" + System.nanoTime(), "globex", List.of("member"), List.of("push"), false);
        HttpResponse<String> refused = httpCall("POST", "/api/internal/document/78/embed",
                JSON.writeValueAsString(Map.of("chatbot_id", "acme-bot", "content", "planted text",
                        "metadata", Map.of("filename", "planted.txt"))),
                "Content-Type", "application/json", "X-API-Key", intruder);
        assertThat(refused.statusCode()).as(refused.body()).isEqualTo(403);
        assertThat(jdbc.queryForObject("SELECT count(*) FROM push_source WHERE source_id = '78'", Integer.class))
                .isZero();
        // nor delete from it: to another tenant, acme's chatbot does not exist
        HttpResponse<String> deleted = httpCall("DELETE", "/api/internal/chatbot/acme-bot/source/document/77", null,
                "X-API-Key", intruder);
        assertThat(deleted.statusCode()).as(deleted.body()).isEqualTo(404);
        assertThat(jdbc.queryForObject("SELECT count(*) FROM push_source WHERE source_id = '77'", Integer.class))
                .isEqualTo(1);
        // nor read its jobs
        long job = JSON.readTree(pushed.body()).get("job_id").asLong();
        assertThat(httpCall("GET", "/api/internal/jobs/" + job, null, "X-API-Key", pusher).statusCode()).isEqualTo(200);
        HttpResponse<String> foreignJob = httpCall("GET", "/api/internal/jobs/" + job, null, "X-API-Key", intruder);
        assertThat(foreignJob.statusCode()).as(foreignJob.body()).isEqualTo(404);
    }

    @Test
    @SuppressWarnings("unchecked")
    void ragflowMetaFieldsCarryTheTenantAndRolesOfTheSource() {
        long kb = knowledgeBase("acme-ragflow");
        jdbc.update("UPDATE knowledge_base SET tenant = 'acme', allowed_roles = ARRAY['member', 'hr'] WHERE id = ?", kb);
        long open = knowledgeBase("open-ragflow");
        long acmeDoc = documentWithFile(kb, "Parking", "tenancy/ragflow-parking.txt", "Visitors park on level -2.");
        long openDoc = documentWithFile(open, "Canteen", "tenancy/ragflow-canteen.txt", "The canteen opens at noon.");
        awaitJob(acmeDoc, "indexed");
        awaitJob(openDoc, "indexed");

        Map<String, Object> acmeMeta = ragflowMetaFields(acmeDoc);
        assertThat(acmeMeta).containsEntry("tenant", "acme");
        assertThat((List<String>) acmeMeta.get("roles")).containsExactlyInAnyOrder("member", "hr");
        Map<String, Object> openMeta = ragflowMetaFields(openDoc);
        assertThat(openMeta).doesNotContainKey("tenant");
        assertThat((List<String>) openMeta.get("roles")).isEmpty();
    }


    /** Retrieval of the knowledge base by three callers: acme member, acme without the role, another tenant's. */
    private void assertOnlyAcmeMembersSee(long kb, String question) throws Exception {
        long n = System.nanoTime();
        String member = apiKey("acme-member-" + n, "acme", List.of("member"), List.of("retrieve"), false);
        String noRole = apiKey("acme-guest-" + n, "acme", List.of("guest"), List.of("retrieve"), false);
        String foreign = apiKey("globex-member-" + n, "globex", List.of("member"), List.of("retrieve"), false);

        assertThat(retrieve(kb, question, member)).as("acme member").isPositive();
        assertThat(retrieve(kb, question, noRole)).as("acme without the role").isZero();
        // another tenant's knowledge base is refused as an unknown one is
        HttpResponse<String> refused = call(kb, question, foreign);
        assertThat(refused.statusCode()).as("another tenant").isEqualTo(400);
        assertThat(refused.body()).contains("no knowledge base " + kb + " is readable with this credential");
    }

    private int retrieve(long kb, String question, String key) throws Exception {
        HttpResponse<String> response = call(kb, question, key);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        JsonNode data = JSON.readTree(response.body()).get("data");
        return data.get("chunks").size();
    }

    private HttpResponse<String> call(long kb, String question, String key) throws Exception {
        return httpCall("POST", "/api/retrieval", JSON.writeValueAsString(Map.of("question", question,
                "knowledge_base_ids", List.of(kb), "similarity_threshold", -1)),
                "Content-Type", "application/json", "X-API-Key", key);
    }
}

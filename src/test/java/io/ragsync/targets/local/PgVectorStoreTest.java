package io.ragsync.targets.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.ragsync.support.IndexFixtures;
import io.ragsync.support.PgliteServer;
import io.ragsync.support.TestPostgres;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.RegisterExtension;
import javax.sql.DataSource;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.SingleConnectionDataSource;

/**
 * The chunk store on a real pgvector (PGlite: PostgreSQL 18 + pgvector 0.8, HNSW index) against the small-scale
 * mode (the suite's PostgreSQL 14 without pgvector, real[] and exact scoring), with the same migrations, the same
 * data and real all-MiniLM-L6-v2 embeddings: same top-k, same scores, same filters.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PgVectorStoreTest {

    @RegisterExtension
    static final PgliteServer PGLITE = new PgliteServer();

    private static final String[] QUESTIONS = {
        "When are invoices paid?", "How much vacation do employees get?", "What is the backup schedule of the servers?",
        "Where can I park my car?", "How often do we practise fire evacuation?", "Which software licences expire?"};

    private HikariDataSource vectorDs;
    private HikariDataSource arrayDs;
    private ChunkStore vector;
    private ChunkStore array;

    @BeforeAll
    void migrateAndLoad() {
        // Flyway takes a second connection for its lock: on PGlite's single session it shares one physical connection
        SingleConnectionDataSource migrationDs = new SingleConnectionDataSource(PGLITE.jdbcUrl(), "postgres", "postgres",
                true);
        arrayDs = pool(TestPostgres.jdbcUrl("ragsync_vector_compare"), "postgres", "", 2);
        for (DataSource ds : List.of(migrationDs, arrayDs)) {
            // the migrations up to this helper's range (a "?" target may be missing)
            Flyway.configure().dataSource(ds).locations("classpath:db/migration").target("29?")
                    .placeholders(Map.of("embedding_dimension", "384")).cleanDisabled(false).load().migrate();
            new JdbcTemplate(ds).execute("TRUNCATE index_chunk, index_source");
        }
        migrationDs.destroy();
        vectorDs = pool(PGLITE.jdbcUrl(), "postgres", "postgres", 1);
        vector = new ChunkStore(vectorDs, 100);
        array = new ChunkStore(arrayDs, 100);
        LocalEmbeddingModel model = new LocalEmbeddingModel();
        TextChunker chunker = new TextChunker();
        List<String> paragraphs = IndexFixtures.paragraphs(48, 350);
        // 12 sources of 4 paragraphs, in two knowledge bases, some restricted by role or tenant
        for (int s = 0; s < 12; s++) {
            String text = String.join("\n\n", paragraphs.subList(s * 4, s * 4 + 4));
            TextChunker.Result chunks = chunker.chunk(text, TextChunker.Settings.characters(400, 50, 100));
            List<float[]> vectors = model.embed(chunks.chunks().stream().map(TextChunker.Chunk::content).toList())
                    .stream().map(EmbeddingPlan::normalize).toList();
            String roles = s % 4 == 1 ? "[\"hr\"]" : "[]";
            String tenant = s % 4 == 2 ? "acme" : null;
            String metadata = "{\"title\":\"Source " + s + "\",\"year\":" + (2020 + s % 3) + "}";
            for (ChunkStore store : List.of(vector, array)) {
                store.replace(new ChunkStore.SourceChunks(s < 8 ? 1 : 2, "document", String.valueOf(s), "hash" + s,
                        "meta", "local:" + LocalEmbeddingModel.NAME, metadata, roles, tenant, chunks.chunks(), vectors,
                        false));
            }
        }
        // make the planner use the HNSW index even on this small table, so the comparison exercises it
        new JdbcTemplate(vectorDs).execute("SET enable_seqscan = off");
    }

    @AfterAll
    void close() {
        if (vectorDs != null) {
            vectorDs.close();
        }
        arrayDs.close();
    }

    private static HikariDataSource pool(String url, String user, String password, int size) {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(url);
        config.setUsername(user);
        config.setPassword(password);
        config.setMaximumPoolSize(size);
        config.addDataSourceProperty("stringtype", "unspecified");
        // PGlite takes a moment to accept a new session after the previous one closed: keep trying to connect
        config.setInitializationFailTimeout(30_000);
        return new HikariDataSource(config);
    }

    private static ChunkStore.Search search(float[] q, String kbs, String roles, String tenant, String condition,
                                            int limit) {
        return new ChunkStore.Search(q, kbs, null, tenant, roles, null, condition, limit, -1);
    }

    private static List<String> keys(List<Map<String, Object>> rows) {
        List<String> out = new ArrayList<>();
        rows.forEach(r -> out.add(r.get("source_id") + "#" + r.get("chunk_index")));
        return out;
    }

    @Test
    void theTwoStorageModesAreDetectedFromTheSchema() {
        assertThat(vector.mode()).isEqualTo(ChunkStore.Mode.PGVECTOR);
        assertThat(array.mode()).isEqualTo(ChunkStore.Mode.ARRAY);
        JdbcTemplate pg = new JdbcTemplate(vectorDs);
        assertThat(pg.queryForObject("SELECT extversion FROM pg_extension WHERE extname = 'vector'", String.class))
                .startsWith("0.8");
        assertThat(pg.queryForObject("SELECT indexdef FROM pg_indexes WHERE indexname = 'index_chunk_embedding_hnsw'",
                String.class)).contains("hnsw").contains("vector_cosine_ops");
        String plan = String.join("\n", pg.queryForList("EXPLAIN SELECT id FROM index_chunk ORDER BY embedding <=>"
                + " (SELECT embedding FROM index_chunk LIMIT 1) LIMIT 5", String.class));
        assertThat(plan).contains("index_chunk_embedding_hnsw");
        assertThat(new JdbcTemplate(arrayDs).queryForObject("SELECT format_type(atttypid, atttypmod) FROM pg_attribute"
                + " WHERE attrelid = 'index_chunk'::regclass AND attname = 'embedding'", String.class)).isEqualTo("real[]");
    }

    @Test
    void hnswAndExactScoringReturnTheSameTopK() {
        LocalEmbeddingModel model = new LocalEmbeddingModel();
        List<float[]> queries = model.embed(List.of(QUESTIONS));
        int total = new JdbcTemplate(arrayDs).queryForObject("SELECT count(*) FROM index_chunk", Integer.class);
        assertThat(total).isGreaterThan(60);
        for (int i = 0; i < queries.size(); i++) {
            ChunkStore.Search s = search(queries.get(i), "[1,2]", "[\"hr\"]", "acme", null, 10);
            List<Map<String, Object>> fromVector = vector.search(s);
            List<Map<String, Object>> fromArray = array.search(s);
            assertThat(keys(fromVector)).as(QUESTIONS[i]).hasSize(10).isEqualTo(keys(fromArray));
            for (int k = 0; k < 10; k++) {
                assertThat(((Number) fromVector.get(k).get("similarity")).doubleValue()).as(QUESTIONS[i])
                        .isCloseTo(((Number) fromArray.get(k).get("similarity")).doubleValue(), within(1e-4));
            }
            assertThat(fromArray.get(0).get("content").toString().toLowerCase())
                    .as("best chunk for %s", QUESTIONS[i]).containsAnyOf(QUESTIONS[i].toLowerCase().split("\\W+"));
        }
    }

    @Test
    void filtersAgreeInBothModes() {
        float[] q = new LocalEmbeddingModel().embed(List.of("rules that apply to every team")).get(0);
        String condition = "{\"logic\":\"and\",\"conditions\":[{\"name\":\"year\",\"comparison_operator\":\">=\",\"value\":2021}]}";
        List<ChunkStore.Search> searches = List.of(
                search(q, "[1]", "[]", null, null, 200),
                search(q, "[1,2]", "[\"hr\"]", null, null, 200),
                search(q, "[1,2]", "[]", "acme", null, 200),
                search(q, "[2]", "[\"sales\"]", "globex", condition, 200));
        for (ChunkStore.Search s : searches) {
            List<Map<String, Object>> a = array.search(s);
            List<Map<String, Object>> v = vector.search(s);
            assertThat(keys(v)).containsExactlyInAnyOrderElementsOf(keys(a));
            assertThat(a).isNotEmpty();
        }
        List<Map<String, Object>> open = array.search(searches.get(0));
        assertThat(open).allSatisfy(r -> {
            int source = Integer.parseInt((String) r.get("source_id"));
            assertThat(source % 4).as("no hr-only or acme-only source without role/tenant").isNotIn(1, 2);
            assertThat(source).isLessThan(8);
        });
        assertThat(vector.search(searches.get(3))).allSatisfy(r ->
                assertThat(r.get("metadata").toString()).doesNotContain("2020"));
    }

    @Test
    void replaceAndDeleteWorkOnPgvector() {
        TextChunker.Chunk chunk = new TextChunker.Chunk(0, "a replaced source", TextChunker.sha256("a replaced source"), 17);
        float[] v = EmbeddingPlan.normalize(new LocalEmbeddingModel().embed(List.of(chunk.content())).get(0));
        vector.replace(new ChunkStore.SourceChunks(3, "rest", "r-1", "h", "m", "local:x", "{}", "[]", null,
                List.of(chunk), List.of(v), false));
        assertThat(vector.reusableEmbeddings("rest", "r-1", "local:x").get(chunk.contentHash())).containsExactly(v,
                within(1e-6f));
        assertThat(vector.sourceState("rest", "r-1")).containsEntry("chunk_count", 1);
        assertThat(vector.deleteKnowledgeBase(3)).isEqualTo(1);
        assertThat(vector.sourceState("rest", "r-1")).isNull();
        assertThat(vector.deleteSource("rest", "r-1")).isZero();
    }
}

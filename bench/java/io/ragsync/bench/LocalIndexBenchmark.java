package io.ragsync.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.ragsync.Application;
import io.ragsync.targets.local.ChunkStore;
import io.ragsync.targets.local.EmbeddingPlan;
import io.ragsync.targets.local.LocalEmbeddingModel;
import io.ragsync.targets.local.TextChunker;
import io.ragsync.support.IndexFixtures;
import io.ragsync.support.PgliteServer;
import io.ragsync.support.TestPostgres;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.SingleConnectionDataSource;

/**
 * Benchmark of the local vector index, not a unit test (compiled only under the bench profile); run it with
 * bench/local-index/run.sh. Writes a Markdown report to bench/results/.
 * <ol>
 *   <li>Embedding pipeline throughput: the whole hub (job queue, extraction, chunking, embedding, storage, status)
 *       indexing N documents, against the raw all-MiniLM-L6-v2 model embedding the same chunks in the same run.</li>
 *   <li>Retrieval latency p50/p95 at {@code bench.chunks} chunks: pgvector HNSW (PGlite) and, at the same size, the
 *       real[] small-scale mode (the embedded PostgreSQL); recall@10 of HNSW against the exact answer.</li>
 * </ol>
 */
class LocalIndexBenchmark {

    @RegisterExtension
    static final PgliteServer PGLITE = new PgliteServer();

    private static final int DOCUMENTS = Integer.getInteger("bench.documents", 20);
    private static final int PARAGRAPHS = Integer.getInteger("bench.paragraphs", 10);
    private static final int CHUNKS = Integer.getInteger("bench.chunks", 100_000);
    private static final int QUERIES = Integer.getInteger("bench.queries", 200);
    private static final int EXACT_QUERIES = Integer.getInteger("bench.exact-queries", 20);
    private static final int DIM = LocalEmbeddingModel.DIMENSION;

    private final StringBuilder report = new StringBuilder();

    @Test
    void run() throws Exception {
        report.append("# Local index benchmark ").append(LocalDateTime.now().withNano(0)).append("\n\n")
                .append("Machine: ").append(Runtime.getRuntime().availableProcessors()).append(" CPU(s) visible to the JVM, ")
                .append(System.getProperty("java.vm.name")).append(' ').append(System.getProperty("java.version"))
                .append(", max heap ").append(Runtime.getRuntime().maxMemory() >> 20).append(" MiB\n\n");
        if (!Boolean.getBoolean("bench.skip-pipeline")) {
            pipelineThroughput();
        }
        if (!Boolean.getBoolean("bench.skip-retrieval")) {
            retrievalLatency();
        }
        Path out = Path.of("bench", "results", "local-index-"
                + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")) + ".md");
        Files.createDirectories(out.getParent());
        Files.writeString(out, report);
        System.out.println(report);
        System.out.println("written to " + out.toAbsolutePath());
    }

    // ---- 1. pipeline vs raw model ----------------------------------------------------------------------------

    private void pipelineThroughput() throws Exception {
        Path storage = Files.createTempDirectory("ragsync-bench-storage");
        List<String> texts = new ArrayList<>();
        List<String> paragraphs = IndexFixtures.paragraphs(DOCUMENTS * PARAGRAPHS, 900);
        for (int d = 0; d < DOCUMENTS; d++) {
            String text = String.join("\n\n", paragraphs.subList(d * PARAGRAPHS, (d + 1) * PARAGRAPHS))
                    + "\n\nDocument " + d + " ends here.";
            texts.add(text);
            Files.writeString(storage.resolve("doc-" + d + ".txt"), text);
        }
        TextChunker chunker = new TextChunker();
        List<String> chunks = new ArrayList<>();
        for (String t : texts) {
            chunker.chunk(t, TextChunker.Settings.characters(1000, 200, 100)).chunks().forEach(c -> chunks.add(c.content()));
        }
        LocalEmbeddingModel model = new LocalEmbeddingModel();
        model.embed(chunks.subList(0, Math.min(64, chunks.size()))); // load and warm up

        String parallelism = System.getProperty("bench.parallelism", "1");
        int rounds = Integer.getInteger("bench.rounds", 3);
        Map<String, Object> props = new LinkedHashMap<>();
        props.put("spring.datasource.url", TestPostgres.jdbcUrl("ragsync_bench_" + System.currentTimeMillis()));
        props.put("spring.datasource.username", "postgres");
        props.put("spring.datasource.password", "");
        props.put("server.port", "0");
        props.put("app.storage.root", storage.toString());
        props.put("app.ragflow.api-key", "");
        props.put("app.ragflow.base-url", "http://127.0.0.1:9");
        props.put("app.jobs.poll-interval-ms", "50");
        props.put("app.jobs.batch-size", "10");
        props.put("app.jobs.parallelism", parallelism);
        props.put("camel.main.jmx-enabled", "false");
        props.put("logging.level.root", "WARN");
        // command-line arguments: they win over application.yaml's env placeholders
        String[] args = props.entrySet().stream().map(e -> "--" + e.getKey() + "=" + e.getValue()).toArray(String[]::new);
        try (ConfigurableApplicationContext app = new SpringApplicationBuilder(Application.class).run(args)) {
            JdbcTemplate jdbc = app.getBean(JdbcTemplate.class);
            assertThat(jdbc.queryForObject("SELECT value FROM ragsync_setting WHERE key = 'default_target'", String.class))
                    .isEqualTo("local");
            // raw and pipeline alternate on the same chunks, so both see the same machine load
            List<Double> raws = new ArrayList<>();
            List<Double> pipelines = new ArrayList<>();
            List<Double> ratios = new ArrayList<>();
            raws.add(raw(model, chunks));
            for (int r = 0; r < rounds; r++) {
                // a new knowledge base with the same files: new documents, so every chunk is embedded again
                long kb = jdbc.queryForObject("INSERT INTO knowledge_base (name) VALUES (?) RETURNING id", Long.class,
                        "bench-" + r);
                long start = System.nanoTime();
                for (int d = 0; d < DOCUMENTS; d++) {
                    jdbc.update("INSERT INTO document (knowledge_base_id, title, file_path) VALUES (?, ?, ?)", kb,
                            "Document " + d, "doc-" + d + ".txt");
                }
                Awaitility.await().atMost(30, TimeUnit.MINUTES).pollInterval(20, TimeUnit.MILLISECONDS).until(() ->
                        jdbc.queryForObject("SELECT count(*) FROM sync_job WHERE knowledge_base_id = ? AND status IN"
                                + " ('indexed', 'failed', 'download_failed')", Integer.class, kb) == DOCUMENTS);
                double seconds = (System.nanoTime() - start) / 1e9;
                assertThat(jdbc.queryForList("SELECT status || ': ' || coalesce(last_error, '') FROM sync_job"
                        + " WHERE knowledge_base_id = ? AND status <> 'indexed'", String.class, kb)).isEmpty();
                int stored = jdbc.queryForObject("SELECT count(*) FROM index_chunk WHERE knowledge_base_id = ?",
                        Integer.class, kb);
                assertThat(stored).isEqualTo(chunks.size());
                assertThat(jdbc.queryForObject("SELECT count(*) FROM sync_job WHERE knowledge_base_id = ? AND"
                        + " rag_message LIKE '%reused 0%'", Integer.class, kb)).isEqualTo(DOCUMENTS);
                pipelines.add(stored / seconds);
                raws.add(raw(model, chunks));
                ratios.add(pipelines.get(r) / ((raws.get(r) + raws.get(r + 1)) / 2));
            }
            List<Double> sortedRatios = new ArrayList<>(ratios);
            sortedRatios.sort(Double::compare);
            double median = sortedRatios.get(sortedRatios.size() / 2);
            report.append("## Embedding pipeline vs raw model\n\n")
                    .append("Data: ").append(DOCUMENTS).append(" text documents of ").append(PARAGRAPHS)
                    .append(" paragraphs (~900 characters each) → ").append(chunks.size())
                    .append(" chunks (characters mode, size 1000, overlap 200), all-MiniLM-L6-v2 in-process.")
                    .append(" Raw = the model's `embedAll` over the same chunk texts in batches of 32 (nothing else);")
                    .append(" pipeline = the whole hub from the documents' INSERT to every job `indexed` (trigger, job")
                    .append(" claim, file resolution and hashing, Tika, chunking, embedding in batches of 32, JDBC batch")
                    .append(" insert in one transaction, document status, job log), ").append(parallelism)
                    .append(" job worker(s). Raw and pipeline runs alternate so both see the same machine load.\n\n")
                    .append("| round | raw before (chunks/s) | pipeline (chunks/s) | raw after (chunks/s) | pipeline / raw |\n")
                    .append("|---|---|---|---|---|\n");
            for (int r = 0; r < rounds; r++) {
                report.append(String.format("| %d | %.1f | %.1f | %.1f | %.1f %% |%n", r + 1, raws.get(r),
                        pipelines.get(r), raws.get(r + 1), 100 * ratios.get(r)));
            }
            report.append(String.format("%n**Median pipeline / raw = %.1f %%** (target ≥ 85 %%).%n%n", 100 * median));
        }
    }

    private static double raw(LocalEmbeddingModel model, List<String> chunks) {
        long start = System.nanoTime();
        for (int i = 0; i < chunks.size(); i += 32) {
            model.embed(chunks.subList(i, Math.min(chunks.size(), i + 32)));
        }
        return chunks.size() / ((System.nanoTime() - start) / 1e9);
    }

    // ---- 2. retrieval latency ---------------------------------------------------------------------------------

    private void retrievalLatency() throws Exception {
        Random random = new Random(42);
        int clusters = 500;
        float[][] centers = new float[clusters][];
        for (int c = 0; c < clusters; c++) {
            centers[c] = randomUnit(random);
        }
        SingleConnectionDataSource migration = new SingleConnectionDataSource(PGLITE.jdbcUrl(), "postgres", "postgres", true);
        migrate(migration);
        migration.destroy();
        HikariDataSource pglite = pool(PGLITE.jdbcUrl(), "postgres", 1);
        HikariDataSource plain = pool(TestPostgres.jdbcUrl("ragsync_bench_exact_" + System.currentTimeMillis()), "", 2);
        migrate(plain);
        ChunkStore hnsw = new ChunkStore(pglite, 100);
        ChunkStore exact = new ChunkStore(plain, 100);
        JdbcTemplate pg = new JdbcTemplate(pglite);
        // bulk load without the index, then build it (as an operator would for a first load), then measure
        pg.execute("DROP INDEX IF EXISTS index_chunk_embedding_hnsw");
        long loadStart = System.nanoTime();
        int perSource = 1000;
        for (int s = 0; s * perSource < CHUNKS; s++) {
            List<TextChunker.Chunk> chunks = new ArrayList<>();
            List<float[]> vectors = new ArrayList<>();
            for (int i = 0; i < perSource && s * perSource + i < CHUNKS; i++) {
                String content = "synthetic chunk " + (s * perSource + i);
                chunks.add(new TextChunker.Chunk(i, content, TextChunker.sha256(content), content.length()));
                vectors.add(near(centers[random.nextInt(clusters)], random, 0.35f));
            }
            ChunkStore.SourceChunks source = new ChunkStore.SourceChunks(1 + s % 4, "rest", "bench-" + s, "h" + s, "m",
                    "local:bench", "{\"batch\":" + s + "}", "[]", null, chunks, vectors, false);
            hnsw.replace(source);
            exact.replace(source);
        }
        double loadSeconds = (System.nanoTime() - loadStart) / 1e9;
        long indexStart = System.nanoTime();
        pg.execute("SET maintenance_work_mem = '512MB'");
        pg.execute("CREATE INDEX index_chunk_embedding_hnsw ON index_chunk USING hnsw (embedding vector_cosine_ops)");
        double indexSeconds = (System.nanoTime() - indexStart) / 1e9;
        pg.execute("ANALYZE index_chunk");
        new JdbcTemplate(plain).execute("ANALYZE index_chunk");
        int stored = pg.queryForObject("SELECT count(*) FROM index_chunk", Integer.class);

        List<float[]> queries = new ArrayList<>();
        for (int q = 0; q < QUERIES; q++) {
            queries.add(near(centers[random.nextInt(clusters)], random, 0.35f));
        }
        for (int q = 0; q < 10; q++) {
            hnsw.search(search(queries.get(q))); // warm-up
        }
        long[] hnswNanos = new long[QUERIES];
        List<List<Object>> hnswIds = new ArrayList<>();
        for (int q = 0; q < QUERIES; q++) {
            long t = System.nanoTime();
            List<Map<String, Object>> rows = hnsw.search(search(queries.get(q)));
            hnswNanos[q] = System.nanoTime() - t;
            hnswIds.add(rows.stream().map(r -> (Object) (r.get("source_id") + "#" + r.get("chunk_index"))).toList());
        }
        long[] exactNanos = new long[EXACT_QUERIES];
        double recall = 0;
        for (int q = 0; q < EXACT_QUERIES; q++) {
            long t = System.nanoTime();
            List<Map<String, Object>> rows = exact.search(search(queries.get(q)));
            exactNanos[q] = System.nanoTime() - t;
            List<Object> truth = rows.stream().map(r -> (Object) (r.get("source_id") + "#" + r.get("chunk_index"))).toList();
            recall += truth.stream().filter(hnswIds.get(q)::contains).count() / (double) truth.size();
        }
        recall /= EXACT_QUERIES;
        String plan = String.join(" / ", pg.queryForList("EXPLAIN SELECT id FROM index_chunk ORDER BY embedding <=>"
                + " (SELECT embedding FROM index_chunk LIMIT 1) LIMIT 10", String.class)).replaceAll("\\s+", " ");
        pglite.close();
        plain.close();
        report.append("## Retrieval latency at ").append(stored).append(" chunks\n\n")
                .append("Synthetic 384-dimensional unit vectors in ").append(clusters)
                .append(" clusters (embedding 100k real chunks with MiniLM would take longer than the measurement),"
                        + " 4 knowledge bases; each query is a full `ChunkStore.search` (the SQL of")
                .append(" `sql/targets/local/search-chunks-*.sql`: knowledge bases of the query (all 4), tenant and role filters,"
                        + " metadata condition, top 10, threshold) over JDBC.\n\n")
                .append("| store | queries | p50 ms | p95 ms | max ms |\n|---|---|---|---|---|\n")
                .append(row("pgvector 0.8 HNSW (m=16, ef_construction=64, ef_search=100) on PGlite (PostgreSQL 18,"
                        + " WASM, one session)", hnswNanos))
                .append(row("real[] exact scoring (small-scale mode) on PostgreSQL 14 (embedded)", exactNanos))
                .append(String.format("%nHNSW recall@10 against the exact answer: %.3f (first %d queries).%n", recall,
                        EXACT_QUERIES))
                .append(String.format("Load: %d chunks written through `ChunkStore.replace` (1000 per transaction,"
                        + " JDBC batches) into both stores in %.1f s; HNSW index build on PGlite %.1f s.%n", stored,
                        loadSeconds, indexSeconds))
                .append("Plan on PGlite: `").append(plan).append("`\n\n");
    }

    private static ChunkStore.Search search(float[] q) {
        return new ChunkStore.Search(q, "[1,2,3,4]", null, null, "[]", null, null, 10, 0.0);
    }

    private static String row(String name, long[] nanos) {
        long[] sorted = nanos.clone();
        Arrays.sort(sorted);
        return String.format("| %s | %d | %.2f | %.2f | %.2f |%n", name, sorted.length, pct(sorted, 50), pct(sorted, 95),
                sorted[sorted.length - 1] / 1e6);
    }

    private static double pct(long[] sorted, int p) {
        int idx = (int) Math.ceil(p / 100.0 * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, idx))] / 1e6;
    }

    private static float[] randomUnit(Random random) {
        float[] v = new float[DIM];
        for (int i = 0; i < DIM; i++) {
            v[i] = (float) random.nextGaussian();
        }
        return EmbeddingPlan.normalize(v);
    }

    private static float[] near(float[] center, Random random, float spread) {
        float[] v = new float[DIM];
        for (int i = 0; i < DIM; i++) {
            v[i] = center[i] + spread * (float) random.nextGaussian() / (float) Math.sqrt(DIM) * 4;
        }
        return EmbeddingPlan.normalize(v);
    }

    private static void migrate(javax.sql.DataSource ds) {
        Flyway.configure().dataSource(ds).locations("classpath:db/migration").target("29?")
                .placeholders(Map.of("embedding_dimension", String.valueOf(DIM))).load().migrate();
    }

    private static HikariDataSource pool(String url, String password, int size) {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(url);
        config.setUsername("postgres");
        config.setPassword(password);
        config.setMaximumPoolSize(size);
        config.setInitializationFailTimeout(30_000);
        config.addDataSourceProperty("stringtype", "unspecified");
        return new HikariDataSource(config);
    }
}

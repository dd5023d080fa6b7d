package io.ragsync.targets.local;

import io.ragsync.platform.SqlFiles;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;
import javax.sql.DataSource;
import org.apache.commons.lang3.ArrayUtils;
import org.apache.commons.lang3.math.NumberUtils;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.jdbc.core.RowCallbackHandler;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;
import org.springframework.util.Assert;
import org.springframework.util.function.SingletonSupplier;

/** Chunks in pgvector (HNSW), else real[] scored exactly; replaced in one transaction: a failure keeps the old ones. */
@Component("chunkStore")
public class ChunkStore {

    public enum Mode { PGVECTOR, ARRAY }

    /** Everything that replaces a source's chunks; {@code perChunk} (null = the source's) for self-chunked content. */
    public record SourceChunks(long knowledgeBaseId, String sourceType, String sourceId, String contentHash,
                               String metaHash, String model, String metadataJson, String allowedRolesJson,
                               String tenant, List<TextChunker.Chunk> chunks, List<float[]> vectors,
                               boolean truncated, List<ChunkAccess> perChunk) {

        public SourceChunks(long knowledgeBaseId, String sourceType, String sourceId, String contentHash,
                            String metaHash, String model, String metadataJson, String allowedRolesJson,
                            String tenant, List<TextChunker.Chunk> chunks, List<float[]> vectors, boolean truncated) {
            this(knowledgeBaseId, sourceType, sourceId, contentHash, metaHash, model, metadataJson, allowedRolesJson,
                    tenant, chunks, vectors, truncated, null);
        }
    }

    /** One chunk's metadata (JSON object), allowed roles (JSON array) and tenant (null = every tenant). */
    public record ChunkAccess(String metadataJson, String allowedRolesJson, String tenant) {
    }

    /** A retrieval: all list/JSON arguments as JSON text (NULL = no such filter). */
    public record Search(float[] query, String knowledgeBaseIdsJson, String sourceIdsJson, String tenant,
                         String rolesJson, String metadataFilterJson, String metadataConditionJson, int limit,
                         double threshold) {
    }

    private final NamedParameterJdbcTemplate jdbc;
    private final TransactionTemplate tx;
    private final int efSearch;
    private final SingletonSupplier<Storage> storage = SingletonSupplier.of(this::readStorage);

    /** The storage mode, and whether pgvector (0.8+) can scan HNSW iteratively. */
    private record Storage(Mode mode, boolean iterativeScan) {
    }

    public ChunkStore(DataSource dataSource, @Value("${app.index.retrieval.hnsw-ef-search:100}") int efSearch) {
        this.jdbc = new NamedParameterJdbcTemplate(dataSource);
        this.tx = new TransactionTemplate(new DataSourceTransactionManager(dataSource));
        this.efSearch = efSearch;
    }

    public Mode mode() {
        return storage.obtain().mode();
    }

    private Storage readStorage() {
        Map<String, Object> row = jdbc.queryForMap(sql("select-embedding-column"), Map.of());
        String version = (String) row.get("pgvector_version");
        return new Storage(String.valueOf(row.get("column_type")).startsWith("vector") ? Mode.PGVECTOR : Mode.ARRAY,
                version != null && compareVersions(version, "0.8.0") >= 0);
    }

    public String describeMode() {
        return mode() == Mode.PGVECTOR ? "pgvector (HNSW cosine index)" : "real[] with exact scoring in SQL (small-scale mode)";
    }

    /** What the index holds for a source, or null. */
    public Map<String, Object> sourceState(String sourceType, String sourceId) {
        return jdbc.queryForList(sql("select-index-source"), Map.of("sourceType", sourceType, "sourceId", sourceId))
                .stream().findFirst().orElse(null);
    }

    /** Embeddings already stored for the source's chunks, by content hash (same model only). */
    public Map<String, float[]> reusableEmbeddings(String sourceType, String sourceId, String model) {
        Map<String, float[]> out = new HashMap<>();
        jdbc.query(sql("select-reusable-embeddings"),
                Map.of("sourceType", sourceType, "sourceId", sourceId, "model", model),
                (RowCallbackHandler) rs -> out.put(rs.getString("content_hash"),
                        ArrayUtils.toPrimitive((Float[]) rs.getArray("embedding").getArray())));
        return out;
    }

    /** Replaces the source's chunks atomically; returns the number of chunks stored. */
    public int replace(SourceChunks source) {
        Assert.isTrue(source.chunks().size() == source.vectors().size(),
                () -> source.chunks().size() + " chunks but " + source.vectors().size() + " embeddings");
        Assert.isTrue(source.perChunk() == null || source.perChunk().size() == source.chunks().size(),
                () -> source.chunks().size() + " chunks but access for " + source.perChunk().size());
        Mode m = mode();
        String insert = sql(m == Mode.PGVECTOR ? "insert-chunk-vector" : "insert-chunk-array");
        MapSqlParameterSource[] batch = new MapSqlParameterSource[source.chunks().size()];
        for (int i = 0; i < batch.length; i++) {
            TextChunker.Chunk chunk = source.chunks().get(i);
            ChunkAccess access = source.perChunk() != null ? source.perChunk().get(i)
                    : new ChunkAccess(source.metadataJson(), source.allowedRolesJson(), source.tenant());
            batch[i] = new MapSqlParameterSource()
                    .addValue("knowledgeBaseId", source.knowledgeBaseId())
                    .addValue("sourceType", source.sourceType())
                    .addValue("sourceId", source.sourceId())
                    .addValue("chunkIndex", chunk.index())
                    .addValue("content", chunk.content())
                    .addValue("contentHash", chunk.contentHash())
                    .addValue("model", source.model())
                    .addValue("metadata", access.metadataJson() == null ? "{}" : access.metadataJson())
                    .addValue("allowedRoles", access.allowedRolesJson() == null ? "[]" : access.allowedRolesJson())
                    .addValue("tenant", access.tenant())
                    .addValue("embedding", literal(source.vectors().get(i), m));
        }
        Map<String, Object> key = Map.of("sourceType", source.sourceType(), "sourceId", source.sourceId());
        MapSqlParameterSource state = new MapSqlParameterSource()
                .addValue("knowledgeBaseId", source.knowledgeBaseId())
                .addValue("sourceType", source.sourceType())
                .addValue("sourceId", source.sourceId())
                .addValue("contentHash", source.contentHash())
                .addValue("metaHash", source.metaHash())
                .addValue("model", source.model())
                .addValue("chunkCount", batch.length)
                .addValue("truncated", source.truncated());
        tx.executeWithoutResult(status -> {
            jdbc.update(sql("delete-source-chunks"), key);
            if (batch.length > 0) {
                jdbc.batchUpdate(insert, batch);
            }
            jdbc.update(sql("upsert-index-source"), state);
        });
        return batch.length;
    }

    /** Deletes a source's chunks; returns how many there were. */
    public int deleteSource(String sourceType, String sourceId) {
        return delete("delete-source-chunks", "delete-index-source",
                Map.of("sourceType", sourceType, "sourceId", sourceId));
    }

    /** Deletes every chunk of a knowledge base; returns how many there were. */
    public int deleteKnowledgeBase(long knowledgeBaseId) {
        return delete("delete-knowledge-base-chunks", "delete-knowledge-base-sources",
                Map.of("knowledgeBaseId", knowledgeBaseId));
    }

    private int delete(String chunksSql, String sourcesSql, Map<String, Object> key) {
        Integer deleted = tx.execute(status -> {
            int n = jdbc.update(sql(chunksSql), key);
            jdbc.update(sql(sourcesSql), key);
            return n;
        });
        return deleted == null ? 0 : deleted;
    }

    /** The best chunks for the query vector, most similar first (rows of sql/targets/local/search-chunks-*.sql). */
    public List<Map<String, Object>> search(Search search) {
        Mode m = mode();
        MapSqlParameterSource params = new MapSqlParameterSource()
                .addValue("query", literal(EmbeddingPlan.normalize(search.query()), m))
                .addValue("knowledgeBaseIds", search.knowledgeBaseIdsJson())
                .addValue("sourceIds", search.sourceIdsJson())
                .addValue("tenant", search.tenant())
                .addValue("roles", search.rolesJson() == null ? "[]" : search.rolesJson())
                .addValue("metadataFilter", search.metadataFilterJson())
                .addValue("metadataCondition", search.metadataConditionJson())
                .addValue("limit", search.limit())
                .addValue("threshold", search.threshold());
        if (m == Mode.ARRAY) {
            return jdbc.queryForList(sql("search-chunks-array"), params);
        }
        return tx.execute(status -> {
            // transaction-local planner settings: a wider HNSW candidate list, and (pgvector 0.8+) iterative
            // scans so that filters cannot starve the result
            jdbc.queryForList("SELECT set_config('hnsw.ef_search', :ef, true)",
                    Map.of("ef", String.valueOf(Math.max(efSearch, search.limit()))));
            if (storage.obtain().iterativeScan()) {
                jdbc.queryForList("SELECT set_config('hnsw.iterative_scan', 'relaxed_order', true)", Map.of());
            }
            return jdbc.queryForList(sql("search-chunks-vector"), params);
        });
    }

    static String literal(float[] v, Mode mode) {
        StringJoiner literal = mode == Mode.PGVECTOR ? new StringJoiner(",", "[", "]")
                : new StringJoiner(",", "{", "}");
        for (float x : v) {
            if (!Float.isFinite(x)) {
                throw new IllegalArgumentException("embedding contains " + x);
            }
            literal.add(Float.toString(x));
        }
        return literal.toString();
    }

    /** A statement of sql/targets/local. */
    String sql(String name) {
        return SqlFiles.read("targets/local", name);
    }

    static int compareVersions(String a, String b) {
        int[] x = versionParts(a);
        int[] y = versionParts(b);
        int length = Math.max(x.length, y.length);
        return Arrays.compare(Arrays.copyOf(x, length), Arrays.copyOf(y, length));
    }

    /** The leading digits of each dot-separated part, 0 for a part without them. */
    private static int[] versionParts(String v) {
        return Arrays.stream(v.split("\\.")).mapToInt(p -> NumberUtils.toInt(p.replaceAll("\\D.*", ""))).toArray();
    }
}

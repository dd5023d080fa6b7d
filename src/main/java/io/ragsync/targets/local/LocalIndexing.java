package io.ragsync.targets.local;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ragsync.platform.storage.StorageFiles;
import io.ragsync.platform.storage.StoredFile;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import org.apache.camel.Exchange;
import org.apache.camel.ExchangeProperty;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.stereotype.Component;
import org.springframework.util.Assert;

/** The steps of indexing one source that need code, called by routes/targets/local/local-{upsert,delete}.camel.yaml. */
@Component("localIndexing")
@EnableConfigurationProperties({LocalIndexing.ChunkingSettings.class, LocalIndexing.EmbeddingSettings.class})
public class LocalIndexing {

    /** {@code app.index.chunking.*}: the token values replace size and overlap in tokens mode. */
    @ConfigurationProperties("app.index.chunking")
    public record ChunkingSettings(@DefaultValue("characters") String mode, @DefaultValue("1000") int size,
                                   @DefaultValue("200") int overlap, @DefaultValue("1000") int tokenSize,
                                   @DefaultValue("120") int tokenOverlap, @DefaultValue("100") int maxChunks) {
    }

    /** {@code app.index.embedding.*}: the provider (local or http) and, for http, its address and model. */
    @ConfigurationProperties("app.index.embedding")
    public record EmbeddingSettings(@DefaultValue("local") String provider, @DefaultValue("384") int dimension,
                                    @DefaultValue("32") int batchSize, @DefaultValue Http http) {

        public record Http(@DefaultValue("") String url, @DefaultValue("") String model,
                           @DefaultValue("") String apiKey, @DefaultValue("60000") long maxRetryAfterMs) {
        }
    }

    private static final TypeReference<LinkedHashMap<String, Object>> JSON_OBJECT = new TypeReference<>() { };

    private final TextChunker chunker;
    private final StorageFiles storage;
    private final ChunkStore store;
    private final ObjectMapper mapper;
    private final TextChunker.Settings settings;
    private final String modelName;
    private final int batchSize;

    public LocalIndexing(TextChunker chunker, ChunkStore store, ObjectMapper mapper, StorageFiles storage,
                         ChunkingSettings chunking, EmbeddingSettings embedding) {
        this.chunker = chunker;
        this.storage = storage;
        this.store = store;
        this.mapper = mapper;
        String mode = chunking.mode();
        boolean tokens = mode != null && mode.trim().toLowerCase(Locale.ROOT).startsWith("token");
        this.settings = TextChunker.Settings.of(mode, tokens ? chunking.tokenSize() : chunking.size(),
                tokens ? chunking.tokenOverlap() : chunking.overlap(), chunking.maxChunks());
        String provider = Objects.requireNonNullElse(embedding.provider(), "local").trim().toLowerCase(Locale.ROOT);
        Assert.isTrue(provider.equals("local") || provider.equals("http"),
                () -> "app.index.embedding.provider must be local or http, got '" + embedding.provider() + "'");
        this.batchSize = embedding.batchSize();
        Assert.isTrue(batchSize > 0, () -> "app.index.embedding.batch-size must be positive, got " + batchSize);
        this.modelName = provider.equals("local") ? "local:" + LocalEmbeddingModel.NAME
                : "http:" + embedding.http().model();
    }

    public TextChunker.Settings getSettings() {
        return settings;
    }

    /** Name stored with every embedding; embeddings are only reused under the same name. */
    public String getModelName() {
        return modelName;
    }

    public TextChunker.Result chunk(String text) {
        return chunker.chunk(text, settings);
    }

    public EmbeddingPlan plan(TextChunker.Result chunked, String sourceType, String sourceId) {
        return new EmbeddingPlan(chunked.chunks(), store.reusableEmbeddings(sourceType, sourceId, getModelName()),
                batchSize);
    }

    /** Hash of what, besides the content, is stored with every chunk (metadata, roles, tenant, chunking). */
    public String metaHash(String metadataJson, String rolesJson, String tenant) {
        return TextChunker.sha256(metadataJson + "\n" + rolesJson + "\n" + tenant + "\n" + settings);
    }

    /** Chunks a source made itself, each with its own access; incompleteReason when the source kept part of an item. */
    public record PreChunked(TextChunker.Result chunked, List<ChunkStore.ChunkAccess> access, String metaHash,
                             String incompleteReason) {
    }

    /** A REST source's document as it chunked it (never re-chunked): each chunk keeps its hash, tenant and roles. */
    public PreChunked preChunked(String documentMetadataJson, List<Map<String, Object>> rows)
            throws JsonProcessingException {
        Map<String, Object> documentMeta = mapper.readValue(documentMetadataJson, JSON_OBJECT);
        List<TextChunker.Chunk> chunks = new ArrayList<>(rows.size());
        List<ChunkStore.ChunkAccess> access = new ArrayList<>(rows.size());
        StringBuilder hashed = new StringBuilder(documentMetadataJson).append('\n').append(settings);
        int cutItems = 0;
        for (Map<String, Object> row : rows) {
            String content = (String) row.get("content");
            Map<String, Object> chunkMeta = mapper.readValue((String) row.get("metadata_json"), JSON_OBJECT);
            // RestItems marks every kept chunk of a cut item (rows stored earlier: with droppedChunks): count each
            // item once, at its first part
            if ((Boolean.TRUE.equals(chunkMeta.get("truncated")) || chunkMeta.get("droppedChunks") instanceof Number)
                    && Integer.valueOf(1).equals(chunkMeta.get("part"))) {
                cutItems++;
            }
            Map<String, Object> meta = new LinkedHashMap<>(documentMeta);
            meta.putAll(chunkMeta);
            meta.put("item_title", row.get("title"));
            String metaJson = mapper.writeValueAsString(meta);
            String roles = (String) row.get("allowed_roles_json");
            String tenant = (String) row.get("tenant_id");
            chunks.add(new TextChunker.Chunk(chunks.size(), content, (String) row.get("content_hash"),
                    content.length()));
            access.add(new ChunkStore.ChunkAccess(metaJson, roles, tenant));
            hashed.append('\n').append(metaJson).append('\n').append(roles).append('\n').append(tenant);
        }
        String reason = cutItems == 0 ? null : cutItems + " item(s) made more chunks than"
                + " app.rest.chunk.max-chunks-per-item: the rest of their text was not stored by the REST source and is"
                + " not searchable";
        return new PreChunked(new TextChunker.Result(chunks, chunks.size()), access,
                TextChunker.sha256(hashed.toString()), reason);
    }

    /**
     * Why the index holds the document only in part (chunk cap, character cap, unreadable embedded documents, a REST
     * source's cut), or null.
     */
    public String incompleteReason(TextChunker.Result chunked, TextExtractor.Extracted extracted,
                                   PreChunked preChunked) {
        List<String> reasons = new ArrayList<>();
        if (preChunked != null && preChunked.incompleteReason() != null) {
            reasons.add(preChunked.incompleteReason());
        }
        if (chunked != null && chunked.truncated()) {
            reasons.add("only the first " + chunked.chunks().size() + " of more than " + chunked.chunks().size()
                    + " chunks are indexed (app.index.chunking.max-chunks=" + settings.maxChunks() + "): the rest of"
                    + " the text is not searchable");
        }
        if (extracted != null && extracted.truncated()) {
            reasons.add("the extracted text was cut at app.index.extraction.max-characters: the rest is not searchable");
        }
        if (extracted != null && !extracted.unread().isEmpty()) {
            List<String> unread = extracted.unread();
            reasons.add(unread.size() + " embedded document(s) could not be read, their text is not searchable: "
                    + String.join(", ", unread.subList(0, Math.min(3, unread.size())))
                    + (unread.size() > 3 ? ", ..." : ""));
        }
        return reasons.isEmpty() ? null : String.join("; ", reasons);
    }

    /** The document's status: indexed, or truncated when the index holds it only in part. */
    public String outcome(String incompleteReason) {
        return incompleteReason == null ? "indexed" : "truncated";
    }

    // ---- steps of routes/targets/local/local-upsert.camel.yaml, each setting what its next steps read -------------

    /** The document job's source in the index (sourceType, sourceId) and dataset (the local index). */
    public void start(Exchange exchange) {
        exchange.setProperty("sourceType", "document");
        exchange.setProperty("sourceId", String.valueOf(exchange.getProperty("documentId")));
        exchange.setProperty("datasetId", "local");
    }

    /** The document's row (doc, select-document-for-index.sql) and its file under the storage root. */
    public void open(Exchange exchange) {
        Map<?, ?> doc = exchange.getIn().getBody(Map.class);
        exchange.setProperty("doc", doc);
        exchange.setProperty("file", storage.resolve((String) doc.get("file_path")));
    }

    /** Whether the index holds this file's content, embedded by this model, in the same knowledge base. */
    public boolean sameFile(@ExchangeProperty("indexed") Map<String, Object> indexed,
                            @ExchangeProperty("file") StoredFile file, @ExchangeProperty("doc") Map<String, Object> doc) {
        return indexed != null && Objects.equals(indexed.get("content_hash"), file.sha256())
                && Objects.equals(indexed.get("embedding_model"), getModelName())
                && Objects.equals(String.valueOf(indexed.get("knowledge_base_id")), String.valueOf(doc.get("knowledge_base_id")));
    }

    /** A REST source's daily document: its item chunks (body: rows) as the source chunked them, with their metadata. */
    public void restChunks(Exchange exchange) throws JsonProcessingException {
        String metadata = documentMetadata(exchange, "text/markdown");
        @SuppressWarnings("unchecked")
        PreChunked preChunked = preChunked(metadata, exchange.getIn().getBody(List.class));
        exchange.setProperty("metadata", metadata);
        exchange.setProperty("preChunked", preChunked);
        exchange.setProperty("chunked", preChunked.chunked());
        exchange.setProperty("metaHash", preChunked.metaHash());
        exchange.setProperty("contentKind", "the REST source's item chunks");
    }

    /** The metadata stored with every chunk of the extracted document, and its hash with the roles and tenant. */
    public void describe(Exchange exchange) throws JsonProcessingException {
        Map<String, Object> doc = doc(exchange);
        String metadata = documentMetadata(exchange, extracted(exchange).mediaType());
        exchange.setProperty("metadata", metadata);
        exchange.setProperty("metaHash", metaHash(metadata, (String) doc.get("allowed_roles_json"), (String) doc.get("tenant")));
    }

    /** The extracted text in chunks, the kind of content named in the job's message. */
    public void chunkText(Exchange exchange) {
        exchange.setProperty("chunked", chunk(extracted(exchange).text()));
        exchange.setProperty("contentKind", extracted(exchange).mediaType());
    }

    /** Same file and metadata: the indexed chunks are kept (chunking tells whether they are the whole document). */
    public void kept(Exchange exchange) {
        Object count = exchange.getProperty("indexed", Map.class).get("chunk_count");
        exchange.setProperty("chunked", chunk(extracted(exchange).text()));
        exchange.setProperty("chunkCount", count);
        exchange.setProperty("ragMessage", "content and metadata unchanged: " + count
                + " chunk(s) of the local index kept, nothing embedded");
    }

    /** Replaces the source's chunks by the planned ones; sets chunkCount and the job's message. */
    public void stored(Exchange exchange) {
        EmbeddingPlan plan = exchange.getProperty("plan", EmbeddingPlan.class);
        TextChunker.Result chunked = chunked(exchange);
        PreChunked preChunked = exchange.getProperty("preChunked", PreChunked.class);
        Map<String, Object> doc = doc(exchange);
        List<ChunkStore.ChunkAccess> access = preChunked == null ? null
                : plan.getChunks().stream().map(c -> preChunked.access().get(c.index())).toList();
        exchange.setProperty("chunkCount", store.replace(new ChunkStore.SourceChunks(
                ((Number) doc.get("knowledge_base_id")).longValue(), exchange.getProperty("sourceType", String.class),
                exchange.getProperty("sourceId", String.class), exchange.getProperty("file", StoredFile.class).sha256(),
                exchange.getProperty("metaHash", String.class), getModelName(),
                exchange.getProperty("metadata", String.class), (String) doc.get("allowed_roles_json"),
                (String) doc.get("tenant"), plan.getChunks(), plan.vectors(), chunked.truncated(), access)));
        String message = "indexed locally: " + chunked.chunks().size() + " chunk(s) from "
                + exchange.getProperty("contentKind", String.class) + ", embeddings computed " + plan.getComputed()
                + ", reused " + plan.getReused() + " (" + getModelName() + ", " + store.describeMode() + ")";
        exchange.setProperty("ragMessage", message);
    }

    /** The job log line of a document the index holds only in part, with why (sql/jobs/insert-job-log.sql). */
    public void truncationLog(Exchange exchange) {
        exchange.setProperty("logLevel", "WARN");
        exchange.setProperty("logEvent", "truncated");
        exchange.setProperty("logMessage", exchange.getProperty("incompleteReason", String.class));
    }

    /** The outcome: indexed, or truncated with incompleteReason when the index holds the document only in part. */
    public void finish(Exchange exchange) {
        String reason = incompleteReason(chunked(exchange), extracted(exchange),
                exchange.getProperty("preChunked", PreChunked.class));
        exchange.setProperty("incompleteReason", reason);
        exchange.setProperty("outcome", outcome(reason));
        if (reason != null) {
            exchange.setProperty("ragMessage", exchange.getProperty("ragMessage", String.class) + "; TRUNCATED: "
                    + reason);
        }
    }

    // ---- steps of routes/targets/local/local-delete.camel.yaml -------------------------------------------------

    /** Removes a deleted document's chunks from the index (deletedChunks). */
    public void deleteDocument(Exchange exchange) {
        exchange.setProperty("datasetId", "local");
        exchange.setProperty("deletedChunks", store.deleteSource("document",
                String.valueOf(exchange.getProperty("documentId"))));
    }

    /** Removes every chunk of a deleted knowledge base from the index (deletedChunks). */
    public void deleteKnowledgeBase(Exchange exchange) {
        exchange.setProperty("datasetId", "local");
        exchange.setProperty("deletedChunks", store.deleteKnowledgeBase(exchange.getProperty("knowledgeBaseId", Long.class)));
    }

    /** The outcome of a recorded delete of {@code what} (a document, a knowledge base), with what it removed. */
    public void deleted(Exchange exchange, String what) {
        exchange.setProperty("outcome", "deleted");
        exchange.setProperty("ragMessage", what + " from the local index: " + exchange.getProperty("deletedChunks")
                + " chunk(s) removed");
    }

    public List<String> batchTexts(EmbeddingPlan plan, int batch) {
        return plan.batchTexts(batch);
    }

    public void accept(EmbeddingPlan plan, int batch, List<float[]> vectors) {
        plan.accept(batch, vectors);
    }

    /** The one-element list of texts to embed for a retrieval question. */
    public static List<String> single(String text) {
        return List.of(text);
    }

    /** The metadata every chunk of a backend document carries (returned by retrieval). */
    private String documentMetadata(Exchange exchange, String mediaType) throws JsonProcessingException {
        Map<String, Object> doc = doc(exchange);
        StoredFile file = exchange.getProperty("file", StoredFile.class);
        Map<String, Object> meta = new LinkedHashMap<>();
        meta.put("external_id", String.valueOf(doc.get("document_id")));
        meta.put("title", doc.get("title"));
        meta.put("file_name", file.fileName());
        meta.put("file_path", file.relativePath());
        meta.put("media_type", mediaType);
        meta.put("knowledge_base", doc.get("kb_name"));
        meta.put("knowledge_base_id", doc.get("knowledge_base_id"));
        meta.put("updated_at", String.valueOf(doc.get("updated_at")));
        return mapper.writeValueAsString(meta);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> doc(Exchange exchange) {
        return exchange.getProperty("doc", Map.class);
    }

    private static TextChunker.Result chunked(Exchange exchange) {
        return exchange.getProperty("chunked", TextChunker.Result.class);
    }

    private static TextExtractor.Extracted extracted(Exchange exchange) {
        return exchange.getProperty("extracted", TextExtractor.Extracted.class);
    }
}

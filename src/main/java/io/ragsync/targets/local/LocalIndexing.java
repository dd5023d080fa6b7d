package io.ragsync.targets.local;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.ragsync.platform.storage.StorageFiles;
import io.ragsync.platform.storage.StoredFile;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import org.apache.camel.Exchange;
import org.apache.camel.ExchangeProperty;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * The steps of indexing one source that need code (routes/targets/local/local-upsert.camel.yaml calls them): chunk with
 * the configured settings, plan which chunks need an embedding, describe the source (metadata, roles, tenant and
 * their hash), store the chunks, and say what happened.
 */
@Component("localIndexing")
public class LocalIndexing {

    private final TextChunker chunker;
    private final StorageFiles storage;
    private final ChunkStore store;
    private final ObjectMapper mapper;
    private final TextChunker.Settings settings;
    private final String provider;
    private final String httpModel;
    private final int batchSize;

    public LocalIndexing(TextChunker chunker, ChunkStore store, ObjectMapper mapper, StorageFiles storage,
                         @Value("${app.index.chunking.mode:characters}") String mode,
                         @Value("${app.index.chunking.size:1000}") int size,
                         @Value("${app.index.chunking.overlap:200}") int overlap,
                         @Value("${app.index.chunking.token-size:1000}") int tokenSize,
                         @Value("${app.index.chunking.token-overlap:120}") int tokenOverlap,
                         @Value("${app.index.chunking.max-chunks:100}") int maxChunks,
                         @Value("${app.index.embedding.provider:local}") String provider,
                         @Value("${app.index.embedding.http.model:}") String httpModel,
                         @Value("${app.index.embedding.batch-size:32}") int batchSize) {
        this.chunker = chunker;
        this.storage = storage;
        this.store = store;
        this.mapper = mapper;
        boolean tokens = mode != null && mode.trim().toLowerCase(Locale.ROOT).startsWith("token");
        this.settings = TextChunker.Settings.of(mode, tokens ? tokenSize : size, tokens ? tokenOverlap : overlap,
                maxChunks);
        this.provider = provider == null ? "local" : provider.trim().toLowerCase(Locale.ROOT);
        if (!this.provider.equals("local") && !this.provider.equals("http")) {
            throw new IllegalArgumentException("app.index.embedding.provider must be local or http, got '" + provider + "'");
        }
        this.httpModel = httpModel;
        if (batchSize <= 0) {
            throw new IllegalArgumentException("app.index.embedding.batch-size must be positive, got " + batchSize);
        }
        this.batchSize = batchSize;
    }

    public TextChunker.Settings getSettings() {
        return settings;
    }

    /** Name stored with every embedding; embeddings are only reused under the same name. */
    public String getModelName() {
        return provider.equals("local") ? "local:" + LocalEmbeddingModel.NAME : "http:" + httpModel;
    }

    public TextChunker.Result chunk(String text) {
        return chunker.chunk(text, settings);
    }

    public EmbeddingPlan plan(TextChunker.Result chunked, String sourceType, String sourceId) {
        return new EmbeddingPlan(chunked.chunks(), store.reusableEmbeddings(sourceType, sourceId, getModelName()),
                batchSize);
    }

    /** The metadata every chunk of a backend document carries (returned by retrieval). */
    public String documentMetadata(Map<String, Object> doc, StoredFile file, String mediaType) throws Exception {
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

    /** Hash of what, besides the content, is stored with every chunk (metadata, roles, tenant, chunking). */
    public String metaHash(String metadataJson, String rolesJson, String tenant) {
        return TextChunker.sha256(metadataJson + "\n" + rolesJson + "\n" + tenant + "\n" + settings);
    }

    /**
     * Chunks a source made itself (REST items), each with its own metadata, roles and tenant; incompleteReason when
     * the source itself kept only part of an item (null when it kept all).
     */
    public record PreChunked(TextChunker.Result chunked, List<ChunkStore.ChunkAccess> access, String metaHash,
                             String incompleteReason) {
    }

    /**
     * The chunks of a REST source's daily document as the source chunked them (rows of
     * sql/targets/local/select-rest-document-chunks.sql), never re-chunked nor cut: each keeps its content hash, tenant and
     * roles, and carries the document's metadata plus its own (item id, part, source URL, item title).
     */
    public PreChunked preChunked(String documentMetadataJson, List<Map<String, Object>> rows) throws Exception {
        Map<String, Object> documentMeta = mapper.readValue(documentMetadataJson,
                new com.fasterxml.jackson.core.type.TypeReference<LinkedHashMap<String, Object>>() { });
        List<TextChunker.Chunk> chunks = new java.util.ArrayList<>(rows.size());
        List<ChunkStore.ChunkAccess> access = new java.util.ArrayList<>(rows.size());
        StringBuilder hashed = new StringBuilder(documentMetadataJson).append('\n').append(settings);
        int cutItems = 0;
        long droppedChunks = 0;
        for (Map<String, Object> row : rows) {
            String content = (String) row.get("content");
            Map<String, Object> chunkMeta = mapper.readValue((String) row.get("metadata_json"),
                    new com.fasterxml.jackson.core.type.TypeReference<LinkedHashMap<String, Object>>() { });
            // RestItems marks every kept chunk of a cut item: count each item once, at its first part
            if (chunkMeta.get("droppedChunks") instanceof Number dropped
                    && Integer.valueOf(1).equals(chunkMeta.get("part"))) {
                cutItems++;
                droppedChunks += dropped.longValue();
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
                + " app.rest.chunk.max-chunks-per-item: " + droppedChunks + " chunk(s) of them were not stored by the"
                + " REST source and are not searchable";
        return new PreChunked(new TextChunker.Result(chunks, chunks.size()), access,
                TextChunker.sha256(hashed.toString()), reason);
    }

    /**
     * Why the index holds the document only in part (chunks beyond app.index.chunking.max-chunks, text beyond
     * app.index.extraction.max-characters, item chunks a REST source did not keep), or null when it holds all of it.
     */
    public String incompleteReason(TextChunker.Result chunked, TextExtractor.Extracted extracted,
                                   PreChunked preChunked) {
        List<String> reasons = new java.util.ArrayList<>();
        if (preChunked != null && preChunked.incompleteReason() != null) {
            reasons.add(preChunked.incompleteReason());
        }
        if (chunked != null && chunked.truncated()) {
            reasons.add("only the first " + chunked.chunks().size() + " of " + chunked.totalChunks()
                    + " chunks are indexed (app.index.chunking.max-chunks=" + settings.maxChunks() + "): "
                    + chunked.droppedChunks() + " chunk(s) are not searchable");
        }
        if (extracted != null && extracted.truncated()) {
            reasons.add("the extracted text was cut at app.index.extraction.max-characters: the rest is not searchable");
        }
        return reasons.isEmpty() ? null : String.join("; ", reasons);
    }

    /** The document's status: indexed, or truncated when the index holds it only in part. */
    public String outcome(String incompleteReason) {
        return incompleteReason == null ? "indexed" : "truncated";
    }

    /** Stores the planned chunks of the source described by the exchange properties; returns the chunk count. */
    public int store(Exchange exchange) {
        EmbeddingPlan plan = exchange.getProperty("plan", EmbeddingPlan.class);
        TextChunker.Result chunked = exchange.getProperty("chunked", TextChunker.Result.class);
        PreChunked preChunked = exchange.getProperty("preChunked", PreChunked.class);
        @SuppressWarnings("unchecked")
        Map<String, Object> doc = exchange.getProperty("doc", Map.class);
        StoredFile file = exchange.getProperty("file", StoredFile.class);
        return store.replace(new ChunkStore.SourceChunks(
                ((Number) doc.get("knowledge_base_id")).longValue(),
                exchange.getProperty("sourceType", String.class),
                exchange.getProperty("sourceId", String.class),
                file.sha256(),
                exchange.getProperty("metaHash", String.class),
                getModelName(),
                exchange.getProperty("metadata", String.class),
                (String) doc.get("allowed_roles_json"),
                (String) doc.get("tenant"),
                plan.getChunks(), plan.vectors(), chunked.truncated(),
                preChunked == null ? null : accessOf(preChunked, plan.getChunks())));
    }

    /** The access of each planned chunk, by its position in the source's chunks. */
    private static List<ChunkStore.ChunkAccess> accessOf(PreChunked preChunked, List<TextChunker.Chunk> planned) {
        return planned.stream().map(c -> preChunked.access().get(c.index())).toList();
    }

    /** The job's rag_message for an indexed document. */
    public String indexedMessage(TextChunker.Result chunked, EmbeddingPlan plan, String contentKind) {
        StringBuilder sb = new StringBuilder();
        sb.append("indexed locally: ").append(chunked.chunks().size()).append(" chunk(s) from ").append(contentKind)
                .append(", embeddings computed ").append(plan.getComputed()).append(", reused ")
                .append(plan.getReused()).append(" (").append(getModelName()).append(", ").append(store.describeMode())
                .append(')');
        if (chunked.truncated()) {
            sb.append("; TRUNCATED: ").append(chunked.droppedChunks()).append(" of ").append(chunked.totalChunks())
                    .append(" chunk(s) beyond app.index.chunking.max-chunks=").append(settings.maxChunks())
                    .append(" were not indexed");
        }
        return sb.toString();
    }

    // ---- steps of routes/targets/local/local-upsert.camel.yaml, each setting what its next steps read -------------

    /** The document job's source in the index (sourceType, sourceId) and dataset (the local index). */
    public void start(Exchange exchange) {
        exchange.setProperty("sourceType", "document");
        exchange.setProperty("sourceId", String.valueOf(exchange.getProperty("documentId")));
        exchange.setProperty("datasetId", "local");
    }

    /** The document's row (doc, sql/targets/local/select-document-for-index.sql) and its file under the storage root. */
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
    public void restChunks(Exchange exchange) throws Exception {
        String metadata = documentMetadata(doc(exchange), exchange.getProperty("file", StoredFile.class), "text/markdown");
        @SuppressWarnings("unchecked")
        PreChunked preChunked = preChunked(metadata, exchange.getIn().getBody(List.class));
        exchange.setProperty("metadata", metadata);
        exchange.setProperty("preChunked", preChunked);
        exchange.setProperty("chunked", preChunked.chunked());
        exchange.setProperty("metaHash", preChunked.metaHash());
        exchange.setProperty("contentKind", "the REST source's item chunks");
    }

    /** The metadata stored with every chunk of the extracted document, and its hash with the roles and tenant. */
    public void describe(Exchange exchange) throws Exception {
        Map<String, Object> doc = doc(exchange);
        String metadata = documentMetadata(doc, exchange.getProperty("file", StoredFile.class),
                exchange.getProperty("extracted", TextExtractor.Extracted.class).mediaType());
        exchange.setProperty("metadata", metadata);
        exchange.setProperty("metaHash", metaHash(metadata, (String) doc.get("allowed_roles_json"), (String) doc.get("tenant")));
    }

    /** The extracted text in chunks, the kind of content named in the job's message. */
    public void chunkText(Exchange exchange) {
        TextExtractor.Extracted extracted = exchange.getProperty("extracted", TextExtractor.Extracted.class);
        exchange.setProperty("chunked", chunk(extracted.text()));
        exchange.setProperty("contentKind", extracted.mediaType());
    }

    /** Same file and metadata: the indexed chunks are kept (chunking tells whether they are the whole document). */
    public void kept(Exchange exchange) {
        Object count = exchange.getProperty("indexed", Map.class).get("chunk_count");
        exchange.setProperty("chunked", chunk(exchange.getProperty("extracted", TextExtractor.Extracted.class).text()));
        exchange.setProperty("chunkCount", count);
        exchange.setProperty("ragMessage", "content and metadata unchanged: " + count
                + " chunk(s) of the local index kept, nothing embedded");
    }

    /** Stores the planned chunks; sets chunkCount and the job's message. */
    public void stored(Exchange exchange) {
        exchange.setProperty("chunkCount", store(exchange));
        exchange.setProperty("ragMessage", indexedMessage(exchange.getProperty("chunked", TextChunker.Result.class),
                exchange.getProperty("plan", EmbeddingPlan.class), exchange.getProperty("contentKind", String.class)));
    }

    /** The job log line of a document cut at app.index.chunking.max-chunks (sql/jobs/insert-job-log.sql). */
    public void truncationLog(Exchange exchange) {
        TextChunker.Result chunked = exchange.getProperty("chunked", TextChunker.Result.class);
        exchange.setProperty("logLevel", "WARN");
        exchange.setProperty("logEvent", "truncated");
        exchange.setProperty("logMessage", chunked.droppedChunks() + " of " + chunked.totalChunks()
                + " chunk(s) beyond app.index.chunking.max-chunks were not indexed");
    }

    /** The outcome: indexed, or truncated with incompleteReason when the index holds the document only in part. */
    public void finish(Exchange exchange) {
        String reason = incompleteReason(exchange.getProperty("chunked", TextChunker.Result.class),
                exchange.getProperty("extracted", TextExtractor.Extracted.class),
                exchange.getProperty("preChunked", PreChunked.class));
        exchange.setProperty("incompleteReason", reason);
        exchange.setProperty("outcome", outcome(reason));
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

    /** The outcome of a recorded document delete, with what it removed. */
    public void documentDeleted(Exchange exchange) {
        deleted(exchange, "deleted");
    }

    /** The outcome of a recorded knowledge base delete, with what it removed. */
    public void knowledgeBaseDeleted(Exchange exchange) {
        deleted(exchange, "knowledge base deleted");
    }

    private static void deleted(Exchange exchange, String what) {
        exchange.setProperty("outcome", "deleted");
        exchange.setProperty("ragMessage", what + " from the local index: " + exchange.getProperty("deletedChunks")
                + " chunk(s) removed");
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> doc(Exchange exchange) {
        return exchange.getProperty("doc", Map.class);
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
}

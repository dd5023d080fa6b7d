package io.ragsync.targets.ragflow;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.ragsync.jobs.PermanentSyncException;
import io.ragsync.platform.storage.StorageFiles;
import io.ragsync.platform.storage.StoredFile;
import io.ragsync.targets.local.LocalRetrieval;
import io.ragsync.targets.ragflow.RagflowCall.Missing;
import java.net.URLEncoder;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.apache.camel.Exchange;
import org.apache.camel.InvalidPayloadException;
import org.apache.camel.Message;
import org.apache.hc.client5.http.entity.mime.FileBody;
import org.apache.hc.client5.http.entity.mime.FormBodyPartBuilder;
import org.apache.hc.client5.http.entity.mime.HttpMultipartMode;
import org.apache.hc.client5.http.entity.mime.MultipartEntityBuilder;
import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http.HttpEntity;
import org.apache.hc.core5.http.HttpHeaders;
import org.apache.commons.codec.digest.DigestUtils;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/** The one builder of RAGFlow requests: a {@link RagflowCall} per operation, and RAGFlow's limits on names and ids. */
@Component("ragflowRequests")
public class RagflowRequests {

    static final int DATASET_NAME_LIMIT = 128;
    static final int FILE_NAME_BYTES_LIMIT = 255;
    static final int PAGE_SIZE = 100;

    /** Extensions RAGFlow accepts (api/utils/file_utils.py filename_type); anything else is refused per file. */
    static final Set<String> SUPPORTED_EXTENSIONS = Set.of(
            "pdf",
            "msg", "eml", "doc", "docx", "ppt", "pptx", "yml", "xml", "htm", "html", "json", "jsonl", "ldjson",
            "csv", "txt", "ini", "xls", "xlsx", "wps", "rtf", "hlp", "pages", "numbers", "key", "md", "mdx", "py",
            "js", "java", "c", "cpp", "h", "php", "go", "ts", "sh", "cs", "kt", "sql", "epub",
            "wav", "flac", "ape", "alac", "wavpack", "wv", "mp3", "aac", "ogg", "vorbis", "opus",
            "jpg", "jpeg", "png", "tif", "gif", "pcx", "tga", "exif", "fpx", "svg", "psd", "cdr", "pcd", "dxf",
            "ufo", "eps", "ai", "raw", "wmf", "webp", "avif", "apng", "icon", "ico", "mpg", "mpeg", "avi", "rm",
            "rmvb", "mov", "wmv", "asf", "dat", "asx", "wvx", "mpe", "mpa", "mp4");

    private final ObjectMapper mapper;
    private final StorageFiles storage;
    private final RagflowCredentials credentials;
    private final long maxFileSize;
    private final String updateMethod;

    public RagflowRequests(ObjectMapper mapper, StorageFiles storage, RagflowCredentials credentials,
                           @Value("${app.ragflow.max-file-size}") long maxFileSize,
                           @Value("${app.ragflow.update-method:PUT}") String updateMethod) {
        this.mapper = mapper.copy().configure(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS, true);
        this.storage = storage;
        this.credentials = credentials;
        this.maxFileSize = maxFileSize;
        this.updateMethod = updateMethod;
    }

    /** The document of a select-document-sync.sql row (a delete: no file). */
    public RagflowDocument stored(Map<String, Object> row) {
        return document(row, null, null, null, null);
    }

    /** The document of a select-document-for-sync.sql row with its file, RAGFlow name and meta_fields. */
    public RagflowDocument current(Map<String, Object> row) {
        StoredFile file = storage.resolve(String.valueOf(row.get("file_path")));
        String name = documentName(file);
        Map<String, Object> meta = metaFields(row, name);
        return document(row, file, name, meta, metaHash(meta));
    }

    /** Column by column: Jackson's convertValue round-trips the row as JSON tokens, 3 % of the hub's CPU in a sync. */
    private static RagflowDocument document(Map<String, Object> row, StoredFile file, String name,
                                            Map<String, Object> meta, String newMetaHash) {
        return new RagflowDocument(id(row.get("document_id")), id(row.get("knowledge_base_id")), text(row, "kb_name"),
                text(row, "kb_description"), text(row, "kb_dataset_id"), text(row, "synced_dataset_id"),
                text(row, "ragflow_document_id"), text(row, "ragflow_document_name"), text(row, "content_hash"),
                text(row, "meta_hash"), text(row, "sync_status"), Boolean.TRUE.equals(row.get("upload_pending")), file,
                name, meta, newMetaHash, text(row, "previous_ragflow_document_id"), text(row, "replace_mode"));
    }

    private static Long id(Object value) {
        return value == null ? null : ((Number) value).longValue();
    }

    private static String text(Map<String, Object> row, String column) {
        Object value = row.get(column);
        return value == null ? null : value.toString();
    }

    /** Property doc, the {@link #current} document of the body's row, and metaHash, which succeed-job.sql records. */
    public void prepare(Exchange exchange) throws InvalidPayloadException {
        @SuppressWarnings("unchecked")
        RagflowDocument doc = current(exchange.getMessage().getMandatoryBody(Map.class));
        exchange.setProperty("doc", doc);
        exchange.setProperty("metaHash", doc.newMetaHash());
    }

    /** The knowledge base name trimmed to RAGFlow's dataset name limits (128 characters and 128 UTF-8 bytes). */
    public String datasetName(String knowledgeBaseName) {
        String name = printable(knowledgeBaseName == null ? "" : knowledgeBaseName.strip());
        if (name.isEmpty()) {
            throw new PermanentSyncException("the knowledge base has no usable name for a RAGFlow dataset");
        }
        // 128 UTF-8 bytes are at most 128 characters
        return truncateUtf8(name, DATASET_NAME_LIMIT).strip();
    }

    /** A file's RAGFlow name (255 UTF-8 bytes, extension kept); what RAGFlow would refuse or never parse fails. */
    public String documentName(StoredFile file) {
        String name = printable(file.fileName()).strip();
        int dot = name.lastIndexOf('.');
        String extension = dot > 0 ? name.substring(dot + 1).toLowerCase(Locale.ROOT) : "";
        if (!SUPPORTED_EXTENSIONS.contains(extension)) {
            throw new PermanentSyncException("unsupported file type '" + (extension.isEmpty() ? "(none)" : extension)
                    + "': RAGFlow does not accept " + file.fileName());
        }
        if (file.size() == 0) {
            throw new PermanentSyncException("the file is empty: " + file.relativePath());
        }
        if (file.size() > maxFileSize) {
            throw new PermanentSyncException("the file is " + file.size() + " bytes, over the limit of "
                    + maxFileSize + " (app.ragflow.max-file-size): " + file.relativePath());
        }
        String suffix = name.substring(dot);
        int stemBytes = FILE_NAME_BYTES_LIMIT - suffix.getBytes(StandardCharsets.UTF_8).length;
        return truncateUtf8(name.substring(0, dot), stemBytes) + suffix;
    }

    /** meta_fields: external id (found after a crash), who may read it (tenant, roles, {@link RagflowAccess#KEY}). */
    Map<String, Object> metaFields(Map<String, Object> document, String documentName) {
        Map<String, Object> meta = new LinkedHashMap<>();
        meta.put("external_id", String.valueOf(document.get("document_id")));
        meta.put("knowledge_base_id", String.valueOf(document.get("knowledge_base_id")));
        meta.put("title", String.valueOf(document.get("title")));
        meta.put("file_name", documentName);
        Object updatedAt = document.get("updated_at");
        meta.put("updated_at", updatedAt instanceof java.sql.Timestamp ts
                ? ts.toInstant().atOffset(ZoneOffset.UTC).truncatedTo(ChronoUnit.SECONDS).toString()
                : updatedAt instanceof OffsetDateTime odt ? odt.withOffsetSameInstant(ZoneOffset.UTC).toString()
                : String.valueOf(updatedAt));
        if (document.get("tenant") != null) {
            meta.put("tenant", String.valueOf(document.get("tenant")));
        }
        List<String> roles = roles(document.get("allowed_roles_json"));
        meta.put("roles", roles);
        meta.put(RagflowAccess.KEY, RagflowAccess.grants((String) document.get("tenant"), roles));
        return meta;
    }

    private List<String> roles(Object json) {
        if (json == null) {
            return List.of();
        }
        try {
            return List.of(mapper.readValue(json.toString(), String[].class));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot read the document's roles", e);
        }
    }

    /** Hash of the metadata as sent, keys sorted: unchanged hash and content hash means nothing to upload. */
    String metaHash(Map<String, Object> metaFields) {
        try {
            return DigestUtils.sha256Hex(mapper.writeValueAsBytes(new TreeMap<>(metaFields)));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot hash metadata", e);
        }
    }

    /**
     * An upload streamed from disk, its part header as browsers send it (RFC 7578: raw UTF-8 filename only): LEGACY
     * adds a filename* that werkzeug misreads, STRICT writes '?', EXTENDED percent-encodes; so it is given here.
     */
    HttpEntity uploadEntity(StoredFile file, String documentName) {
        FileBody body = new FileBody(file.path().toFile(), ContentType.APPLICATION_OCTET_STREAM, documentName);
        // \ and " as quoted pairs
        String quoted = documentName.replace("\\", "\\\\").replace("\"", "\\\"");
        return MultipartEntityBuilder.create()
                .setMode(HttpMultipartMode.LEGACY)
                .setCharset(StandardCharsets.UTF_8)
                // multipart/form-data; boundary=... as browsers send it (HttpClient adds charset=ISO-8859-1)
                .setContentType(ContentType.MULTIPART_FORM_DATA.withCharset((Charset) null))
                .addPart(FormBodyPartBuilder.create("file", body).setField(HttpHeaders.CONTENT_DISPOSITION,
                        "form-data; name=\"file\"; filename=\"" + quoted + "\"").build())
                .build();
    }

    /** The cheapest authenticated request: one dataset. */
    public RagflowCall listOneDataset() {
        return get("/datasets", query("page", 1, "page_size", 1), Missing.FAIL);
    }

    /** Datasets named as {@code doc}'s knowledge base's would be; 102 "lacks permission for dataset" means none. */
    public RagflowCall findDataset(RagflowDocument doc) {
        return get("/datasets", query("name", datasetName(doc.kbName()), "page", 1, "page_size", PAGE_SIZE),
                Missing.EMPTY);
    }

    /** One dataset by id; 102 means it is gone. */
    public RagflowCall getDataset(String datasetId) {
        return get("/datasets", query("id", required(datasetId), "page", 1, "page_size", 1), Missing.EMPTY);
    }

    /** Creates the dataset of {@code doc}'s knowledge base (RAGFlow may rename it: read its answer's name). */
    public RagflowCall createDataset(RagflowDocument doc) {
        String description = doc.kbDescription();
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("name", datasetName(doc.kbName()));
        if (description != null && !description.isBlank()) {
            body.put("description", description.length() > 65535 ? description.substring(0, 65535) : description);
        }
        return new RagflowCall("POST", "/datasets", null, body, Missing.FAIL);
    }

    /** Deletes one dataset; already gone (102) is fine. */
    public RagflowCall deleteDataset(String datasetId) {
        return new RagflowCall("DELETE", "/datasets", null, Map.of("ids", ids(datasetId)), Missing.EMPTY);
    }

    /** The page after the first {@code pagesRead} of a dataset's documents, oldest first (new uploads come last). */
    public RagflowCall listDocuments(String datasetId, int pagesRead) {
        return get(documents(datasetId), query("page", pagesRead + 1, "page_size", PAGE_SIZE, "orderby", "create_time",
                "desc", "false"), Missing.FAIL);
    }

    /** One document by id; none when it or its dataset is gone. */
    public RagflowCall getDocument(String datasetId, String documentId) {
        return get(documents(datasetId), query("id", required(documentId), "page", 1, "page_size", 1), Missing.EMPTY);
    }

    /** The document of a claimed parse check (a row of claim-parse-checks.sql). */
    public RagflowCall checkedDocument(String datasetId, Map<String, Object> check) {
        return getDocument(datasetId, (String) check.get("ragflow_document_id"));
    }

    /** The documents whose name contains the stem of the name an unanswered upload of {@code doc} used. */
    public RagflowCall findLeftovers(RagflowDocument doc) {
        return get(documents(doc.syncedDatasetId()), query("keywords", stem(doc.ragflowDocumentName()), "page", 1,
                "page_size", PAGE_SIZE), Missing.EMPTY);
    }

    public RagflowCall findByExternalId(String datasetId, RagflowDocument doc) {
        return findByExternalId(datasetId, doc.documentId());
    }

    /** The documents of the dataset whose meta_fields.external_id is the hub's document id (none: dataset gone). */
    public RagflowCall findByExternalId(String datasetId, long documentId) {
        Map<String, Object> condition = Map.of("logic", "and", "conditions", List.of(Map.of(
                "name", "external_id", "comparison_operator", "is", "value", String.valueOf(documentId))));
        return get(documents(datasetId), query("page", 1, "page_size", PAGE_SIZE, "metadata_condition",
                json(condition)), Missing.EMPTY);
    }

    public RagflowCall upload(String datasetId, RagflowDocument doc) {
        return new RagflowCall("POST", documents(datasetId), null, uploadEntity(doc.file(), doc.name()), Missing.FAIL);
    }

    /** Sets meta_fields (app.ragflow.update-method: PUT on every release but v0.25.0/1, PATCH on v0.25+). */
    public RagflowCall updateMeta(String datasetId, RagflowDocument doc) {
        return new RagflowCall(updateMethod, documents(datasetId) + "/" + segment(doc.ragflowDocumentId()), null,
                Map.of("meta_fields", doc.metaFields()), Missing.FAIL);
    }

    /** Deletes documents, all or nothing: {@code missing} says what 102 (some id unknown) means to the caller. */
    public RagflowCall deleteDocuments(String datasetId, Object ids, Missing missing) {
        return new RagflowCall("DELETE", documents(datasetId), null, Map.of("ids", ids(ids)), missing);
    }

    /** Starts parsing (the legacy endpoint every version serves); a refusal is retried, "already parsing" is fine. */
    public RagflowCall parse(String datasetId, RagflowDocument doc) {
        return new RagflowCall("POST", "/datasets/" + segment(datasetId) + "/chunks", null,
                Map.of("document_ids", ids(doc.ragflowDocumentId())), Missing.RETRY);
    }

    /** Retrieval over the caller's datasets, restricted by the caller's tenant and roles, never by the request's. */
    public RagflowCall retrieval(LocalRetrieval.Query query, List<String> datasetIds) {
        if (datasetIds.isEmpty()) {
            throw new IllegalArgumentException("refusing to send RAGFlow a retrieval without datasets");
        }
        Map<String, Object> condition = RagflowAccess.condition(query.metadataCondition(), query.tenant(),
                query.roles());
        Map<String, Object> body = fields("question", query.question(), "dataset_ids", datasetIds, "page", query.page(),
                "page_size", query.pageSize(), "similarity_threshold", query.threshold(), "top_k", query.topK(),
                "metadata_condition", condition);
        return new RagflowCall("POST", "/retrieval", null, body, Missing.FAIL);
    }

    private static RagflowCall get(String path, String query, Missing missing) {
        return new RagflowCall("GET", path, query, "", missing);
    }

    private static String documents(String datasetId) {
        return "/datasets/" + segment(datasetId) + "/documents";
    }

    /** The call (the body) as camel-http's request, with the key; the call stays in a variable for the reader. */
    public void http(Exchange exchange) throws InvalidPayloadException {
        RagflowCall call = exchange.getMessage().getMandatoryBody(RagflowCall.class);
        exchange.setVariable(RagflowResponses.CALL_VARIABLE, call);
        Message message = exchange.getMessage();
        message.setHeader(Exchange.HTTP_METHOD, call.method());
        message.setHeader(Exchange.HTTP_PATH, call.path());
        message.setHeader(Exchange.HTTP_QUERY, call.query());
        message.setHeader("Authorization", credentials.authorization());
        message.setHeader("Accept", "application/json");
        if (call.body() instanceof HttpEntity entity) {
            message.setHeader(Exchange.CONTENT_TYPE, entity.getContentType());
            message.setBody(entity);
        } else if (call.body() instanceof Map<?, ?> json) {
            message.setHeader(Exchange.CONTENT_TYPE, "application/json");
            message.setBody(json(json));
        } else {
            message.setBody(call.body());
        }
    }

    /** A path segment from an id the hub stored: never empty (RAGFlow merges "//"), always URL-encoded. */
    static String segment(String id) {
        return URLEncoder.encode(required(id), StandardCharsets.UTF_8).replace("+", "%20");
    }

    private static String required(String id) {
        if (id == null || id.isBlank()) {
            throw new IllegalArgumentException("refusing to send RAGFlow a request without an id");
        }
        return id;
    }

    private static List<Object> ids(Object ids) {
        List<Object> list = ids instanceof List<?> l ? new ArrayList<>(l) : List.of(ids);
        if (list.isEmpty() || list.stream().anyMatch(id -> id == null || String.valueOf(id).isBlank())) {
            // an empty ids list deletes EVERYTHING on RAGFlow <= v0.24: never send one
            throw new IllegalArgumentException("refusing to send an empty or blank id list to RAGFlow");
        }
        return list;
    }

    /** URL-encoded query string from name/value pairs; null values are left out. */
    static String query(Object... pairs) {
        StringBuilder query = new StringBuilder();
        for (int i = 0; i + 1 < pairs.length; i += 2) {
            if (pairs[i + 1] != null) {
                query.append(query.length() > 0 ? "&" : "").append(URLEncoder.encode(String.valueOf(pairs[i]),
                        StandardCharsets.UTF_8)).append('=')
                        .append(URLEncoder.encode(String.valueOf(pairs[i + 1]), StandardCharsets.UTF_8));
            }
        }
        return query.toString();
    }

    /** An ordered map of name/value pairs (null values kept): answers and bodies keep the order they are read in. */
    static Map<String, Object> fields(Object... pairs) {
        Map<String, Object> fields = new LinkedHashMap<>();
        for (int i = 0; i + 1 < pairs.length; i += 2) {
            fields.put((String) pairs[i], pairs[i + 1]);
        }
        return fields;
    }

    private String json(Object value) {
        try {
            return mapper.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The stem RAGFlow's keyword search should look for to find earlier uploads of this name. */
    static String stem(String documentName) {
        int dot = documentName.lastIndexOf('.');
        return dot > 0 ? documentName.substring(0, dot) : documentName;
    }

    private static String printable(String value) {
        return value.codePoints().filter(cp -> !Character.isISOControl(cp))
                .collect(StringBuilder::new, StringBuilder::appendCodePoint, StringBuilder::append).toString();
    }

    /** At most {@code maxBytes} of UTF-8, never a code point cut in half (the encoder stops before it). */
    static String truncateUtf8(String value, int maxBytes) {
        ByteBuffer out = ByteBuffer.allocate(maxBytes);
        StandardCharsets.UTF_8.newEncoder().encode(CharBuffer.wrap(value), out, true);
        return new String(out.array(), 0, out.position(), StandardCharsets.UTF_8);
    }
}

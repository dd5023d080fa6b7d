package io.ragsync.targets.ragflow;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.ragsync.jobs.PermanentSyncException;
import io.ragsync.platform.storage.StoredFile;
import java.net.URLEncoder;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;
import org.apache.camel.Body;
import org.apache.camel.ExchangeProperty;
import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http.HttpEntity;
import org.apache.hc.core5.http.HttpHeaders;
import org.apache.hc.client5.http.entity.mime.FileBody;
import org.apache.hc.client5.http.entity.mime.FormBodyPartBuilder;
import org.apache.hc.client5.http.entity.mime.HttpMultipartMode;
import org.apache.hc.client5.http.entity.mime.MultipartEntityBuilder;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * Builds RAGFlow request bodies and query strings and reads the few answers that need more than a
 * Simple expression. Encodes RAGFlow's limits: dataset names of at most 128 characters and 128 UTF-8
 * bytes, file names of at most 255 UTF-8 bytes, the extensions RAGFlow parses, meta_fields values of
 * strings and numbers only.
 */
@Component("ragflowRequests")
public class RagflowRequests {

    static final int DATASET_NAME_LIMIT = 128;
    static final int FILE_NAME_BYTES_LIMIT = 255;

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
    private final long maxFileSize;

    public RagflowRequests(ObjectMapper mapper, @Value("${app.ragflow.max-file-size}") long maxFileSize) {
        this.mapper = mapper.copy().configure(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS, true);
        this.maxFileSize = maxFileSize;
    }

    /** The knowledge base name trimmed to RAGFlow's dataset name limits (128 characters and 128 UTF-8 bytes). */
    public String datasetName(@Body String knowledgeBaseName) {
        String name = knowledgeBaseName == null ? "" : knowledgeBaseName.strip();
        name = name.codePoints().filter(cp -> !Character.isISOControl(cp))
                .collect(StringBuilder::new, StringBuilder::appendCodePoint, StringBuilder::append).toString();
        if (name.isEmpty()) {
            throw new PermanentSyncException("the knowledge base has no usable name for a RAGFlow dataset");
        }
        if (name.codePointCount(0, name.length()) > DATASET_NAME_LIMIT) {
            name = name.substring(0, name.offsetByCodePoints(0, DATASET_NAME_LIMIT));
        }
        return truncateUtf8(name, DATASET_NAME_LIMIT).strip();
    }

    public Map<String, Object> createDataset(@ExchangeProperty("candidateDatasetName") String name,
                                             @ExchangeProperty("doc") Map<String, Object> document) {
        Object kbDescription = document == null ? null : document.get("kb_description");
        return createDatasetBody(name, kbDescription == null ? null : String.valueOf(kbDescription));
    }

    public Map<String, Object> createDatasetBody(String name, String description) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("name", name);
        if (description != null && !description.isBlank()) {
            body.put("description", description.length() > 65535 ? description.substring(0, 65535) : description);
        }
        return body;
    }

    /**
     * The name a file gets in RAGFlow: its own name without control characters, shortened to 255 UTF-8
     * bytes keeping the extension. Refuses what RAGFlow would refuse or never parse: unsupported
     * extensions, empty files, files over the configured size limit.
     */
    public String documentName(@Body StoredFile file) {
        String name = file.fileName().codePoints().filter(cp -> !Character.isISOControl(cp))
                .collect(StringBuilder::new, StringBuilder::appendCodePoint, StringBuilder::append).toString().strip();
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
        String stem = truncateUtf8(name.substring(0, dot), FILE_NAME_BYTES_LIMIT - utf8Length(suffix));
        return stem + suffix;
    }

    /**
     * Multipart body for an upload, streamed from disk (the file is never read into memory). The part header is
     * what browsers send (RFC 7578): {@code filename="..."} in raw UTF-8 and nothing else. HttpClient writes
     * that in no mode by itself: LEGACY adds a quoted {@code filename*="UTF-8''..."} that RAGFlow's form parser
     * (werkzeug) reads as {@code name.txt"}, STRICT writes non-ASCII as '?', EXTENDED percent-encodes; so the
     * header is given here and LEGACY + UTF-8 only writes it out.
     */
    public HttpEntity uploadEntity(@ExchangeProperty("file") StoredFile file,
                                   @ExchangeProperty("documentName") String documentName) {
        FileBody body = new FileBody(file.path().toFile(), ContentType.APPLICATION_OCTET_STREAM, documentName);
        return MultipartEntityBuilder.create()
                .setMode(HttpMultipartMode.LEGACY)
                .setCharset(StandardCharsets.UTF_8)
                // multipart/form-data; boundary=... as browsers send it (HttpClient adds charset=ISO-8859-1)
                .setContentType(ContentType.MULTIPART_FORM_DATA.withCharset((Charset) null))
                .addPart(FormBodyPartBuilder.create("file", body)
                        .setField(HttpHeaders.CONTENT_DISPOSITION, fileDisposition("file", documentName)).build())
                .build();
    }

    /** A form-data Content-Disposition with a quoted file name; {@code \} and {@code "} as quoted pairs. */
    static String fileDisposition(String field, String fileName) {
        return "form-data; name=\"" + field + "\"; filename=\""
                + fileName.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }

    /**
     * meta_fields set on every uploaded document: the external id makes it findable after a crash; tenant (absent
     * = every tenant) and roles (empty = every role) are the access of its source, for retrieval filters.
     */
    public Map<String, Object> metaFields(@ExchangeProperty("doc") Map<String, Object> document,
                                          @ExchangeProperty("documentName") String documentName) {
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
        meta.put("roles", roles(document.get("allowed_roles_json")));
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
    public String metaHash(@ExchangeProperty("metaFields") Map<String, Object> metaFields) {
        try {
            byte[] json = mapper.writeValueAsBytes(new TreeMap<>(metaFields));
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(json));
        } catch (JsonProcessingException | NoSuchAlgorithmException e) {
            throw new IllegalStateException("cannot hash metadata", e);
        }
    }

    public Map<String, Object> documentUpdate(@ExchangeProperty("metaFields") Map<String, Object> metaFields) {
        return Map.of("meta_fields", metaFields);
    }

    public Map<String, Object> ids(@Body Object ids) {
        List<Object> list = ids instanceof List<?> l ? new ArrayList<>(l) : List.of(ids);
        if (list.isEmpty() || list.stream().anyMatch(id -> id == null || String.valueOf(id).isBlank())) {
            // an empty ids list deletes EVERYTHING on RAGFlow <= v0.24: never send one
            throw new IllegalArgumentException("refusing to send an empty or blank id list to RAGFlow");
        }
        return Map.of("ids", list);
    }

    public Map<String, Object> documentIds(@Body Object ids) {
        return Map.of("document_ids", ids(ids).get("ids"));
    }

    /** URL-encoded query string from name/value pairs; null values are left out. */
    public String query(Object... pairs) {
        StringBuilder query = new StringBuilder();
        for (int i = 0; i + 1 < pairs.length; i += 2) {
            if (pairs[i + 1] == null) {
                continue;
            }
            if (query.length() > 0) {
                query.append('&');
            }
            query.append(URLEncoder.encode(String.valueOf(pairs[i]), StandardCharsets.UTF_8)).append('=')
                    .append(URLEncoder.encode(String.valueOf(pairs[i + 1]), StandardCharsets.UTF_8));
        }
        return query.toString();
    }

    /** Query for the dataset list filtered by exact (case-insensitive) name. */
    public String datasetLookupQuery(@ExchangeProperty("candidateDatasetName") String name) {
        return query("name", name, "page", 1, "page_size", 100);
    }

    /** Query for one document by id. */
    public String documentByIdQuery(@ExchangeProperty("ragflowDocumentId") String documentId) {
        return query("id", documentId, "page", 1, "page_size", 1);
    }

    /** Query for the documents whose name contains the stem of the name an unanswered upload used. */
    public String leftoverQuery(@ExchangeProperty("doc") Map<String, Object> document) {
        return query("keywords", stem(String.valueOf(document.get("ragflow_document_name"))), "page", 1,
                "page_size", 100);
    }

    /** Query for the documents whose meta_fields.external_id is the given id. */
    public String externalIdQuery(@ExchangeProperty("documentId") Object externalId) {
        return externalIdQueryPage(externalId, 1);
    }

    public String externalIdQueryPage(Object externalId, int page) {
        Map<String, Object> condition = Map.of("logic", "and", "conditions", List.of(Map.of(
                "name", "external_id", "comparison_operator", "is", "value", String.valueOf(externalId))));
        try {
            return query("page", page, "page_size", 100, "metadata_condition", mapper.writeValueAsString(condition));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The stem RAGFlow's keyword search should look for to find earlier uploads of this name. */
    public String stem(String documentName) {
        int dot = documentName.lastIndexOf('.');
        return dot > 0 ? documentName.substring(0, dot) : documentName;
    }

    /** Documents of a list answer ({@code data.docs}); empty when there are none. */
    @SuppressWarnings("unchecked")
    public List<Map<String, Object>> docs(Map<String, Object> envelope) {
        Object data = envelope == null ? null : envelope.get("data");
        if (data instanceof Map<?, ?> map && map.get("docs") instanceof List<?> docs) {
            return (List<Map<String, Object>>) docs;
        }
        return List.of();
    }

    /** Ids of the listed documents. */
    public List<String> docIds(@Body Map<String, Object> envelope) {
        return docs(envelope).stream().map(d -> String.valueOf(d.get("id"))).toList();
    }

    /**
     * Documents left behind by an earlier attempt for this external id: those whose meta_fields carry it,
     * and those without any external_id whose name is ours or RAGFlow's rename of it ({@code a(1).txt}),
     * i.e. an upload whose answer was lost. The caller still drops ids mapped to other documents.
     */
    public List<String> leftovers(@ExchangeProperty("leftoverListing") Map<String, Object> envelope,
                                  @ExchangeProperty("documentId") Object externalId,
                                  @ExchangeProperty("doc") Map<String, Object> document,
                                  @Body List<Map<String, Object>> mappedRows) {
        List<String> mapped = mappedRows == null ? List.of()
                : mappedRows.stream().map(r -> String.valueOf(r.get("ragflow_document_id"))).toList();
        return leftoversOf(envelope, externalId, String.valueOf(document.get("ragflow_document_name"))).stream()
                .filter(id -> !mapped.contains(id)).toList();
    }

    @SuppressWarnings("unchecked")
    public List<String> leftoversOf(Map<String, Object> envelope, Object externalId, String documentName) {
        int dot = documentName.lastIndexOf('.');
        Pattern ours = Pattern.compile(Pattern.quote(documentName.substring(0, dot)) + "(\\(\\d+\\))?"
                + Pattern.quote(documentName.substring(dot)), Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE);
        List<String> ids = new ArrayList<>();
        for (Map<String, Object> doc : docs(envelope)) {
            Object meta = doc.get("meta_fields");
            Object docExternalId = meta instanceof Map<?, ?> m ? ((Map<String, Object>) m).get("external_id") : null;
            boolean mine = String.valueOf(externalId).equals(String.valueOf(docExternalId));
            boolean lostUpload = docExternalId == null && ours.matcher(String.valueOf(doc.get("name"))).matches();
            if (mine || lostUpload) {
                ids.add(String.valueOf(doc.get("id")));
            }
        }
        return ids;
    }

    /** The first listed dataset whose id is not in the given set (datasets already mapped to other bases). */
    public String adoptableDataset(@ExchangeProperty("datasetLookup") Map<String, Object> envelope,
                                   @Body List<Map<String, Object>> mappedRows) {
        return adoptableDatasetOf(envelope, mappedRows == null ? List.of()
                : mappedRows.stream().map(r -> String.valueOf(r.get("ragflow_dataset_id"))).toList());
    }

    @SuppressWarnings("unchecked")
    public String adoptableDatasetOf(Map<String, Object> envelope, List<String> mappedIds) {
        if (envelope.get("data") instanceof List<?> datasets) {
            for (Object item : datasets) {
                String id = String.valueOf(((Map<String, Object>) item).get("id"));
                if (mappedIds == null || !mappedIds.contains(id)) {
                    return id;
                }
            }
        }
        return null;
    }

    /** The first document of a list answer, or null when the list is empty or the answer an error. */
    public Map<String, Object> firstDoc(@Body Map<String, Object> envelope) {
        List<Map<String, Object>> docs = docs(envelope);
        return docs.isEmpty() ? null : docs.get(0);
    }

    /** The listed document's parse run (RUNNING, DONE, FAIL, ...), null without a document. */
    public Object run(@ExchangeProperty("ragflowDoc") Map<String, Object> document) {
        return document == null ? null : document.get("run");
    }

    /** The listed document's chunk count, null without a document. */
    public Object chunkCount(@ExchangeProperty("ragflowDoc") Map<String, Object> document) {
        return document == null ? null : document.get("chunk_count");
    }

    /** The last non-empty line of RAGFlow's progress log, the most useful part for a status. */
    public String lastProgressLine(@ExchangeProperty("ragflowDoc") Map<String, Object> document) {
        return lastProgressLineOf(document == null ? null : document.get("progress_msg"));
    }

    public String lastProgressLineOf(Object progressMsg) {
        if (progressMsg == null) {
            return "";
        }
        String[] lines = String.valueOf(progressMsg).strip().split("\n");
        return lines.length == 0 ? "" : lines[lines.length - 1].strip();
    }

    static String truncateUtf8(String value, int maxBytes) {
        if (utf8Length(value) <= maxBytes) {
            return value;
        }
        StringBuilder out = new StringBuilder();
        int bytes = 0;
        for (int i = 0; i < value.length(); ) {
            int cp = value.codePointAt(i);
            int len = new String(Character.toChars(cp)).getBytes(StandardCharsets.UTF_8).length;
            if (bytes + len > maxBytes) {
                break;
            }
            out.appendCodePoint(cp);
            bytes += len;
            i += Character.charCount(cp);
        }
        return out.toString();
    }

    private static int utf8Length(String value) {
        return value.getBytes(StandardCharsets.UTF_8).length;
    }
}

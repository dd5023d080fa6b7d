package io.ragsync.support;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.http.Fault;
import com.github.tomakehurst.wiremock.http.Request;
import com.github.tomakehurst.wiremock.http.ResponseDefinition;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A LightRAG server stand-in that answers as lightrag/api/routers/document_routes.py does: X-API-Key checked (403
 * "API Key required" / "Invalid API Key"); POST /documents/upload answers {status, message, track_id} and processes
 * in the background, "duplicated" with an empty track_id when a document of that file name exists; a content already
 * held under another name is a "dup-" document failed with "Content already exists"; the track status moves
 * pending → processing → processed (or failed with error_msg, as when the LLM or embedding service fails) one
 * step per look; DELETE /documents/delete_document takes {doc_ids} (empty refused, 422) and deletes in the
 * background ("deletion_started"), refusing with "busy" while a document is processing; POST /documents/paginated
 * lists page by page. The only place that knows how LightRAG behaves; faults come on top.
 */
public final class LightragStub {

    public static final String API_KEY = "lightrag-test-key-0123456789";

    /** How the documents of an answer carry their id: as LightRAG does, or (a fault) left out or null. */
    public enum DocIds { GIVEN, LEFT_OUT, NULL }

    /** One LightRAG document (DocStatusResponse). */
    public static final class Doc {
        public final String id;
        public final String filePath;
        public final String content;
        public final String trackId;
        public volatile String status = "pending";
        public volatile String errorMsg;
        public volatile Integer chunks;

        Doc(String id, String filePath, String content, String trackId) {
            this.id = id;
            this.filePath = filePath;
            this.content = content;
            this.trackId = trackId;
        }
    }

    private final WireMockServer server;
    private final ObjectMapper json = new ObjectMapper();
    private final Map<String, Doc> docs = new LinkedHashMap<>();
    private final Map<String, String> failing = new LinkedHashMap<>();
    private final AtomicInteger uploads = new AtomicInteger();
    private final List<String> askedDeletions = new ArrayList<>();
    private final AtomicInteger lostUploadAnswers = new AtomicInteger();
    private volatile double randomFaultRate;
    private Random random = new Random(7);
    private volatile boolean down;
    private volatile String acceptedKey = API_KEY;
    private volatile DocIds docIds = DocIds.GIVEN;
    private int trackCounter;

    public LightragStub() {
        server = new WireMockServer(options().dynamicPort().extensions(new StubBehaviour("lightrag") {
            @Override
            public ResponseDefinition transform(ServeEvent serveEvent) {
                return answer(serveEvent.getRequest());
            }
        }));
        server.start();
        server.stubFor(any(anyUrl()).atPriority(10).willReturn(aResponse().withTransformers("lightrag")));
    }

    public String baseUrl() {
        return "http://localhost:" + server.port();
    }

    public synchronized void reset() {
        docs.clear();
        failing.clear();
        uploads.set(0);
        askedDeletions.clear();
        lostUploadAnswers.set(0);
        randomFaultRate = 0;
        random = new Random(7);
        down = false;
        acceptedKey = API_KEY;
        docIds = DocIds.GIVEN;
    }

    /** The key LightRAG accepts from now on (RAGSync sends {@link #API_KEY}). */
    public void acceptKey(String key) {
        acceptedKey = key;
    }

    // ---- knobs -----------------------------------------------------------------------------------------------

    /** Processing of a content containing {@code marker} fails with {@code error} (LLM/embedding service failure). */
    public synchronized void failProcessing(String marker, String error) {
        failing.put(marker, error);
    }

    /** The next n uploads are stored, but their answer is lost (a reset connection). */
    public void loseUploadAnswers(int n) {
        lostUploadAnswers.set(n);
    }

    /** Seeded random HTTP 500s, half before the work, half after it (the answer lost). */
    public synchronized void randomFaults(double rate, long seed) {
        randomFaultRate = rate;
        random = new Random(seed);
    }

    /** Track and listing answers give their documents' ids so (a proxy or a server not answering as LightRAG does). */
    public void docIds(DocIds given) {
        docIds = given;
    }

    /** Every connection reset, as a server that is down. */
    public void down(boolean isDown) {
        down = isDown;
    }

    /** A processed document that did not come from RAGSync (uploaded through LightRAG's own web UI). */
    public synchronized void hold(String filePath, String content) {
        Doc doc = new Doc("doc-held-" + docs.size(), filePath, content, "upload_held");
        doc.status = "processed";
        docs.put(doc.id, doc);
    }

    public synchronized List<Doc> docs() {
        return List.copyOf(docs.values());
    }

    public int uploads() {
        return uploads.get();
    }

    /** Every doc id a deletion asked for, whether LightRAG held it or not. */
    public synchronized List<String> askedDeletions() {
        return List.copyOf(askedDeletions);
    }

    // ---- behaviour -------------------------------------------------------------------------------------------

    /** Down: every connection reset; random faults: a 500 before the work, or the answer lost after it. */
    private ResponseDefinition answer(Request request) {
        double draw = down ? 0 : draw();
        if (!down && draw < randomFaultRate / 2) {
            return error(500, "Internal Server Error");
        }
        ResponseDefinition answer = down ? null : handleSafely(request);
        boolean upload = request.getUrl().startsWith("/documents/upload");
        if (down || draw < randomFaultRate || upload && lostUploadAnswers.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
            return ResponseDefinitionBuilder.responseDefinition().withFault(Fault.CONNECTION_RESET_BY_PEER).build();
        }
        return answer;
    }

    private ResponseDefinition handleSafely(Request request) {
        try {
            return handle(request);
        } catch (Exception e) {
            return error(500, e.toString());
        }
    }

    private synchronized double draw() {
        return randomFaultRate > 0 ? random.nextDouble() : 1.0;
    }

    private synchronized ResponseDefinition handle(Request request) throws Exception {
        String key = request.getHeader("X-API-Key");
        if (key == null || key.isEmpty()) {
            return error(403, "API Key required");
        }
        if (!key.equals(acceptedKey)) {
            return error(403, "Invalid API Key");
        }
        String path = URI.create(request.getUrl()).getRawPath();
        String method = request.getMethod().getName();
        if (method.equals("POST") && path.equals("/documents/upload")) {
            return upload(request);
        }
        if (method.equals("GET") && path.startsWith("/documents/track_status/")) {
            return track(java.net.URLDecoder.decode(path.substring("/documents/track_status/".length()), StandardCharsets.UTF_8));
        }
        if (method.equals("DELETE") && path.equals("/documents/delete_document")) {
            return delete(json.readTree(request.getBodyAsString()));
        }
        if (method.equals("POST") && path.equals("/documents/paginated")) {
            return page(json.readTree(request.getBodyAsString()));
        }
        return error(404, "Not Found");
    }

    private ResponseDefinition upload(Request request) throws Exception {
        Request.Part part = request.getParts().stream().filter(p -> "file".equals(p.getName())).findFirst().orElse(null);
        if (part == null) {
            return error(422, "field required: file");
        }
        String name = part.getFileName().replace("/", "").replace("\\", "").replace("..", "").strip();
        Doc existing = docs.values().stream().filter(d -> d.filePath.equals(name)).findFirst().orElse(null);
        if (existing != null) {
            return ok(Map.of("status", "duplicated", "message", "File '" + name
                    + "' already exists in document storage (Status: " + existing.status + ").", "track_id", ""));
        }
        uploads.incrementAndGet();
        String content = part.getBody().asString().strip();
        String trackId = "upload_20260101_000000_" + String.format("%06d", ++trackCounter);
        String id = "doc-" + HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(content.getBytes(StandardCharsets.UTF_8)));
        Doc doc;
        if (docs.containsKey(id)) {
            doc = new Doc("dup-" + id.substring(4) + "-" + trackCounter, name, content, trackId);
            doc.status = "failed";
            doc.errorMsg = "Content already exists. Original doc_id: " + id;
        } else {
            doc = new Doc(id, name, content, trackId);
        }
        docs.put(doc.id, doc);
        return ok(Map.of("status", "success", "message", "File '" + name
                + "' uploaded successfully. Processing will continue in background.", "track_id", trackId));
    }

    private ResponseDefinition track(String trackId) {
        List<Map<String, Object>> found = new ArrayList<>();
        for (Doc doc : docs.values()) {
            if (doc.trackId.equals(trackId)) {
                advance(doc);
                found.add(view(doc));
            }
        }
        return ok(Map.of("track_id", trackId, "documents", found, "total_count", found.size(), "status_summary", Map.of()));
    }

    private void advance(Doc doc) {
        switch (doc.status) {
            case "pending" -> doc.status = "processing";
            case "processing" -> {
                String error = failing.entrySet().stream().filter(e -> doc.content.contains(e.getKey()))
                        .map(Map.Entry::getValue).findFirst().orElse(null);
                doc.status = error == null ? "processed" : "failed";
                doc.errorMsg = error;
                doc.chunks = error == null ? 1 + doc.content.length() / 1200 : null;
            }
            default -> { }
        }
    }

    private ResponseDefinition delete(JsonNode body) {
        List<String> ids = new ArrayList<>();
        body.path("doc_ids").forEach(n -> ids.add(n.asText()));
        askedDeletions.addAll(ids);
        if (ids.isEmpty()) {
            return error(422, "Document IDs list cannot be empty");
        }
        if (docs.values().stream().anyMatch(d -> d.status.equals("processing"))) {
            return ok(Map.of("status", "busy", "message", "Cannot delete documents while pipeline is busy",
                    "doc_id", String.join(", ", ids)));
        }
        ids.forEach(docs::remove);
        return ok(Map.of("status", "deletion_started", "message", "Document deletion for " + ids.size()
                + " documents has been initiated. Processing will continue in background.", "doc_id", String.join(", ", ids)));
    }

    private ResponseDefinition page(JsonNode body) {
        int page = body.path("page").asInt(1);
        int size = body.path("page_size").asInt(50);
        if (page < 1 || size < 10 || size > 200) {
            return error(422, "page >= 1 and 10 <= page_size <= 200");
        }
        List<Doc> all = List.copyOf(docs.values());
        int from = Math.min(all.size(), (page - 1) * size);
        int to = Math.min(all.size(), from + size);
        int pages = (all.size() + size - 1) / size;
        return ok(Map.of("documents", all.subList(from, to).stream().map(this::view).toList(),
                "pagination", Map.of("page", page, "page_size", size, "total_count", all.size(), "total_pages", pages,
                        "has_next", page < pages, "has_prev", page > 1),
                "status_counts", Map.of()));
    }

    private Map<String, Object> view(Doc doc) {
        Map<String, Object> v = new LinkedHashMap<>();
        v.put("id", doc.id);
        v.put("content_summary", doc.content.substring(0, Math.min(100, doc.content.length())));
        v.put("content_length", doc.content.length());
        v.put("status", doc.status);
        v.put("created_at", "2026-01-01T00:00:00+00:00");
        v.put("updated_at", "2026-01-01T00:00:00+00:00");
        v.put("track_id", doc.trackId);
        v.put("chunks_count", doc.chunks);
        v.put("error_msg", doc.errorMsg);
        v.put("metadata", null);
        v.put("file_path", doc.filePath);
        switch (docIds) {
            case LEFT_OUT -> v.remove("id");
            case NULL -> v.put("id", null);
            default -> { }
        }
        return v;
    }

    private ResponseDefinition ok(Object body) {
        try {
            return ResponseDefinitionBuilder.responseDefinition().withStatus(200)
                    .withHeader("Content-Type", "application/json").withBody(json.writeValueAsString(body)).build();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private ResponseDefinition error(int status, String detail) {
        return ResponseDefinitionBuilder.responseDefinition().withStatus(status)
                .withHeader("Content-Type", "application/json").withBody("{\"detail\":\"" + detail.replace("\"", "'") + "\"}").build();
    }
}

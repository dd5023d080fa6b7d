package io.ragsync.support;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.http.QueryParameter;
import com.github.tomakehurst.wiremock.http.Request;
import com.github.tomakehurst.wiremock.http.ResponseDefinition;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * A RAGFlow stand-in that answers the way RAGFlow v0.26+ really answers (shared/ragflow-api.md), quirks
 * included: application errors are HTTP 200 with a non-zero code; duplicate dataset and document names are
 * renamed "name(1)" case-insensitively, not refused; deletes are all or nothing; a bad key is HTTP 401
 * (or, with {@link #legacyAuth}, HTTP 200 code 109 as up to v0.24); upload does not parse, parse is
 * explicit and its progress is seen by polling the document list. This class is the only place that
 * knows how RAGFlow behaves; tests add faults on top with higher-priority WireMock stubs.
 */
public final class RagflowStub {

    public static final String API_KEY = "ragflow-TestKey0123456789abcdefghijklmnopqrstuvwxyzABCD";
    private static final String TENANT = "a1b2c3d4e5f60718293a4b5c6d7e8f90";
    private static final Set<String> SUPPORTED = Set.of("pdf", "msg", "eml", "doc", "docx", "ppt", "pptx", "yml",
            "xml", "htm", "html", "json", "jsonl", "ldjson", "csv", "txt", "ini", "xls", "xlsx", "wps", "rtf", "hlp",
            "pages", "numbers", "key", "md", "mdx", "py", "js", "java", "c", "cpp", "h", "php", "go", "ts", "sh", "cs",
            "kt", "sql", "epub", "wav", "mp3", "jpg", "jpeg", "png", "gif", "mp4");
    private static final Set<String> DATASET_CREATE_FIELDS = Set.of("name", "avatar", "description",
            "embedding_model", "permission", "chunk_method", "parser_config", "parse_type", "pipeline_id", "ext",
            "auto_metadata_config");
    private static final Set<String> DATASET_LIST_PARAMS = Set.of("page", "page_size", "orderby", "desc", "id",
            "ids", "name", "include_parsing_status", "ext");

    private final WireMockServer server;
    private final Behaviour behaviour = new Behaviour();
    private final Faults faults = new Faults();
    private final ObjectMapper mapper = new ObjectMapper();

    private final Map<String, Dataset> datasets = new LinkedHashMap<>();
    private final Map<String, Doc> documents = new LinkedHashMap<>();
    private volatile String apiKey = API_KEY;
    private volatile boolean legacyAuth;
    private volatile int parsePollsToFinish = 1;
    private volatile boolean ignoreRetrievalFilter;
    private final AtomicInteger lostUploadAnswers = new AtomicInteger();
    private final List<Hold> holds = new java.util.concurrent.CopyOnWriteArrayList<>();
    private long clock = 1_700_000_000_000L;

    public RagflowStub() {
        server = new WireMockServer(options().dynamicPort().extensions(behaviour));
        server.start();
        installBehaviour();
    }

    public String baseUrl() {
        return "http://localhost:" + server.port();
    }

    public WireMockServer wireMock() {
        return server;
    }

    /** Forgets all data, faults and recorded requests. */
    public synchronized void reset() {
        server.resetAll();
        installBehaviour();
        datasets.clear();
        documents.clear();
        apiKey = API_KEY;
        legacyAuth = false;
        parsePollsToFinish = 1;
        ignoreRetrievalFilter = false;
        lostUploadAnswers.set(0);
        faults.clear();
        holds.forEach(Hold::drop);
        holds.clear();
    }

    public void stop() {
        server.stop();
    }

    private void installBehaviour() {
        server.stubFor(any(anyUrl()).atPriority(10).willReturn(aResponse().withTransformers(Behaviour.NAME)));
    }

    // ---- knobs for tests -------------------------------------------------------------------------------

    /** The key RAGFlow accepts from now on (the one RAGSync sends is {@link #API_KEY}). */
    public void acceptKey(String key) {
        this.apiKey = key;
    }

    /** Answer bad keys as servers up to v0.24 do: HTTP 200, code 109. */
    public void legacyAuth(boolean legacy) {
        this.legacyAuth = legacy;
    }

    /** A RAGFlow whose retrieval ignores metadata_condition (a misconfigured or older engine). */
    public void ignoreRetrievalFilter(boolean ignore) {
        ignoreRetrievalFilter = ignore;
    }

    public void parsePollsToFinish(int polls) {
        this.parsePollsToFinish = polls;
    }

    /** The next n uploads are stored, but their answer is lost (a 502 from the proxy), as after a timeout. */
    public void loseUploadAnswers(int n) {
        lostUploadAnswers.set(n);
    }

    /**
     * Holds the next request of this method and path (regex) until it is released or dropped; with
     * {@code afterWork} RAGFlow has done what it asks by then, else not yet.
     */
    public Hold holdNext(String method, String pathRegex, boolean afterWork) {
        return holdNext(method, pathRegex, null, afterWork);
    }

    /** As {@link #holdNext(String, String, boolean)}, for a request whose query also contains {@code queryRegex}. */
    public Hold holdNext(String method, String pathRegex, String queryRegex, boolean afterWork) {
        Hold hold = new Hold(method, pathRegex, queryRegex, afterWork);
        holds.add(hold);
        return hold;
    }

    /** One request stopped on its way through RAGFlow, so that a test can stop a client at one precise step. */
    public static final class Hold {
        private final String method;
        private final Pattern path;
        private final Pattern query;
        private final boolean afterWork;
        private final java.util.concurrent.CountDownLatch held = new java.util.concurrent.CountDownLatch(1);
        private final java.util.concurrent.CountDownLatch released = new java.util.concurrent.CountDownLatch(1);
        private volatile boolean dropped;

        private Hold(String method, String pathRegex, String queryRegex, boolean afterWork) {
            this.method = method;
            this.path = Pattern.compile(pathRegex);
            this.query = queryRegex == null ? null : Pattern.compile(queryRegex);
            this.afterWork = afterWork;
        }

        /** Waits until the request has arrived and is being held. */
        public Hold awaitHeld(java.time.Duration atMost) throws InterruptedException {
            if (!held.await(atMost.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS)) {
                throw new AssertionError("no " + method + " " + path + " request arrived within " + atMost);
            }
            return this;
        }

        /** The request goes on as RAGFlow would serve it. */
        public void release() {
            released.countDown();
        }

        /**
         * The request is lost with its client (killed while it waited): a request held before the work is never
         * done, and the connection is reset instead of an answer.
         */
        public void drop() {
            dropped = true;
            released.countDown();
        }

        private boolean matches(Request request) {
            URI url = URI.create(request.getUrl());
            return request.getMethod().getName().equals(method) && path.matcher(url.getRawPath()).matches()
                    && (query == null || url.getRawQuery() != null && query.matcher(url.getRawQuery()).find());
        }

        /** Blocks the request until released; true when it was dropped. */
        private boolean awaitRelease() {
            held.countDown();
            try {
                if (!released.await(5, java.util.concurrent.TimeUnit.MINUTES)) {
                    dropped = true;
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                dropped = true;
            }
            return dropped;
        }

        private static ResponseDefinition lost() {
            return ResponseDefinitionBuilder.responseDefinition()
                    .withFault(com.github.tomakehurst.wiremock.http.Fault.CONNECTION_RESET_BY_PEER).build();
        }
    }

    /** The armed hold this request triggers (each holds one request), or null. */
    private Hold claimHold(Request request) {
        for (Hold hold : holds) {
            if (hold.matches(request) && holds.remove(hold)) {
                return hold;
            }
        }
        return null;
    }

    // ---- fault injection: what a sick RAGFlow, its proxy or the network do ---------------------

    /** The fault knobs; {@link #reset()} clears them. */
    public Faults faults() {
        return faults;
    }

    /**
     * Faults on top of the behaviour. "Before" faults answer without RAGFlow doing anything (a 503 from a
     * restarting server); "after" faults let RAGFlow do the work and lose the answer (a 502 from the proxy,
     * a connection dropped mid-answer, an answer slower than the client's timeout), the hardest case for
     * idempotency.
     */
    public final class Faults {
        private volatile double randomRate;
        private volatile boolean randomResets;
        private java.util.Random random = new java.util.Random(0);
        private volatile int outageStatus;
        private final AtomicInteger throttled = new AtomicInteger();
        private volatile long throttleRetryAfter;
        private final AtomicInteger droppedUploads = new AtomicInteger();
        private final AtomicInteger slowUploads = new AtomicInteger();
        private volatile long slowUploadMs;
        private volatile long uploadDelayMs;
        private final AtomicInteger injected = new AtomicInteger();
        private volatile int failingListingPage;
        private final AtomicInteger uploadsInFlight = new AtomicInteger();
        private final AtomicInteger maxUploadsInFlight = new AtomicInteger();

        /** Forgets every fault (the data stays). */
        public synchronized void clear() {
            randomRate = 0;
            randomResets = false;
            outageStatus = 0;
            throttled.set(0);
            droppedUploads.set(0);
            slowUploads.set(0);
            uploadDelayMs = 0;
            injected.set(0);
            maxUploadsInFlight.set(0);
            failingListingPage = 0;
        }

        /**
         * From now on, a seeded random {@code rate} of all requests fail: half with 500/503 before RAGFlow
         * does anything, half with a proxy 502 after RAGFlow did the work (answer lost).
         */
        public synchronized void randomServerErrors(double rate, long seed) {
            random = new java.util.Random(seed);
            randomRate = rate;
        }

        /**
         * As {@link #randomServerErrors}, but half of the failures after RAGFlow did the work are connections
         * reset before the answer instead of a proxy 502: 500, 503, 502 and dropped connections in equal parts.
         */
        public synchronized void randomFaults(double rate, long seed) {
            randomServerErrors(rate, seed);
            randomResets = true;
        }

        /** Every request answers this HTTP status (an outage) until {@link #clear()}. */
        public void outage(int status) {
            outageStatus = status;
        }

        /** The next n requests answer 429 with Retry-After: seconds. */
        public void rateLimit(int n, long retryAfterSeconds) {
            throttleRetryAfter = retryAfterSeconds;
            throttled.set(n);
        }

        /** The next n uploads are stored, then the connection is reset before the answer. */
        public void dropUploadConnections(int n) {
            droppedUploads.set(n);
        }

        /** The next n uploads are stored and answered after delayMs (longer than the client waits: a timeout). */
        public void slowUploads(int n, long delayMs) {
            slowUploadMs = delayMs;
            slowUploads.set(n);
        }

        /** Every upload takes at least delayMs (to observe how many run at once). */
        public void uploadDelay(long delayMs) {
            uploadDelayMs = delayMs;
        }

        /** Every listing of a dataset's documents fails at this page (1-based) until {@link #clear()}. */
        public void failListingPage(int page) {
            failingListingPage = page;
        }

        /** How many faults were injected since the last clear. */
        public int injected() {
            return injected.get();
        }

        /** The most uploads RAGFlow was handling at the same time since the last clear. */
        public int maxConcurrentUploads() {
            return maxUploadsInFlight.get();
        }

        ResponseDefinition before(Request request) {
            if (outageStatus != 0) {
                injected.incrementAndGet();
                return proxyPage(outageStatus);
            }
            if (throttled.get() > 0 && throttled.getAndDecrement() > 0) {
                injected.incrementAndGet();
                return ResponseDefinitionBuilder.like(json(429, envelope(429, "Too Many Requests", null, true)))
                        .withHeader("Retry-After", String.valueOf(throttleRetryAfter)).build();
            }
            if (failingListingPage > 0 && request.getMethod().getName().equals("GET")
                    && URI.create(request.getUrl()).getRawPath().matches("/api/v1/datasets/[^/]+/documents/?")
                    && request.queryParameter("page").isPresent()
                    && String.valueOf(failingListingPage).equals(request.queryParameter("page").firstValue())) {
                injected.incrementAndGet();
                return json(200, envelope(100, "ValueError('the listing failed')", null, true));
            }
            double draw = draw();
            if (draw < randomRate / 2) {
                injected.incrementAndGet();
                return proxyPage(draw < randomRate / 4 ? 500 : 503);
            }
            if (isUpload(request)) {
                int now = uploadsInFlight.incrementAndGet();
                maxUploadsInFlight.accumulateAndGet(now, Math::max);
                try {
                    long delay = uploadDelayMs;
                    if (delay > 0) {
                        java.util.concurrent.locks.LockSupport.parkNanos(delay * 1_000_000L);
                    }
                } finally {
                    uploadsInFlight.decrementAndGet();
                }
            }
            return null;
        }

        ResponseDefinition after(Request request, ResponseDefinition answer) {
            double draw = draw();
            if (draw < randomRate / 2) {
                injected.incrementAndGet();
                return randomResets && draw < randomRate / 4 ? ResponseDefinitionBuilder.responseDefinition()
                        .withFault(com.github.tomakehurst.wiremock.http.Fault.CONNECTION_RESET_BY_PEER).build()
                        : proxyPage(502);
            }
            if (isUpload(request)) {
                if (droppedUploads.get() > 0 && droppedUploads.getAndDecrement() > 0) {
                    injected.incrementAndGet();
                    return ResponseDefinitionBuilder.responseDefinition()
                            .withFault(com.github.tomakehurst.wiremock.http.Fault.CONNECTION_RESET_BY_PEER).build();
                }
                if (slowUploads.get() > 0 && slowUploads.getAndDecrement() > 0) {
                    injected.incrementAndGet();
                    return ResponseDefinitionBuilder.like(answer).withFixedDelay((int) slowUploadMs).build();
                }
            }
            return answer;
        }

        private synchronized double draw() {
            return randomRate > 0 ? random.nextDouble() : 1.0;
        }

        private boolean isUpload(Request request) {
            return request.getMethod().getName().equals("POST")
                    && URI.create(request.getUrl()).getRawPath().matches("/api/v1/datasets/[^/]+/documents/?");
        }

        private ResponseDefinition proxyPage(int status) {
            return ResponseDefinitionBuilder.responseDefinition().withStatus(status)
                    .withHeader("Content-Type", "text/html")
                    .withBody("<html><body>" + status + " from the proxy</body></html>").build();
        }
    }

    // ---- what the stub holds, for assertions ------------------------------------------------------------

    public synchronized List<Map<String, Object>> datasets() {
        return datasets.values().stream().map(Dataset::json).toList();
    }

    public synchronized String createDatasetDirectly(String name) {
        return createDataset(name, null).id;
    }

    public synchronized List<Map<String, Object>> documents(String datasetId) {
        return documents.values().stream().filter(d -> d.datasetId.equals(datasetId)).map(Doc::json).toList();
    }

    /** The documents of a dataset whose meta_fields carry this external id: the copies of one hub document. */
    public synchronized List<Map<String, Object>> documents(String datasetId, long externalId) {
        String id = String.valueOf(externalId);
        return documents(datasetId).stream()
                .filter(d -> id.equals(((Map<?, ?>) d.get("meta_fields")).get("external_id"))).toList();
    }

    public synchronized List<Map<String, Object>> allDocuments() {
        return documents.values().stream().map(Doc::json).toList();
    }

    public synchronized String content(String documentId) {
        Doc doc = documents.get(documentId);
        return doc == null ? null : new String(doc.content, StandardCharsets.UTF_8);
    }

    /** Stores a document as an upload whose answer never arrived would have left it: no meta_fields. */
    public synchronized String uploadDirectly(String datasetId, String fileName, String content) {
        return storeDocument(datasets.get(datasetId), fileName, content.getBytes(StandardCharsets.UTF_8)).id;
    }

    public synchronized void deleteDocumentDirectly(String documentId) {
        documents.remove(documentId);
    }

    /** Makes a document look created that many milliseconds ago (older than reconciliation's grace period). */
    public synchronized void backdate(String documentId, long millis) {
        documents.get(documentId).createTime -= millis;
    }

    /** Deletes a dataset and its documents as someone would by hand in RAGFlow's UI. */
    public synchronized void deleteDatasetDirectly(String datasetId) {
        datasets.remove(datasetId);
        documents.values().removeIf(d -> d.datasetId.equals(datasetId));
    }

    /** Replaces a document's stored bytes (e.g. a corrupted or hand-edited copy); id, name and meta stay. */
    public synchronized void replaceContentDirectly(String documentId, String content) {
        Doc old = documents.get(documentId);
        Doc doc = new Doc(old.id, old.datasetId, old.name, content.getBytes(StandardCharsets.UTF_8), old.createTime);
        doc.meta = old.meta;
        doc.run = old.run;
        doc.chunkCount = old.chunkCount;
        documents.put(documentId, doc);
    }

    /** Stores a copy with meta_fields, e.g. a duplicate with a (foreign) external id; create time far in the past. */
    public synchronized String uploadDirectlyWithMeta(String datasetId, String fileName, String content,
                                                      Map<String, Object> meta) {
        Doc doc = storeDocument(datasets.get(datasetId), fileName, content.getBytes(StandardCharsets.UTF_8));
        doc.meta = new LinkedHashMap<>(meta);
        return doc.id;
    }

    public int requestCount() {
        return server.getAllServeEvents().size();
    }

    public long countRequests(String method, String pathRegex) {
        return requests(method, pathRegex).count();
    }

    /** The requests of this method and path whose query parameter {@code name} is {@code value}. */
    public long countRequests(String method, String pathRegex, String name, String value) {
        return requests(method, pathRegex).filter(r -> value.equals(param(r, name))).count();
    }

    private Stream<LoggedRequest> requests(String method, String pathRegex) {
        return server.getAllServeEvents().stream().map(ServeEvent::getRequest)
                .filter(r -> r.getMethod().getName().equals(method))
                .filter(r -> URI.create(r.getUrl()).getRawPath().matches(pathRegex));
    }

    public long uploadCount() {
        return countRequests("POST", "/api/v1/datasets/[^/]+/documents");
    }

    // ---- the behaviour -----------------------------------------------------------------------------------

    private final class Behaviour extends StubBehaviour {
        static final String NAME = "ragflow";

        Behaviour() {
            super(NAME);
        }

        @Override
        public ResponseDefinition transform(ServeEvent serveEvent) {
            Request request = serveEvent.getRequest();
            ResponseDefinition before = faults.before(request);
            if (before != null) {
                return before;
            }
            Hold hold = claimHold(request);
            if (hold != null && !hold.afterWork && hold.awaitRelease()) {
                return Hold.lost();
            }
            ResponseDefinition answer;
            try {
                answer = handle(request);
            } catch (Exception e) {
                answer = json(200, envelope(100, e.getClass().getSimpleName() + "('" + e.getMessage() + "')", null, true));
            }
            if (hold != null && hold.afterWork && hold.awaitRelease()) {
                return Hold.lost();
            }
            return faults.after(request, answer);
        }
    }

    private synchronized ResponseDefinition handle(Request request) throws Exception {
        String path = URI.create(request.getUrl()).getRawPath();
        String method = request.getMethod().getName();
        if (path.endsWith("/") && path.length() > 1) {
            path = path.substring(0, path.length() - 1); // strict_slashes=False
        }
        if (path.equals("/api/v1/system/ping")) {
            return ResponseDefinitionBuilder.responseDefinition().withStatus(200).withBody("pong").build();
        }
        if (!path.startsWith("/api/v1/")) {
            return notFound(path);
        }
        if (path.equals("/api/v1/retrieval")) {
            if (!method.equals("POST")) {
                return json(200, envelope(100, "<MethodNotAllowed '405: Method Not Allowed'>", null, true));
            }
            if (!authorized(request)) {
                return json(401, envelope(401, "<Unauthorized '401: Unauthorized'>", null, true));
            }
            return retrieval(request);
        }
        String[] seg = path.substring("/api/v1/".length()).split("/", -1);
        if (seg.length == 0 || !seg[0].equals("datasets") || Arrays.stream(seg).anyMatch(String::isEmpty)) {
            return notFound(path);
        }
        // routing happens before authentication: decide the allowed methods first
        Set<String> allowed = switch (seg.length) {
            case 1 -> Set.of("GET", "POST", "DELETE");
            case 2 -> Set.of("GET", "PUT", "DELETE");
            case 3 -> switch (seg[2]) {
                case "documents" -> Set.of("GET", "POST", "DELETE");
                case "chunks" -> Set.of("POST", "DELETE");
                default -> null;
            };
            case 4 -> seg[2].equals("documents") ? Set.of("GET", "PUT", "PATCH") : null;
            default -> null;
        };
        if (allowed == null) {
            return notFound(path);
        }
        if (!allowed.contains(method)) {
            return json(200, envelope(100, "<MethodNotAllowed '405: Method Not Allowed'>", null, true));
        }
        if (!authorized(request)) {
            return legacyAuth
                    ? json(200, Map.of("code", 109, "data", false, "message", "Authentication error: API key is invalid!"))
                    : json(401, envelope(401, "<Unauthorized '401: Unauthorized'>", null, true));
        }
        if (seg.length == 1) {
            return switch (method) {
                case "GET" -> listDatasets(request);
                case "POST" -> createDataset(request);
                default -> deleteDatasets(request);
            };
        }
        Dataset dataset = datasets.get(seg[1]);
        if (seg.length == 2) {
            return dataset == null ? json(200, error(102, "User '" + TENANT + "' lacks permission for dataset '" + seg[1] + "'"))
                    : json(200, result(dataset.json()));
        }
        if (seg[2].equals("chunks")) {
            return method.equals("POST") ? parse(dataset, request) : json(200, error(102, "not supported by the stub"));
        }
        if (seg.length == 3) {
            return switch (method) {
                case "GET" -> listDocuments(dataset, seg[1], request);
                case "POST" -> upload(dataset, seg[1], request);
                default -> deleteDocuments(dataset, seg[1], request);
            };
        }
        return method.equals("GET") ? download(dataset, seg[3]) : updateDocument(dataset, seg[1], seg[3], request);
    }

    private boolean authorized(Request request) {
        String header = request.getHeader("Authorization");
        if (header == null) {
            return false;
        }
        String token = header.length() >= 7 && header.substring(0, 7).equalsIgnoreCase("bearer ")
                ? header.substring(7) : header;
        return !token.isEmpty() && token.equals(apiKey);
    }

    // ---- datasets ------------------------------------------------------------------------------------------

    private ResponseDefinition listDatasets(Request request) {
        for (String key : queryKeys(request)) {
            if (!DATASET_LIST_PARAMS.contains(key)) {
                return json(200, error(101, "Field: <" + key + "> - Message: <Extra inputs are not permitted> - Value: <"
                        + request.queryParameter(key).firstValue() + ">"));
            }
        }
        int page = intParam(request, "page", 1);
        int pageSize = intParam(request, "page_size", 30);
        if (page < 1) {
            return json(200, error(101, "Field: <page> - Message: <Input should be greater than or equal to 1> - Value: <" + page + ">"));
        }
        if (pageSize > 100) {
            return json(200, error(101, "Field: <page_size> - Message: <Value error, page_size must be less than or equal to 100> - Value: <" + pageSize + ">"));
        }
        List<Dataset> list = new ArrayList<>(datasets.values());
        list.sort(Comparator.comparingLong((Dataset d) -> d.createTime).reversed());
        String name = param(request, "name");
        if (name != null && !name.isEmpty()) {
            list = list.stream().filter(d -> d.name.equalsIgnoreCase(name)).toList();
            if (list.isEmpty()) {
                return json(200, error(102, "User '" + TENANT + "' lacks permission for dataset '" + name + "'"));
            }
        }
        String id = param(request, "id");
        if (id != null) {
            list = list.stream().filter(d -> d.id.equals(id)).toList();
            if (list.isEmpty()) {
                return json(200, error(102, "User '" + TENANT + "' lacks permission for dataset '" + id + "'"));
            }
        }
        int total = list.size();
        List<Map<String, Object>> pageItems = list.stream().skip((long) (page - 1) * pageSize).limit(pageSize)
                .map(Dataset::json).toList();
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("code", 0);
        body.put("data", pageItems);
        body.put("total_datasets", total);
        return json(200, body);
    }

    private ResponseDefinition createDataset(Request request) throws Exception {
        String contentType = request.getHeader("Content-Type");
        if (contentType == null || !contentType.toLowerCase(Locale.ROOT).startsWith("application/json")) {
            return json(200, error(101, "Unsupported content type: Expected application/json, got " + contentType));
        }
        Map<String, Object> body;
        try {
            body = request.getBodyAsString().isBlank() ? Map.of() : mapper.readValue(request.getBodyAsString(), new TypeReference<>() { });
        } catch (Exception e) {
            return json(200, error(101, "Malformed JSON syntax: Missing commas/brackets or invalid encoding"));
        }
        for (String key : body.keySet()) {
            if (!DATASET_CREATE_FIELDS.contains(key)) {
                return json(200, error(101, "Field: <" + key + "> - Message: <Extra inputs are not permitted> - Value: <" + body.get(key) + ">"));
            }
        }
        Object rawName = body.get("name");
        if (rawName == null) {
            return json(200, error(101, "Field: <name> - Message: <Field required> - Value: <" + body + ">"));
        }
        if (!(rawName instanceof String)) {
            return json(200, error(101, "Field: <name> - Message: <Input should be a valid string> - Value: <" + rawName + ">"));
        }
        String name = ((String) rawName).strip();
        if (name.isEmpty()) {
            return json(200, error(101, "Field: <name> - Message: <String should have at least 1 character> - Value: <" + name + ">"));
        }
        if (name.codePointCount(0, name.length()) > 128) {
            return json(200, error(101, "Field: <name> - Message: <String should have at most 128 characters> - Value: <" + name + ">"));
        }
        if (name.getBytes(StandardCharsets.UTF_8).length > 128) {
            return json(200, error(102, "Internal server error"));
        }
        Object description = body.get("description");
        Dataset dataset = createDataset(name, description == null ? null : String.valueOf(description));
        return json(200, result(dataset.json()));
    }

    private Dataset createDataset(String requestedName, String description) {
        Set<String> taken = datasets.values().stream().map(d -> d.name.toLowerCase(Locale.ROOT)).collect(Collectors.toSet());
        Dataset dataset = new Dataset(newId(), deduplicate(requestedName, taken), description, tick());
        datasets.put(dataset.id, dataset);
        return dataset;
    }

    private ResponseDefinition deleteDatasets(Request request) throws Exception {
        Map<String, Object> body = jsonBody(request);
        if (body == null) {
            return json(200, error(101, "Malformed JSON syntax: Missing commas/brackets or invalid encoding"));
        }
        Object ids = body.get("ids");
        boolean deleteAll = Boolean.TRUE.equals(body.get("delete_all"));
        List<String> list = ids instanceof List<?> l ? l.stream().map(String::valueOf).toList() : List.of();
        if (list.isEmpty() && !deleteAll) {
            return json(200, result(Map.of("success_count", 0)));
        }
        if (deleteAll) {
            list = new ArrayList<>(datasets.keySet());
        }
        List<String> unknown = list.stream().filter(id -> !datasets.containsKey(id)).toList();
        if (!unknown.isEmpty()) {
            return json(200, error(102, "User '" + TENANT + "' lacks permission for datasets: '" + String.join(", ", unknown) + "'"));
        }
        for (String id : list) {
            datasets.remove(id);
            documents.values().removeIf(d -> d.datasetId.equals(id));
        }
        return json(200, result(Map.of("success_count", list.size())));
    }

    // ---- documents -----------------------------------------------------------------------------------------

    private ResponseDefinition upload(Dataset dataset, String datasetId, Request request) {
        if (dataset == null) {
            return json(200, error(102, "Can't find the dataset with ID " + datasetId + "!"));
        }
        if (!request.isMultipart()) {
            return json(200, error(101, "No file part!"));
        }
        Collection<Request.Part> parts = request.getParts().stream().filter(p -> "file".equals(p.getName())).toList();
        if (parts.isEmpty()) {
            return json(200, error(101, "No file part!"));
        }
        List<Map<String, Object>> stored = new ArrayList<>();
        List<String> errors = new ArrayList<>();
        for (Request.Part part : parts) {
            String fileName = part.getFileName();
            if (fileName == null || fileName.isEmpty()) {
                return json(200, error(101, "No file selected!"));
            }
            if (fileName.getBytes(StandardCharsets.UTF_8).length > 255) {
                return json(200, error(101, "File name must be 255 bytes or less."));
            }
            int dot = fileName.lastIndexOf('.');
            String ext = dot > 0 ? fileName.substring(dot + 1).toLowerCase(Locale.ROOT) : "";
            if (!SUPPORTED.contains(ext)) {
                errors.add(fileName + ": This type of file has not been supported yet!");
                continue;
            }
            Doc doc = storeDocument(dataset, fileName, part.getBody().asBytes());
            Map<String, Object> item = new LinkedHashMap<>();
            item.put("id", doc.id);
            item.put("name", doc.name);
            item.put("dataset_id", doc.datasetId);
            item.put("chunk_method", "naive");
            item.put("type", "doc");
            item.put("source_type", "local");
            item.put("suffix", ext);
            item.put("location", doc.name);
            item.put("size", doc.content.length);
            item.put("content_hash", doc.contentHash);
            item.put("run", "UNSTART");
            stored.add(item);
        }
        if (lostUploadAnswers.get() > 0 && !stored.isEmpty()) {
            lostUploadAnswers.decrementAndGet();
            return ResponseDefinitionBuilder.responseDefinition().withStatus(502)
                    .withHeader("Content-Type", "text/html").withBody("<html><body>502 Bad Gateway</body></html>").build();
        }
        if (errors.isEmpty()) {
            return json(200, result(stored));
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("code", 500);
        body.put("message", String.join("\n", errors));
        if (!stored.isEmpty()) {
            body.put("data", stored);
        }
        return json(200, body);
    }

    /** Epoch milliseconds as RAGFlow stamps create_time, strictly increasing so ordering stays stable. */
    private long tick() {
        clock = Math.max(clock + 1, System.currentTimeMillis());
        return clock;
    }

    private Doc storeDocument(Dataset dataset, String fileName, byte[] content) {
        Set<String> taken = documents.values().stream().filter(d -> d.datasetId.equals(dataset.id))
                .map(d -> d.name.toLowerCase(Locale.ROOT)).collect(Collectors.toSet());
        Doc doc = new Doc(newId(), dataset.id, deduplicate(fileName, taken), content, tick());
        documents.put(doc.id, doc);
        return doc;
    }

    private ResponseDefinition listDocuments(Dataset dataset, String datasetId, Request request) throws Exception {
        if (dataset == null) {
            return json(200, error(102, "You don't own the dataset " + datasetId + ". "));
        }
        int page = Math.max(1, intParam(request, "page", 1));
        int pageSize = intParam(request, "page_size", 30);
        if (pageSize < 1) {
            pageSize = 30;
        }
        if (pageSize > 100) {
            return json(200, envelope(100, "ValueError('page_size must be less than or equal to 100')", null, true));
        }
        List<Doc> list = documents.values().stream().filter(d -> d.datasetId.equals(datasetId))
                .sorted(Comparator.comparingLong((Doc d) -> d.createTime).reversed()).toList();
        String id = param(request, "id");
        if (id != null) {
            list = list.stream().filter(d -> d.id.equals(id)).toList();
            if (list.isEmpty()) {
                return json(200, error(102, "you don't own the document " + id));
            }
        }
        String name = param(request, "name");
        if (name != null) {
            list = list.stream().filter(d -> d.name.equalsIgnoreCase(name)).toList();
            if (list.isEmpty()) {
                return json(200, error(102, "you don't own the document " + name));
            }
        }
        String keywords = param(request, "keywords");
        if (keywords != null && !keywords.isEmpty()) {
            String needle = keywords.toLowerCase(Locale.ROOT);
            list = list.stream().filter(d -> d.name.toLowerCase(Locale.ROOT).contains(needle)).toList();
        }
        String condition = param(request, "metadata_condition");
        if (condition != null) {
            Map<String, Object> cond = mapper.readValue(condition, new TypeReference<>() { });
            list = list.stream().filter(d -> matches(d, cond)).toList();
        }
        int total = list.size();
        List<Doc> pageDocs = list.stream().skip((long) (page - 1) * pageSize).limit(pageSize).toList();
        pageDocs.forEach(this::advanceParse);
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("total", total);
        data.put("docs", pageDocs.stream().map(Doc::json).toList());
        return json(200, envelope(0, "success", data, true));
    }

    /**
     * RAGFlow's metadata filter: string compare ignoring case, a list value matching per item, {@code in} taking a
     * list (or a comma-separated string) of values; logic and/or.
     */
    @SuppressWarnings("unchecked")
    private static boolean matches(Doc doc, Map<String, Object> condition) {
        List<Map<String, Object>> conditions = (List<Map<String, Object>>) condition.getOrDefault("conditions", List.of());
        boolean and = !"or".equalsIgnoreCase(String.valueOf(condition.getOrDefault("logic", "and")));
        boolean result = and;
        for (Map<String, Object> c : conditions) {
            Object value = doc.meta.get(String.valueOf(c.get("name")));
            List<String> items = value == null ? List.of() : value instanceof List<?> l
                    ? l.stream().map(i -> String.valueOf(i).toLowerCase(Locale.ROOT)).toList()
                    : List.of(String.valueOf(value).toLowerCase(Locale.ROOT));
            Object wanted = c.get("value");
            String one = String.valueOf(wanted).toLowerCase(Locale.ROOT);
            Set<String> many = new LinkedHashSet<>();
            (wanted instanceof List<?> w ? w.stream().map(String::valueOf).toList() : Arrays.asList(one.split(",")))
                    .forEach(v -> many.add(v.strip().toLowerCase(Locale.ROOT)));
            String op = String.valueOf(c.get("comparison_operator"));
            boolean hit = switch (op) {
                case "is", "=" -> items.contains(one);
                case "not is", "!=", "≠" -> !items.contains(one);
                case "in" -> items.stream().anyMatch(many::contains);
                case "not in" -> items.stream().noneMatch(many::contains);
                case "contains" -> items.stream().anyMatch(i -> i.contains(one));
                case "not contains" -> items.stream().noneMatch(i -> i.contains(one));
                case "empty" -> items.isEmpty() || items.stream().allMatch(String::isEmpty);
                case "not empty" -> !items.isEmpty() && items.stream().anyMatch(i -> !i.isEmpty());
                default -> false;
            };
            result = and ? result && hit : result || hit;
        }
        return result;
    }

    // ---- retrieval -----------------------------------------------------------------------------------------

    /**
     * Retrieval over parsed documents: one chunk per document whose content holds a term of the question, its
     * similarity the share of terms found; metadata_condition filters as in {@link #matches}.
     */
    @SuppressWarnings("unchecked")
    private ResponseDefinition retrieval(Request request) {
        Map<String, Object> body = jsonBody(request);
        if (body == null) {
            return json(200, error(101, "Malformed JSON syntax: Missing commas/brackets or invalid encoding"));
        }
        if (!(body.get("dataset_ids") instanceof List<?> datasetIds) || datasetIds.isEmpty()) {
            return json(200, error(102, "`dataset_ids` is required."));
        }
        for (Object id : datasetIds) {
            if (!datasets.containsKey(String.valueOf(id))) {
                return json(200, error(102, "You don't own the dataset " + id + "."));
            }
        }
        if (body.get("page_size") instanceof Number n && n.intValue() > 100) {
            return json(200, error(100, "ValueError('page_size must be less than or equal to 100')"));
        }
        String question = String.valueOf(body.getOrDefault("question", "")).toLowerCase(Locale.ROOT);
        List<String> terms = Arrays.stream(question.split("[^\\p{L}\\p{N}]+")).filter(t -> t.length() > 2).toList();
        Map<String, Object> condition = body.get("metadata_condition") instanceof Map<?, ?> m
                ? (Map<String, Object>) m : null;
        List<Map<String, Object>> chunks = new ArrayList<>();
        Map<String, Map<String, Object>> aggs = new LinkedHashMap<>();
        for (Doc doc : documents.values()) {
            if (!datasetIds.contains(doc.datasetId) || !"3".equals(doc.run)
                    || (condition != null && !ignoreRetrievalFilter && !matches(doc, condition))) {
                continue;
            }
            String content = new String(doc.content, StandardCharsets.UTF_8);
            String lower = content.toLowerCase(Locale.ROOT);
            long found = terms.stream().filter(lower::contains).count();
            if (terms.isEmpty() || found == 0) {
                continue;
            }
            double similarity = (double) found / terms.size();
            Map<String, Object> chunk = new LinkedHashMap<>();
            chunk.put("id", doc.id + "-0");
            chunk.put("content", content);
            chunk.put("document_id", doc.id);
            chunk.put("document_keyword", doc.name);
            chunk.put("dataset_id", doc.datasetId);
            chunk.put("similarity", similarity);
            chunk.put("vector_similarity", similarity);
            chunk.put("term_similarity", similarity);
            chunks.add(chunk);
            aggs.put(doc.id, new LinkedHashMap<>(Map.of("doc_name", doc.name, "doc_id", doc.id, "count", 1)));
        }
        chunks.sort(Comparator.comparingDouble((Map<String, Object> c) -> (Double) c.get("similarity")).reversed());
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("total", chunks.size());
        data.put("chunks", chunks);
        data.put("doc_aggs", new ArrayList<>(aggs.values()));
        return json(200, result(data));
    }

    private void advanceParse(Doc doc) {
        if (!"1".equals(doc.run)) {
            return;
        }
        if (++doc.polls >= parsePollsToFinish) {
            if (doc.name.contains("parse-fail")) {
                doc.run = "4";
                doc.progress = -1;
                doc.progressMsg = "12:00:00 Task has been received.\n12:00:01 [ERROR]Internal server error while chunking: broken file";
            } else {
                doc.run = "3";
                doc.progress = 1;
                doc.chunkCount = Math.max(1, (doc.content.length + 511) / 512);
                doc.progressMsg = "12:00:00 Task has been received.\n12:00:02 Indexing done (0.10s). Task done (0.20s)";
            }
        } else {
            doc.progress = 0.5;
            doc.progressMsg = "12:00:00 Task has been received.\n12:00:01 Page(1~100000001): Start to parse.";
        }
    }

    private ResponseDefinition updateDocument(Dataset dataset, String datasetId, String documentId, Request request) throws Exception {
        Map<String, Object> body = jsonBody(request);
        if (body == null) {
            return json(200, envelope(100, "AttributeError(\"'str' object has no attribute 'get'\")", null, true));
        }
        if (body.containsKey("name") && body.get("name") == null) {
            return json(200, error(102, "Field: <name> - Message: <Input should be a valid string> - Value: <None>"));
        }
        if (dataset == null) {
            return json(200, error(102, "You don't own the dataset."));
        }
        Doc doc = documents.get(documentId);
        if (doc == null || !doc.datasetId.equals(datasetId)) {
            return json(200, error(102, "The dataset doesn't own the document."));
        }
        if (body.containsKey("meta_fields")) {
            Object meta = body.get("meta_fields");
            if (!(meta instanceof Map<?, ?> map)) {
                return json(200, error(102, "Field: <meta_fields> - Message: <Input should be a valid dictionary> - Value: <" + meta + ">"));
            }
            Map<String, Object> stored = new LinkedHashMap<>();
            for (Map.Entry<?, ?> e : map.entrySet()) {
                Object v = e.getValue();
                if (v instanceof List<?> items) {
                    Set<Object> split = new LinkedHashSet<>();
                    for (Object item : items) {
                        if (item instanceof String s) {
                            Arrays.stream(s.split("[、,，;；|]")).map(String::strip).filter(x -> !x.isEmpty()).forEach(split::add);
                        } else if (item instanceof Number) {
                            split.add(item);
                        } else {
                            return json(200, error(102, "<The type is not supported in list: " + items + ">"));
                        }
                    }
                    stored.put(String.valueOf(e.getKey()), new ArrayList<>(split));
                } else if (v instanceof String || v instanceof Number || v instanceof Boolean) {
                    stored.put(String.valueOf(e.getKey()), v);
                } else {
                    return json(200, error(102, "<The type is not supported: " + map + ">"));
                }
            }
            doc.meta = stored;
        }
        if (body.get("name") instanceof String newName) {
            String oldExt = doc.name.substring(doc.name.lastIndexOf('.') + 1).toLowerCase(Locale.ROOT);
            int dot = newName.lastIndexOf('.');
            if (dot < 0 || !newName.substring(dot + 1).toLowerCase(Locale.ROOT).equals(oldExt)) {
                return json(200, error(101, "The extension of file can't be changed"));
            }
            boolean duplicate = documents.values().stream().anyMatch(d -> d.datasetId.equals(datasetId) && d.name.equals(newName));
            if (duplicate) {
                return json(200, error(102, "Duplicated document name in the same dataset."));
            }
            doc.name = newName;
        }
        Map<String, Object> answer = doc.json();
        answer.remove("meta_fields");
        return json(200, result(answer));
    }

    private ResponseDefinition deleteDocuments(Dataset dataset, String datasetId, Request request) throws Exception {
        Map<String, Object> body = jsonBody(request);
        if (body == null) {
            return json(200, error(101, "Malformed JSON syntax: Missing commas/brackets or invalid encoding"));
        }
        if (dataset == null) {
            return json(200, error(102, "You don't own the dataset " + datasetId + ". "));
        }
        Object ids = body.get("ids");
        boolean deleteAll = Boolean.TRUE.equals(body.get("delete_all"));
        List<String> list = ids instanceof List<?> l ? l.stream().map(String::valueOf).toList() : List.of();
        if (list.isEmpty() == !deleteAll) {
            return json(200, error(102, "should either provide doc ids or set delete_all(true), dataset: " + datasetId + ". "));
        }
        if (new LinkedHashSet<>(list).size() != list.size()) {
            return json(200, error(101, "Field: <ids> - Message: <Duplicate ids: '" + list + "'>"));
        }
        if (deleteAll) {
            list = documents.values().stream().filter(d -> d.datasetId.equals(datasetId)).map(d -> d.id).toList();
        }
        List<String> unknown = list.stream().filter(id -> {
            Doc d = documents.get(id);
            return d == null || !d.datasetId.equals(datasetId);
        }).toList();
        if (!unknown.isEmpty()) {
            return json(200, error(102, "These documents do not belong to dataset " + datasetId
                    + " or Document not found: " + String.join(", ", unknown)));
        }
        list.forEach(documents::remove);
        return json(200, result(Map.of("deleted", list.size())));
    }

    private ResponseDefinition download(Dataset dataset, String documentId) {
        Doc doc = documents.get(documentId);
        if (dataset == null || doc == null) {
            return json(200, error(102, "document not found"));
        }
        if (doc.content.length == 0) {
            return json(200, error(102, "This file is empty."));
        }
        return ResponseDefinitionBuilder.responseDefinition().withStatus(200)
                .withHeader("Content-Disposition", "attachment; filename=" + doc.name)
                .withBody(doc.content).build();
    }

    private ResponseDefinition parse(Dataset dataset, Request request) throws Exception {
        Map<String, Object> body = jsonBody(request);
        if (body == null) {
            return json(200, envelope(100, "AttributeError(\"'str' object has no attribute 'get'\")", null, true));
        }
        if (dataset == null) {
            return json(200, error(102, "You don't own the dataset."));
        }
        if (!(body.get("document_ids") instanceof List<?> ids) || ids.isEmpty()) {
            return json(200, error(102, "`document_ids` is required"));
        }
        List<String> notFound = new ArrayList<>();
        for (String id : new LinkedHashSet<>(ids.stream().map(String::valueOf).toList())) {
            Doc doc = documents.get(id);
            if (doc == null || !doc.datasetId.equals(dataset.id)) {
                notFound.add(id);
                continue;
            }
            if ("1".equals(doc.run)) {
                return json(200, error(102, "Can't parse document that is currently being processed"));
            }
            doc.run = "1";
            doc.polls = 0;
            doc.progress = 0;
            doc.progressMsg = "";
            doc.chunkCount = 0;
        }
        if (!notFound.isEmpty()) {
            return json(200, error(102, "Documents not found: " + notFound));
        }
        return json(200, Map.of("code", 0));
    }

    // ---- helpers ---------------------------------------------------------------------------------------

    /** RAGFlow's duplicate_name: "name(1).ext", compared case-insensitively, "(n)" before the last dot. */
    static String deduplicate(String name, Set<String> takenLowerCase) {
        if (!takenLowerCase.contains(name.toLowerCase(Locale.ROOT))) {
            return name;
        }
        int dot = name.lastIndexOf('.');
        String stem = dot > 0 ? name.substring(0, dot) : name;
        String suffix = dot > 0 ? name.substring(dot) : "";
        Matcher m = Pattern.compile("^(.*)\\((\\d+)\\)$").matcher(stem);
        int n = 1;
        if (m.matches()) {
            stem = m.group(1);
            n = Integer.parseInt(m.group(2)) + 1;
        }
        String candidate;
        do {
            candidate = stem + "(" + n++ + ")" + suffix;
        } while (takenLowerCase.contains(candidate.toLowerCase(Locale.ROOT)));
        return candidate;
    }

    private Map<String, Object> jsonBody(Request request) {
        try {
            String text = request.getBodyAsString();
            if (text == null || text.isBlank()) {
                return Map.of();
            }
            Object parsed = mapper.readValue(text, Object.class);
            if (parsed instanceof Map<?, ?>) {
                return mapper.convertValue(parsed, new TypeReference<Map<String, Object>>() { });
            }
            return null;
        } catch (Exception e) {
            return null;
        }
    }

    private static Set<String> queryKeys(Request request) {
        String query = URI.create(request.getUrl()).getRawQuery();
        if (query == null || query.isEmpty()) {
            return Set.of();
        }
        return Arrays.stream(query.split("&")).map(p -> p.split("=", 2)[0]).collect(Collectors.toSet());
    }

    private static String param(Request request, String name) {
        QueryParameter p = request.queryParameter(name);
        return p != null && p.isPresent() ? p.firstValue() : null;
    }

    private static int intParam(Request request, String name, int fallback) {
        String value = param(request, name);
        try {
            return value == null ? fallback : Integer.parseInt(value);
        } catch (NumberFormatException e) {
            return fallback;
        }
    }

    private static Map<String, Object> error(int code, String message) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("code", code);
        body.put("message", message);
        return body;
    }

    private static Map<String, Object> result(Object data) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("code", 0);
        body.put("data", data);
        return body;
    }

    private static Map<String, Object> envelope(int code, String message, Object data, boolean withData) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("code", code);
        body.put("message", message);
        if (withData) {
            body.put("data", data);
        }
        return body;
    }

    private ResponseDefinition notFound(String path) {
        Map<String, Object> body = envelope(404, "Not Found: " + path, null, true);
        body.put("error", "Not Found");
        return json(404, body);
    }

    private ResponseDefinition json(int status, Object body) {
        try {
            return ResponseDefinitionBuilder.responseDefinition().withStatus(status)
                    .withHeader("Content-Type", "application/json").withBody(mapper.writeValueAsString(body)).build();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static String newId() {
        return UUID.randomUUID().toString().replace("-", "");
    }

    /** RAGFlow's content_hash: xxhash.xxh128(bytes).hexdigest() (XXH3-128, high 64 bits first). */
    private static String hash(byte[] content) {
        com.dynatrace.hash4j.hashing.HashValue128 value =
                com.dynatrace.hash4j.hashing.Hashing.xxh3_128().hashBytesTo128Bits(content);
        return String.format("%016x%016x", value.getMostSignificantBits(), value.getLeastSignificantBits());
    }

    private static final class Dataset {
        final String id;
        final String name;
        final String description;
        final long createTime;

        Dataset(String id, String name, String description, long createTime) {
            this.id = id;
            this.name = name;
            this.description = description;
            this.createTime = createTime;
        }

        Map<String, Object> json() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("id", id);
            m.put("name", name);
            m.put("description", description);
            m.put("chunk_method", "naive");
            m.put("permission", "me");
            m.put("tenant_id", TENANT);
            m.put("create_time", createTime);
            return m;
        }
    }

    private static final class Doc {
        final String id;
        final String datasetId;
        String name;
        final byte[] content;
        final String contentHash;
        long createTime;
        String run = "0";
        int polls;
        double progress;
        String progressMsg = "";
        int chunkCount;
        Map<String, Object> meta = new LinkedHashMap<>();

        Doc(String id, String datasetId, String name, byte[] content, long createTime) {
            this.id = id;
            this.datasetId = datasetId;
            this.name = name;
            this.content = content;
            this.contentHash = hash(content);
            this.createTime = createTime;
        }

        Map<String, Object> json() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("id", id);
            m.put("name", name);
            m.put("dataset_id", datasetId);
            m.put("size", content.length);
            m.put("content_hash", contentHash);
            m.put("run", switch (run) {
                case "1" -> "RUNNING";
                case "2" -> "CANCEL";
                case "3" -> "DONE";
                case "4" -> "FAIL";
                default -> "UNSTART";
            });
            m.put("progress", progress);
            m.put("progress_msg", progressMsg);
            m.put("chunk_count", chunkCount);
            m.put("status", "1");
            m.put("meta_fields", new LinkedHashMap<>(meta));
            m.put("create_time", createTime);
            return m;
        }
    }
}

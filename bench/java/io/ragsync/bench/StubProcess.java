package io.ragsync.bench;

import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.ragsync.support.RagflowStub;
import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The benchmarks' RAGFlow stand-in (the tests' {@link RagflowStub}, unchanged) in its own JVM, as RAGFlow is its own
 * process: the bench reads its CPU time apart from the client's, and bench/run.sh's STUB_CPUS can give it cores of
 * its own (taskset). The bench drives it over a small admin endpoint (reset, delay, counts, the upload times and
 * the request mix, computed here from WireMock's journal so the request bodies never leave this process).
 */
final class StubProcess implements AutoCloseable {

    /** Stubs started by this bench run, numbering them for STUB_JVM_OPTS' %n. */
    private static final AtomicInteger STARTED = new AtomicInteger();

    private final Process process;
    private final String baseUrl;
    private final String admin;
    private final HttpClient http = HttpClient.newHttpClient();

    private StubProcess(Process process, String baseUrl, String admin) {
        this.process = process;
        this.baseUrl = baseUrl;
        this.admin = admin;
    }

    /**
     * Starts a stub JVM; with -Dbench.stub-cpus=LIST (bench/run.sh STUB_CPUS) it runs on those CPUs only.
     * Its heap is the bench's own (-Xmx of this JVM): WireMock keeps every request, bodies included.
     */
    static StubProcess start() throws IOException {
        List<String> command = new ArrayList<>();
        String cpus = System.getProperty("bench.stub-cpus", "");
        if (!cpus.isBlank()) {
            command.addAll(List.of("taskset", "-c", cpus));
        }
        command.addAll(List.of(System.getProperty("java.home") + File.separator + "bin" + File.separator + "java",
                "-Xmx" + Runtime.getRuntime().maxMemory() / (1 << 20) + "m"));
        // STUB_JVM_OPTS from the environment (as HUB_JVM_OPTS for the hub), e.g. a flight recording of each stub
        // (%n in it becomes the stub's number in this bench run: 1 the baseline's, 2 the hub's)
        String number = String.valueOf(STARTED.incrementAndGet());
        Bench.jvmOptions("STUB_JVM_OPTS").forEach(option -> command.add(option.replace("%n", number)));
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), StubProcess.class.getName()));
        Process process = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        String line;
        while ((line = out.readLine()) != null && !line.startsWith("STUB ")) {
            System.out.println("stub: " + line);
        }
        if (line == null) {
            throw new IOException("the stub process ended before it started: exit " + waitFor(process));
        }
        String[] ports = line.split(" ");
        Thread drain = new Thread(() -> out.lines().forEach(l -> System.out.println("stub: " + l)), "stub-output");
        drain.setDaemon(true);
        drain.start();
        return new StubProcess(process, "http://localhost:" + ports[1], "http://localhost:" + ports[2]);
    }

    private static int waitFor(Process process) {
        try {
            return process.waitFor();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    String baseUrl() {
        return baseUrl;
    }

    ProcessHandle handle() {
        return process.toHandle();
    }

    /** Every request after this is answered after ms milliseconds. */
    void delay(int ms) throws Exception {
        call("delay?ms=" + ms);
    }

    /** From now on, percent % of all requests fail at random (seeded): 500, 503, 502 and connection resets. */
    void randomFaults(int percent) throws Exception {
        call("faults?percent=" + percent);
    }

    int faultsInjected() throws Exception {
        return Integer.parseInt(call("faults/injected").trim());
    }

    /** How many documents RAGFlow holds. */
    int documentCount() throws Exception {
        return Integer.parseInt(call("documents/count").trim());
    }

    /** Forgets the requests recorded so far (the stub's datasets and documents stay). */
    void resetRequests() throws Exception {
        call("reset");
    }

    long uploadCount() throws Exception {
        return Long.parseLong(call("uploads/count").trim());
    }

    int requestCount() throws Exception {
        return Integer.parseInt(call("requests/count").trim());
    }

    /** When the stub answered each upload (request received + time taken, epoch ms), by file name. */
    Map<String, Long> uploadTimes() throws Exception {
        Map<String, Long> times = new HashMap<>();
        for (String line : call("uploads").split("\n")) {
            if (!line.isBlank()) {
                int tab = line.lastIndexOf('\t');
                times.put(line.substring(0, tab), Long.parseLong(line.substring(tab + 1)));
            }
        }
        return times;
    }

    /** The requests answered, per document and by kind (method and path, ids masked). */
    String requestMix(int documents) throws Exception {
        return call("mix?documents=" + documents).trim();
    }

    /** Per kind of request, the headers (the key masked) and body size of the last one answered. */
    String requestShapes() throws Exception {
        return call("shapes").trim();
    }

    private String call(String path) throws Exception {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(admin + "/" + path)).build(),
                HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new IllegalStateException("stub admin " + path + ": " + response.statusCode() + " " + response.body());
        }
        return response.body();
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }

    // ---- the stub process ------------------------------------------------------------------------------

    /** Runs a RagflowStub and its admin endpoint; prints "STUB stubPort adminPort" once both listen. */
    public static void main(String[] args) throws IOException {
        RagflowStub stub = new RagflowStub();
        HttpServer admin = HttpServer.create(new InetSocketAddress("localhost", 0), 0);
        admin.createContext("/", exchange -> {
            try {
                answer(exchange, 200, adminCall(stub, exchange));
            } catch (RuntimeException e) {
                answer(exchange, 500, String.valueOf(e));
            }
        });
        admin.start();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            admin.stop(0);
            stub.stop();
        }));
        System.out.println("STUB " + stub.wireMock().port() + " " + admin.getAddress().getPort());
        System.out.flush();
    }

    private static String adminCall(RagflowStub stub, HttpExchange exchange) {
        String path = exchange.getRequestURI().getPath();
        String query = exchange.getRequestURI().getQuery();
        int value = query == null ? 0 : Integer.parseInt(query.substring(query.indexOf('=') + 1));
        return switch (path) {
            case "/delay" -> {
                stub.wireMock().setGlobalFixedDelay(value);
                yield "ok";
            }
            case "/faults" -> {
                stub.faults().randomFaults(value / 100.0, 7);
                yield "ok";
            }
            case "/faults/injected" -> String.valueOf(stub.faults().injected());
            case "/documents/count" -> String.valueOf(stub.allDocuments().size());
            case "/reset" -> {
                stub.wireMock().resetRequests();
                yield "ok";
            }
            case "/uploads/count" -> String.valueOf(stub.uploadCount());
            case "/requests/count" -> String.valueOf(stub.requestCount());
            case "/uploads" -> {
                StringBuilder lines = new StringBuilder();
                uploadTimes(stub).forEach((name, at) -> lines.append(name).append('\t').append(at).append('\n'));
                yield lines.toString();
            }
            case "/mix" -> requestMix(stub, value);
            case "/shapes" -> requestShapes(stub);
            default -> throw new IllegalArgumentException("unknown admin call " + path);
        };
    }

    private static void answer(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream os = exchange.getResponseBody()) {
            os.write(bytes);
        }
    }

    private static Map<String, Long> uploadTimes(RagflowStub stub) {
        Map<String, Long> times = new HashMap<>();
        Pattern name = Pattern.compile("filename=\"([^\"]+)\"");
        for (ServeEvent e : stub.wireMock().getAllServeEvents()) {
            if (e.getRequest().getMethod().getName().equals("POST")
                    && e.getRequest().getUrl().matches("/api/v1/datasets/[^/]+/documents/?")) {
                String disposition = e.getRequest().getParts().iterator().next().getHeader("Content-Disposition").firstValue();
                Matcher m = name.matcher(disposition);
                if (m.find()) {
                    Integer took = e.getTiming() == null ? null : e.getTiming().getTotalTime();
                    times.merge(m.group(1), e.getRequest().getLoggedDate().getTime() + (took == null ? 0 : took), Math::min);
                }
            }
        }
        return times;
    }

    private static String requestShapes(RagflowStub stub) {
        Map<String, String> shapes = new TreeMap<>();
        // newest first: the first of each kind is the last one answered
        for (ServeEvent e : stub.wireMock().getAllServeEvents()) {
            String kind = kind(e);
            if (shapes.containsKey(kind)) {
                continue;
            }
            StringBuilder shape = new StringBuilder();
            e.getRequest().getHeaders().all().stream()
                    .sorted(Comparator.comparing(h -> h.key().toLowerCase(Locale.ROOT)))
                    .forEach(h -> shape.append(h.key()).append(": ")
                            .append(h.key().equalsIgnoreCase("Authorization") ? "***" : String.join(",", h.values()))
                            .append("; "));
            shape.append("body ").append(e.getRequest().getBody().length).append(" bytes");
            shapes.put(kind, shape.toString());
        }
        StringBuilder lines = new StringBuilder();
        shapes.forEach((kind, shape) -> lines.append(kind).append(" -> ").append(shape).append('\n'));
        return lines.toString();
    }

    /** A request's kind: its method and path, the query left out and ids masked ("GET /api/v1/datasets/{id}/documents"). */
    private static String kind(ServeEvent e) {
        return e.getRequest().getMethod().getName() + " "
                + e.getRequest().getUrl().replaceAll("\\?.*", "").replaceAll("/[0-9a-f]{32}", "/{id}");
    }

    private static String requestMix(RagflowStub stub, int documents) {
        Map<String, Long> kinds = new TreeMap<>();
        List<ServeEvent> events = stub.wireMock().getAllServeEvents();
        for (ServeEvent e : events) {
            kinds.merge(kind(e), 1L, Long::sum);
        }
        return String.format(Locale.ROOT, "%d requests = %.2f per document %s", events.size(),
                (double) events.size() / documents, kinds);
    }
}

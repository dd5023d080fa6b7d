package io.ragsync.bench;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.ragsync.support.ChildHub;
import io.ragsync.support.HubTestSupport;
import io.ragsync.support.RagflowStub;
import io.ragsync.support.TestPostgres;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.RandomAccessFile;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * RAGSync benchmarks (bench/README.md), run on demand by bench/run.sh, never by the test suite. Each writes
 * one results file. The hub under test runs in its own JVM (ChildHub) against a throwaway PostgreSQL
 * (TestPostgres) and a RAGFlow stand-in on loopback.
 *
 * <pre>
 * Bench bulk    &lt;docs&gt; &lt;out&gt;   initial sync of docs (1-50 KB) vs a direct baseline client, same calls and parallelism
 *                                 (with -Dbench.floors also vs the Camel floor and the queue floor, and the targets)
 * Bench latency &lt;n&gt; &lt;out&gt;      n single-document updates with default polling: change -> uploaded
 * Bench bigfile &lt;MiB&gt; &lt;out&gt;    one file of MiB uploaded by a hub at -Xmx256m to a streaming sink
 * Bench idle    &lt;seconds&gt; &lt;out&gt; CPU and database transactions of an idle hub
 * Bench faults  &lt;docs&gt; &lt;out&gt;   the hub's documents/s with RAGFlow failing 30 % of requests at random vs fault-free
 * </pre>
 */
public final class Bench {

    private static final int PARALLELISM = 4;

    private Bench() {
    }

    public static void main(String[] args) throws Exception {
        String mode = args[0];
        Path out = Path.of(args[2]);
        Files.createDirectories(out.toAbsolutePath().getParent());
        String result = switch (mode) {
            case "bulk" -> bulk(Integer.parseInt(args[1]));
            case "latency" -> latency(Integer.parseInt(args[1]));
            case "bigfile" -> bigFile(Integer.parseInt(args[1]));
            case "idle" -> idle(Integer.parseInt(args[1]));
            case "faults" -> faults(Integer.parseInt(args[1]));
            default -> throw new IllegalArgumentException("unknown bench " + mode);
        };
        String header = "# " + mode + " " + String.join(" ", args) + " at " + Instant.now() + " on "
                + Runtime.getRuntime().availableProcessors() + " CPUs, " + System.getProperty("java.version") + "\n";
        Files.writeString(out, header + result + "\n");
        System.out.println(header + result);
        System.exit(0);
    }

    // ---- common ---------------------------------------------------------------------------------------

    private static Map<String, String> hubProperties(String database, String ragflowUrl, Path storage) {
        Map<String, String> props = new HashMap<>();
        props.put("spring.datasource.url", TestPostgres.jdbcUrl(database));
        props.put("spring.datasource.username", "postgres");
        props.put("spring.datasource.password", "");
        props.put("app.instance-id", "bench-hub");
        props.put("app.storage.root", storage.toString());
        props.put("app.ragflow.base-url", ragflowUrl);
        props.put("app.ragflow.api-key", RagflowStub.API_KEY);
        props.put("spring.quartz.scheduler-name", "ragsync-" + database);
        props.put("logging.level.io.ragsync.sync", "WARN");
        // as deployed: JMX on (Hawtio's statistics); the tests' child hubs turn it off
        props.put("camel.main.jmx-enabled", "true");
        // -Dhub.<property>=<value> on the bench command line tunes the hub under test (e.g. hub.app.jobs.batch-size)
        System.getProperties().stringPropertyNames().stream().filter(k -> k.startsWith("hub."))
                .forEach(k -> props.put(k.substring(4), System.getProperty(k)));
        return props;
    }

    /**
     * JVM options of the hub under test: as deployed (full JIT, unlike the tests' C1-only child hubs) with this
     * heap, plus HUB_JVM_OPTS from the environment (e.g. a JFR recording).
     */
    private static List<String> hubJvm(String heap) {
        List<String> options = new ArrayList<>(List.of(heap));
        options.addAll(jvmOptions("HUB_JVM_OPTS"));
        return options;
    }

    /** The JVM options an environment variable holds (HUB_JVM_OPTS, STUB_JVM_OPTS), split at whitespace. */
    static List<String> jvmOptions(String variable) {
        String value = System.getenv(variable);
        return value == null || value.isBlank() ? List.of() : List.of(value.trim().split("\\s+"));
    }

    private static Connection db(String database) throws Exception {
        return DriverManager.getConnection(TestPostgres.jdbcUrl(database), "postgres", "");
    }

    static long scalar(Connection c, String sql) throws Exception {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static long percentile(List<Long> values, double p) {
        List<Long> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        return sorted.isEmpty() ? -1 : sorted.get((int) Math.min(sorted.size() - 1, Math.ceil(p * sorted.size()) - 1));
    }

    private static Path storage() throws IOException {
        return Files.createTempDirectory("ragsync-bench").toRealPath();
    }

    private static String content(Random random, int index) {
        int size = 1024 + random.nextInt(49 * 1024);
        StringBuilder text = new StringBuilder(size);
        text.append("document ").append(index).append('\n');
        while (text.length() < size) {
            text.append("lorem ipsum dolor sit amet ").append(random.nextInt(1_000_000)).append('\n');
        }
        return text.substring(0, size);
    }

    /** With PG_STATS=1 (pg_stat_statements loaded): the hub's statements by total time, per document. */
    private static String statementStats(Connection c, int documents) throws Exception {
        if (!Boolean.getBoolean(TestPostgres.STATEMENT_STATS)) {
            return "";
        }
        StringBuilder out = new StringBuilder("database statements (pg_stat_statements), by total time (planning + execution):\n");
        try (Statement s = c.createStatement()) {
            s.execute("CREATE EXTENSION IF NOT EXISTS pg_stat_statements");
            double[] top = statements(s, true, 25, documents, out);
            out.append(String.format(Locale.ROOT, "  top statements: %.1f ms execution + %.1f ms planning = %.2f ms per document%n",
                    top[0], top[1], (top[0] + top[1]) / documents));
            out.append("inside the hub's functions (already counted in the calls above):\n");
            statements(s, false, 15, documents, out);
            out.append("row writes per document by table (pg_stat_user_tables; HOT: updates that wrote no index entry):\n");
            try (ResultSet rs = s.executeQuery("SELECT relname, n_tup_ins, n_tup_upd, n_tup_hot_upd, n_tup_del"
                    + " FROM pg_stat_user_tables WHERE n_tup_ins + n_tup_upd + n_tup_del > 0"
                    + " ORDER BY n_tup_ins + n_tup_upd + n_tup_del DESC")) {
                while (rs.next()) {
                    out.append(String.format(Locale.ROOT, "  %-24s %5.2f inserts, %5.2f updates (%3.0f %% HOT), %5.2f deletes%n",
                            rs.getString(1), (double) rs.getLong(2) / documents, (double) rs.getLong(3) / documents,
                            rs.getLong(3) == 0 ? 0.0 : 100.0 * rs.getLong(4) / rs.getLong(3), (double) rs.getLong(5) / documents));
                }
            }
        }
        return out.toString();
    }

    /** The most expensive top-level (or nested) statements, one line each; returns their execution and planning ms. */
    private static double[] statements(Statement s, boolean toplevel, int limit, int documents, StringBuilder out)
            throws Exception {
        double[] total = new double[2];
        try (ResultSet rs = s.executeQuery("SELECT calls, total_exec_time, total_plan_time, plans,"
                + " left(regexp_replace(query, '\\s+', ' ', 'g'), 100)"
                + " FROM pg_stat_statements WHERE dbid = (SELECT oid FROM pg_database WHERE datname = current_database())"
                + " AND toplevel = " + toplevel + " ORDER BY total_exec_time + total_plan_time DESC LIMIT " + limit)) {
            while (rs.next()) {
                total[0] += rs.getDouble(2);
                total[1] += rs.getDouble(3);
                out.append(String.format(Locale.ROOT, "  %7d calls %8.1f ms + %7.1f ms planning (%d plans, %.2f calls per doc) %s%n",
                        rs.getLong(1), rs.getDouble(2), rs.getDouble(3), rs.getLong(4), (double) rs.getLong(1) / documents,
                        rs.getString(5)));
            }
        }
        return total;
    }

    /** CPU time (user + system) a process has used so far, in seconds. */
    static double cpuSeconds(ProcessHandle process) {
        return process.info().totalCpuDuration().map(d -> d.toNanos() / 1e9).orElse(0.0);
    }

    /**
     * CPU seconds of a process's threads by kind: [JIT compiler threads, garbage collector threads] (Linux
     * /proc/PID/task/TID/stat; thread names as HotSpot sets them). Zeros where /proc is missing.
     */
    static double[] jvmServiceCpuSeconds(long pid) {
        double[] cpu = new double[2];
        try (var tasks = Files.list(Path.of("/proc", String.valueOf(pid), "task"))) {
            for (Path task : tasks.toList()) {
                String stat;
                try {
                    stat = Files.readString(task.resolve("stat"));
                } catch (IOException gone) {
                    continue;
                }
                String name = stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
                String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                double seconds = (Long.parseLong(f[11]) + Long.parseLong(f[12])) / 100.0; // utime + stime, USER_HZ
                if (name.startsWith("C1 Compiler") || name.startsWith("C2 Compiler")) {
                    cpu[0] += seconds;
                } else if (name.startsWith("GC Thread") || name.startsWith("G1 ")) {
                    cpu[1] += seconds;
                }
            }
        } catch (IOException | RuntimeException e) {
            return new double[2];
        }
        return cpu;
    }

    /**
     * CPU time of the bench's PostgreSQL server: its postmaster and every process it started, so that other
     * PostgreSQL servers on a shared machine are not counted. A backend that ended takes its CPU time along.
     */
    static double postgresCpuSeconds() throws Exception {
        ProcessHandle server = postmaster();
        return cpuSeconds(server) + server.descendants().mapToDouble(Bench::cpuSeconds).sum();
    }

    /**
     * Vacuums a client's database (dead rows, statistics), as autovacuum would after its writes. Inside a timed
     * window it charges a client with the cleanup of what it wrote; before one, with nothing of its warm-up.
     */
    static void vacuum(String database) throws Exception {
        try (Connection c = db(database); Statement s = c.createStatement()) {
            s.execute("VACUUM (ANALYZE)");
        }
    }

    /**
     * Opens a timed window with nothing left of earlier work: the client's own database (null: none) vacuumed of its
     * warm-up, and no autovacuum worker running, since the server's CPU is read server-wide and an autovacuum of what
     * an earlier client wrote would land in this one's window.
     */
    static void settle(String database) throws Exception {
        if (database != null) {
            vacuum(database);
        }
        try (Connection c = TestPostgres.get().getPostgresDatabase().getConnection()) {
            long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
            while (scalar(c, "SELECT count(*) FROM pg_stat_activity WHERE backend_type = 'autovacuum worker'") > 0
                    && System.nanoTime() < deadline) {
                TimeUnit.MILLISECONDS.sleep(100);
            }
        }
    }

    /** The autovacuum and autoanalyze runs a database's tables have had so far (0 for no database). */
    static long autovacuumRuns(String database) throws Exception {
        if (database == null) {
            return 0;
        }
        try (Connection c = db(database)) {
            return scalar(c, "SELECT coalesce(sum(autovacuum_count + autoanalyze_count), 0) FROM pg_stat_all_tables");
        }
    }

    /** The bench server's write-ahead log position in bytes: what its clients wrote, all databases together. */
    static long walBytes() throws Exception {
        try (Connection c = TestPostgres.get().getPostgresDatabase().getConnection()) {
            return scalar(c, "SELECT CAST(pg_wal_lsn_diff(pg_current_wal_lsn(), '0/0') AS BIGINT)");
        }
    }

    private static ProcessHandle postmaster;

    /** The bench server's postmaster: the parent of any of its backends. */
    private static synchronized ProcessHandle postmaster() throws Exception {
        if (postmaster == null) {
            try (Connection c = TestPostgres.get().getPostgresDatabase().getConnection()) {
                long backend = scalar(c, "SELECT pg_backend_pid()");
                postmaster = ProcessHandle.of(backend).flatMap(ProcessHandle::parent)
                        .orElseThrow(() -> new IllegalStateException("no postmaster above backend " + backend));
            }
        }
        return postmaster;
    }

    // ---- bulk initial sync vs baseline ------------------------------------------------------------------

    static String bulk(int documents) throws Exception {
        // -Dbench.warmup=N (WARMUP): both clients first sync N other documents, unmeasured, so the figures are those
        // of running JVMs (JIT done) rather than of freshly started ones. -Dbench.stub-delay-ms=D (STUB_DELAY_MS):
        // the stub answers every request after D ms, as a RAGFlow on another machine would (latency-bound run).
        int warmup = Integer.getInteger("bench.warmup", 0);
        int stubDelayMs = Integer.getInteger("bench.stub-delay-ms", 0);
        Path storage = storage();
        Random random = new Random(7);
        List<String> names = writeDocuments(storage, random, "doc", documents);
        List<String> warmNames = writeDocuments(storage, random, "warm", warmup);
        String stubCpus = System.getProperty("bench.stub-cpus", "");
        StringBuilder report = new StringBuilder(String.format(Locale.ROOT, "conditions: %s; stub %s; %s%n",
                warmup == 0 ? "both clients cold (freshly started JVMs)" : "both clients warmed up by " + warmup + " other documents first",
                stubDelayMs == 0 ? "answers at once" : "answers every request after " + stubDelayMs + " ms (latency-bound)",
                stubCpus.isBlank() ? "stub and client share all " + Runtime.getRuntime().availableProcessors() + " CPUs"
                        : "stub on CPU(s) " + stubCpus + ", client, its database and this bench on CPU(s) " + clientCpus()));

        // baseline: the same HTTP calls with the same parallelism, no Camel, no database
        Measured baseline;
        try (StubProcess baselineStub = StubProcess.start()) {
            baselineStub.delay(stubDelayMs);
            Baseline client = new Baseline(baselineStub.baseUrl(), storage);
            baseline = timeInProcess("baseline", "baseline client", baselineStub, client::run, warmNames, names, null, report);
        }

        // -Dbench.floors=true (CAMEL_FLOOR=1), each with a stub of its own, in this JVM as the baseline: the same calls
        // through the cheapest Camel client (CamelFloor: camel-http, no database, no resilience, metrics or JMX), and
        // the same calls as jobs of the cheapest durable queue on the hub's schema (QueueFloor: JDBC, no Camel)
        Measured camelFloor = null;
        Measured queueFloor = null;
        String queueDatabase = null;
        if (Boolean.getBoolean("bench.floors")) {
            try (StubProcess floorStub = StubProcess.start(); CamelFloor floor = new CamelFloor(floorStub.baseUrl(), storage, PARALLELISM)) {
                floorStub.delay(stubDelayMs);
                camelFloor = timeInProcess("camel floor", "Camel floor client", floorStub, floor::run, warmNames, names, null, report);
                report.append(String.format(Locale.ROOT, "camel floor / baseline = %.0f %%%n", 100 * baseline.seconds() / camelFloor.seconds()));
            }
            queueDatabase = "bench_queue_floor_" + System.currentTimeMillis();
            try (StubProcess queueStub = StubProcess.start();
                 QueueFloor floor = new QueueFloor(TestPostgres.jdbcUrl(queueDatabase), new Baseline(queueStub.baseUrl(), storage), PARALLELISM)) {
                queueStub.delay(stubDelayMs);
                queueFloor = timeInProcess("queue floor", "queue floor client (HTTP and JDBC)", queueStub, floor::run, warmNames, names,
                        queueDatabase, report);
                report.append(String.format(Locale.ROOT, "  %s%nqueue floor / baseline = %.0f %%%n", floor.statementsPerJob(),
                        100 * baseline.seconds() / queueFloor.seconds()));
            }
        }

        String database = "bench_bulk_" + System.currentTimeMillis();
        try (StubProcess stub = StubProcess.start()) {
            stub.delay(stubDelayMs);
            Map<String, String> props = hubProperties(database, stub.baseUrl(), storage);
            props.putIfAbsent("app.jobs.parallelism", String.valueOf(PARALLELISM));
            props.putIfAbsent("app.ragflow.parse-poll-interval-ms", "200");
            try (ChildHub hub = ChildHub.start(props, hubJvm("-Xmx512m")).awaitStarted(); Connection c = db(database)) {
                long kb = scalar(c, "INSERT INTO knowledge_base (name) VALUES ('Bench') RETURNING id");
                if (warmup > 0) {
                    insertDocuments(c, kb, warmNames);
                    awaitIndexed(c, warmup, 200);
                }
                settle(database);
                if (warmup > 0 && Boolean.getBoolean(TestPostgres.STATEMENT_STATS)) {
                    try (Statement s = c.createStatement()) {
                        s.execute("CREATE EXTENSION IF NOT EXISTS pg_stat_statements");
                        s.execute("SELECT pg_stat_statements_reset()");
                        long asked = scalar(c, "SELECT CAST(extract(epoch FROM clock_timestamp()) * 1000 AS BIGINT)");
                        s.execute("SELECT pg_stat_reset()");
                        // the statistics collector applies the reset later; read before, the window's counts fall below 0
                        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
                        while (scalar(c, "SELECT CAST(coalesce(extract(epoch FROM stats_reset) * 1000, 0) AS BIGINT)"
                                + " FROM pg_stat_database WHERE datname = current_database()") < asked
                                && System.nanoTime() < deadline) {
                            TimeUnit.MILLISECONDS.sleep(50);
                        }
                    }
                }
                long[] autovacuums0 = {autovacuumRuns(database), autovacuumRuns(queueDatabase)};
                stub.resetRequests();
                double[] cpu0 = {cpuSeconds(stub.handle()), cpuSeconds(hub.process().toHandle()), postgresCpuSeconds(),
                        cpuSeconds(ProcessHandle.current())};
                double[] service0 = jvmServiceCpuSeconds(hub.process().pid());
                long wal0 = walBytes();
                long start = System.nanoTime();
                long committed = insertDocuments(c, kb, names);
                awaitIndexed(c, warmup + documents, 200);
                double hubSeconds = (System.nanoTime() - start) / 1e9;
                double[] service = jvmServiceCpuSeconds(hub.process().pid());
                double hubCpu = cpuSeconds(hub.process().toHandle());
                long[] autovacuums = {autovacuumRuns(database) - autovacuums0[0], autovacuumRuns(queueDatabase) - autovacuums0[1]};
                // the server's cleanup of what the hub wrote belongs to the hub's figure, as the queue floor's to its own
                vacuum(database);
                Measured measured = new Measured(hubSeconds, 1000 * (hubCpu - cpu0[1]) / documents,
                        1000 * (postgresCpuSeconds() - cpu0[2]) / documents);
                String cpu = String.format(Locale.ROOT, "  CPU per document: stub %.2f ms, hub %.2f ms (of which JIT compiler threads %.2f ms,"
                                + " GC threads %.2f ms), PostgreSQL %.2f ms (WAL %.1f KB), this bench (insert, progress query) %.2f ms%n",
                        1000 * (cpuSeconds(stub.handle()) - cpu0[0]) / documents, measured.clientMs(),
                        1000 * (service[0] - service0[0]) / documents, 1000 * (service[1] - service0[1]) / documents,
                        measured.postgresMs(), (walBytes() - wal0) / 1024.0 / documents,
                        1000 * (cpuSeconds(ProcessHandle.current()) - cpu0[3]) / documents)
                        + String.format(Locale.ROOT, "  autovacuum and autoanalyze runs in the window: the hub's database %d,"
                                + " the queue floor's %d (each client's window ends with a VACUUM of its own database)%n",
                        autovacuums[0], autovacuums[1]);
                hub.stop(Duration.ofSeconds(60));
                String statements = statementStats(c, documents);
                Map<String, Long> uploaded = stub.uploadTimes();
                long lastUpload = uploaded.values().stream().mapToLong(Long::longValue).max().orElse(committed);
                String phases = String.format(Locale.ROOT, "  last upload received %.1f s after the insert; every job indexed after %.1f s%n",
                        (lastUpload - committed) / 1000.0, hubSeconds);
                List<Long> latencies = new ArrayList<>();
                for (String n : names) {
                    Long up = uploaded.get(n);
                    if (up != null) {
                        latencies.add(up - committed);
                    }
                }
                report.append(String.format(Locale.ROOT,
                        "ragsync:  %d docs in %.1f s = %.1f docs/s (jobs.parallelism %d, uploads seen %d)%n"
                                + "hub settings: %s%n"
                                + "  %s%n%s%s"
                                + "ragsync / baseline = %.0f %%%n"
                                + "change-to-uploaded (all inserted in one transaction): p50 %d ms, p95 %d ms%n",
                        documents, hubSeconds, documents / hubSeconds, PARALLELISM, stub.uploadCount(),
                        props.entrySet().stream().filter(e -> e.getKey().startsWith("app.jobs") || e.getKey().startsWith("app.ragflow.parse")
                                        || e.getKey().startsWith("app.resilience") || e.getKey().startsWith("camel."))
                                .map(e -> e.getKey() + "=" + e.getValue()).sorted().toList(),
                        stub.requestMix(documents), shapes(stub), cpu + phases,
                        100 * baseline.seconds() / hubSeconds, percentile(latencies, 0.5), percentile(latencies, 0.95)));
                report.append(statements);
                report.append(targets(warmup > 0, baseline, camelFloor, queueFloor, measured));
            }
        }
        return report.toString();
    }

    // ---- throughput under partial faults -------------------------------------------------------------------

    /**
     * The hub with its shipped breaker, redelivery and retry settings syncs the same documents twice, each time with
     * a fresh stub, database and hub: fault-free, then with RAGFlow failing -Dbench.fault-percent (30) % of its
     * requests at random (seeded; 500 and 503 before the work, 502 and a reset connection after it).
     */
    static String faults(int documents) throws Exception {
        int percent = Integer.getInteger("bench.fault-percent", 30);
        Path storage = storage();
        List<String> names = writeDocuments(storage, new Random(7), "doc", documents);
        StringBuilder report = new StringBuilder(String.format(Locale.ROOT, "conditions: each run a freshly started hub"
                + " (shipped resilience settings, jobs.parallelism %d) and stub, sharing all %d CPUs%n", PARALLELISM,
                Runtime.getRuntime().availableProcessors()));
        double clean = faultRun(storage, names, 0, report);
        double faulty = faultRun(storage, names, percent, report);
        report.append(String.format(Locale.ROOT, "with %d %% faults / fault-free = %.0f %%%n", percent, 100 * faulty / clean));
        return report.toString();
    }

    private static long logLines(ChildHub hub, String containing) throws IOException {
        try (var lines = Files.lines(hub.log().toPath())) {
            return lines.filter(l -> l.contains(containing)).count();
        }
    }

    /** One run of {@link #faults}; returns its documents/s. */
    private static double faultRun(Path storage, List<String> names, int percent, StringBuilder report) throws Exception {
        String database = "bench_faults_" + percent + "_" + System.currentTimeMillis();
        try (StubProcess stub = StubProcess.start()) {
            Map<String, String> props = hubProperties(database, stub.baseUrl(), storage);
            props.putIfAbsent("app.jobs.parallelism", String.valueOf(PARALLELISM));
            props.putIfAbsent("app.ragflow.parse-poll-interval-ms", "200");
            try (ChildHub hub = ChildHub.start(props, hubJvm("-Xmx512m")).awaitStarted(); Connection c = db(database)) {
                long kb = scalar(c, "INSERT INTO knowledge_base (name) VALUES ('Bench') RETURNING id");
                stub.randomFaults(percent);
                long start = System.nanoTime();
                insertDocuments(c, kb, names);
                long deadline = start + TimeUnit.MINUTES.toNanos(30);
                long ended;
                while ((ended = scalar(c, "SELECT count(*) FROM sync_job WHERE status IN ('indexed', 'failed',"
                        + " 'config_error', 'download_failed')")) < names.size() && System.nanoTime() < deadline) {
                    TimeUnit.MILLISECONDS.sleep(200);
                }
                long indexed = scalar(c, "SELECT count(*) FROM sync_job WHERE status = 'indexed'");
                // from the insert's transaction to the last (the 95th percentile) job's end by the database's clock:
                // sampling the end every 200 ms gave a few points of error on runs of 5 to 10 s
                double seconds = ended < names.size() ? (System.nanoTime() - start) / 1e9
                        : scalar(c, "SELECT CAST(EXTRACT(EPOCH FROM max(ended_at) - min(created_at)) * 1000 AS BIGINT) FROM sync_job") / 1000.0;
                double mostSeconds = scalar(c, "SELECT CAST(EXTRACT(EPOCH FROM percentile_disc(0.95) WITHIN GROUP (ORDER BY ended_at)"
                        + " - min(created_at)) * 1000 AS BIGINT) FROM sync_job") / 1000.0;
                // the last 5 % show the persisted retries' wait (app.jobs.retry.base-delay-seconds) more than the rate
                report.append(String.format(Locale.ROOT, "%s: %d of %d docs indexed in %.2f s = %.1f docs/s"
                                + " (95 %% of them in %.2f s = %.1f docs/s)%n"
                                + "  %d requests, %d faults injected; %d jobs deferred by the open breaker, %d in-place"
                                + " redeliveries logged, %d persisted retries, %d jobs failed; RAGFlow holds %d documents%n",
                        percent == 0 ? "fault-free" : percent + " % faults", indexed, names.size(), seconds, indexed / seconds,
                        mostSeconds, Math.ceil(0.95 * names.size()) / mostSeconds,
                        stub.requestCount(), stub.faultsInjected(),
                        scalar(c, "SELECT count(*) FROM sync_job_log WHERE event = 'deferred'"
                                + " AND message LIKE 'RAGFlow is failing: its circuit breaker is open%'"),
                        logLines(hub, "On delivery attempt"),
                        scalar(c, "SELECT coalesce(sum(retry_count), 0) FROM sync_job"),
                        scalar(c, "SELECT count(*) FROM sync_job WHERE status <> 'indexed'"), stub.documentCount()));
                hub.stop(Duration.ofSeconds(60));
                return indexed / seconds;
            }
        }
    }

    /** A client that runs in this JVM (the baseline, the floors): syncs the named documents and returns. */
    private interface InProcessClient {
        void run(List<String> names) throws Exception;
    }

    /** One client's timed run: its seconds, and its own and its PostgreSQL's CPU per document in ms. */
    record Measured(double seconds, double clientMs, double postgresMs) {
    }

    /**
     * Warms the client up on warmNames (none: cold), then times it on names against its own stub and reports its
     * rate, the requests the stub answered and the CPU per document of the stub, of this JVM (the client) and of
     * PostgreSQL (none used but by the queue floor: what the others show there is the server's idle work). A client
     * with a database (the queue floor) starts with its warm-up vacuumed and ends its window vacuuming what it wrote.
     */
    private static Measured timeInProcess(String label, String clientName, StubProcess stub, InProcessClient client,
            List<String> warmNames, List<String> names, String database, StringBuilder report) throws Exception {
        if (!warmNames.isEmpty()) {
            client.run(warmNames);
        }
        settle(database);
        stub.resetRequests();
        int documents = names.size();
        double[] cpu0 = {cpuSeconds(ProcessHandle.current()), cpuSeconds(stub.handle()), postgresCpuSeconds()};
        long wal0 = walBytes();
        long t0 = System.nanoTime();
        client.run(names);
        double seconds = (System.nanoTime() - t0) / 1e9;
        double clientCpu = cpuSeconds(ProcessHandle.current());
        if (database != null) {
            vacuum(database);
        }
        Measured measured = new Measured(seconds, 1000 * (clientCpu - cpu0[0]) / documents,
                1000 * (postgresCpuSeconds() - cpu0[2]) / documents);
        report.append(String.format(Locale.ROOT, "%s: %d docs in %.1f s = %.1f docs/s (parallelism %d)%n  %s%n%s"
                        + "  CPU per document: stub %.2f ms, %s %.2f ms, PostgreSQL %.2f ms (WAL %.1f KB)%n",
                label, documents, measured.seconds(), documents / measured.seconds(), PARALLELISM, stub.requestMix(documents), shapes(stub),
                1000 * (cpuSeconds(stub.handle()) - cpu0[1]) / documents, clientName, measured.clientMs(), measured.postgresMs(),
                (walBytes() - wal0) / 1024.0 / documents));
        return measured;
    }

    /**
     * The bulk run against its targets: the hub's own CPU per document at most 1.5 times the Camel floor's (warm),
     * its PostgreSQL's at most 1.5 times the queue floor's, its rate at least 80 % (warm) / 70 % (cold) of the
     * direct baseline's. Without the floors (CAMEL_FLOOR unset) only the last.
     */
    static String targets(boolean warm, Measured baseline, Measured camelFloor, Measured queueFloor, Measured hub) {
        StringBuilder out = new StringBuilder("targets (" + (warm ? "warm" : "cold") + " run):\n");
        if (camelFloor != null) {
            double ratio = hub.clientMs() / camelFloor.clientMs();
            out.append(String.format(Locale.ROOT, "  hub / Camel floor, own CPU per document: %.2f / %.2f ms = %.2fx (target <= 1.5x warm): %s%n",
                    hub.clientMs(), camelFloor.clientMs(), ratio, warm ? verdict(ratio <= 1.5) : "judged on a warm run"));
        }
        if (queueFloor != null) {
            double ratio = hub.postgresMs() / queueFloor.postgresMs();
            out.append(String.format(Locale.ROOT, "  hub / queue floor, PostgreSQL CPU per document: %.2f / %.2f ms = %.2fx (target <= 1.5x): %s%n",
                    hub.postgresMs(), queueFloor.postgresMs(), ratio, verdict(ratio <= 1.5)));
        }
        double share = 100 * baseline.seconds() / hub.seconds();
        int target = warm ? 80 : 70;
        out.append(String.format(Locale.ROOT, "  hub / direct baseline, docs/s: %.0f %% (target >= %d %% %s): %s%n",
                share, target, warm ? "warm" : "cold", verdict(share >= target)));
        return out.toString();
    }

    private static String verdict(boolean met) {
        return met ? "met" : "not met";
    }

    /** The last request of each kind as the stub received it (headers, body size), indented, for comparing clients. */
    private static String shapes(StubProcess stub) throws Exception {
        return stub.requestShapes().lines().map(line -> "    " + line + System.lineSeparator())
                .collect(Collectors.joining());
    }

    /** The CPUs this JVM may run on (its affinity, as taskset set it), as taskset's list. */
    private static String clientCpus() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("Cpus_allowed_list:")) {
                    return line.substring(line.indexOf(':') + 1).trim();
                }
            }
        } catch (IOException ignored) {
            // not Linux: say so below
        }
        return "?";
    }

    /** Writes count documents of 1-50 KB named prefix0.txt, prefix1.txt, ... into storage. */
    private static List<String> writeDocuments(Path storage, Random random, String prefix, int count) throws IOException {
        List<String> names = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            String name = prefix + i + ".txt";
            Files.writeString(storage.resolve(name), content(random, i));
            names.add(name);
        }
        return names;
    }

    /** Inserts one backend document per file in one transaction; returns the commit time (epoch ms). */
    static long insertDocuments(Connection c, long kb, List<String> names) throws Exception {
        c.setAutoCommit(false);
        try (PreparedStatement insert = c.prepareStatement(
                "INSERT INTO document (knowledge_base_id, title, file_path) VALUES (?, ?, ?)")) {
            for (String name : names) {
                insert.setLong(1, kb);
                insert.setString(2, name);
                insert.setString(3, name);
                insert.addBatch();
            }
            insert.executeBatch();
        }
        c.commit();
        long committed = System.currentTimeMillis();
        c.setAutoCommit(true);
        return committed;
    }

    /** Polls every pollMs until at least jobs jobs are indexed. */
    private static void awaitIndexed(Connection c, int jobs, long pollMs) throws Exception {
        awaitIndexed(c, jobs, pollMs, () -> { });
    }

    /**
     * Polls every pollMs until at least jobs jobs are indexed, running check (which may throw to give up) each time.
     * While any job waits or runs it only probes for one (an index lookup): counting every indexed job on each poll
     * cost the server as much as a statement of the hub per document, and more for the clients that run longest.
     */
    static void awaitIndexed(Connection c, int jobs, long pollMs, Runnable check) throws Exception {
        while (scalar(c, "SELECT count(*) FROM (SELECT 1 FROM sync_job WHERE status IN ('queued', 'processing')"
                + " LIMIT 1) busy") > 0 || scalar(c, "SELECT count(*) FROM sync_job WHERE status = 'indexed'") < jobs) {
            check.run();
            TimeUnit.MILLISECONDS.sleep(pollMs);
        }
    }

    /** One document's sync by a client; an exception is a failed document. */
    interface DocumentSync {
        void sync(String name) throws Exception;
    }

    /** Syncs every document on `parallelism` threads; any failure fails the run, naming the first one's cause. */
    static void eachInParallel(List<String> names, int parallelism, String client, DocumentSync sync)
            throws InterruptedException {
        ExecutorService pool = Executors.newFixedThreadPool(parallelism);
        AtomicLong failures = new AtomicLong();
        AtomicReference<Exception> firstFailure = new AtomicReference<>();
        for (String name : names) {
            pool.submit(() -> {
                try {
                    sync.sync(name);
                } catch (Exception e) {
                    failures.incrementAndGet();
                    firstFailure.compareAndSet(null, e);
                }
            });
        }
        pool.shutdown();
        pool.awaitTermination(1, TimeUnit.HOURS);
        if (failures.get() > 0) {
            throw new IllegalStateException(failures + " " + client + " documents failed, the first with "
                    + firstFailure.get(), firstFailure.get());
        }
    }

    /**
     * The direct client: ensure dataset, then per document upload, set meta_fields, parse, poll until DONE. The same
     * requests as the hub's: HTTP/1.1 (the JDK client would otherwise upgrade to HTTP/2, which the hub's client does
     * not speak), no compressed answers asked for, the same five meta_fields.
     */
    static final class Baseline {
        private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        private final String api;
        private final Path storage;
        private String dataset;

        Baseline(String baseUrl, Path storage) {
            this.api = baseUrl + "/api/v1";
            this.storage = storage;
        }

        private String call(String method, String path, HttpRequest.BodyPublisher body, String contentType) throws Exception {
            HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(api + path))
                    .header("Authorization", "Bearer " + RagflowStub.API_KEY).method(method, body);
            if (contentType != null) {
                b.header("Content-Type", contentType);
            }
            HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() != 200 || !r.body().contains("\"code\":0")) {
                throw new IllegalStateException(method + " " + path + ": " + r.statusCode() + " " + r.body());
            }
            return r.body();
        }

        /** Creates the dataset unless it exists (an earlier run of this client made it). */
        void ensureDataset() throws Exception {
            HttpResponse<String> lookup = http.send(HttpRequest.newBuilder(URI.create(api + "/datasets?name=Bench&page=1&page_size=100"))
                    .header("Authorization", "Bearer " + RagflowStub.API_KEY).build(), HttpResponse.BodyHandlers.ofString());
            if (!lookup.body().contains("\"code\":0")) {
                String created = call("POST", "/datasets", HttpRequest.BodyPublishers.ofString("{\"name\":\"Bench\"}"), "application/json");
                dataset = field(created, "id");
            }
        }

        void run(List<String> names) throws Exception {
            ensureDataset();
            eachInParallel(names, PARALLELISM, "baseline", this::one);
        }

        /** Uploads one document, sets its meta_fields, starts its parse and polls until DONE; returns its RAGFlow id. */
        String one(String name) throws Exception {
            String boundary = UUID.randomUUID().toString();
            byte[] file = Files.readAllBytes(storage.resolve(name));
            byte[] head = ("--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"" + name
                    + "\"\r\nContent-Type: application/octet-stream\r\n\r\n").getBytes(StandardCharsets.UTF_8);
            byte[] tail = ("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8);
            String uploaded = call("POST", "/datasets/" + dataset + "/documents",
                    HttpRequest.BodyPublishers.ofByteArrays(List.of(head, file, tail)), "multipart/form-data; boundary=" + boundary);
            String id = field(uploaded, "id");
            call("PUT", "/datasets/" + dataset + "/documents/" + id, HttpRequest.BodyPublishers.ofString(metaFields(name)), "application/json");
            call("POST", "/datasets/" + dataset + "/chunks",
                    HttpRequest.BodyPublishers.ofString("{\"document_ids\":[\"" + id + "\"]}"), "application/json");
            while (!call("GET", "/datasets/" + dataset + "/documents?id=" + id + "&page=1&page_size=1",
                    HttpRequest.BodyPublishers.noBody(), null).contains("\"run\":\"DONE\"")) {
                TimeUnit.MILLISECONDS.sleep(200);
            }
            return id;
        }

        /** The five meta_fields the hub sets on an uploaded document, for a bench document named {@code name}. */
        static String metaFields(String name) {
            return "{\"meta_fields\":{\"external_id\":\"" + name + "\",\"knowledge_base_id\":\"1\",\"title\":\"" + name
                    + "\",\"file_name\":\"" + name + "\",\"updated_at\":\"" + Instant.now().truncatedTo(ChronoUnit.SECONDS)
                    + "\"}}";
        }

        private static String field(String json, String name) {
            Matcher m = Pattern.compile("\"" + name + "\":\"([^\"]+)\"").matcher(json);
            if (!m.find()) {
                throw new IllegalStateException("no " + name + " in " + json);
            }
            return m.group(1);
        }
    }

    // ---- change latency -----------------------------------------------------------------------------------

    static String latency(int changes) throws Exception {
        Path storage = storage();
        String database = "bench_latency_" + System.currentTimeMillis();
        List<Long> latencies = new ArrayList<>();
        try (StubProcess stub = StubProcess.start();
             ChildHub hub = ChildHub.start(hubProperties(database, stub.baseUrl(), storage), hubJvm("-Xmx512m")).awaitStarted();
             Connection c = db(database)) {
            long kb = scalar(c, "INSERT INTO knowledge_base (name) VALUES ('Latency') RETURNING id");
            Files.writeString(storage.resolve("warmup.txt"), "warm up");
            scalar(c, "INSERT INTO document (knowledge_base_id, title, file_path) VALUES (" + kb + ", 'warm', 'warmup.txt') RETURNING id");
            awaitIndexed(c, 1, 50);
            Random random = new Random(3);
            for (int i = 0; i < changes; i++) {
                String name = "change" + i + ".txt";
                Files.writeString(storage.resolve(name), content(random, i));
                // counted before the insert: an upload arriving before the count would otherwise be waited for forever
                long before = stub.uploadCount();
                long at = System.currentTimeMillis();
                scalar(c, "INSERT INTO document (knowledge_base_id, title, file_path) VALUES (" + kb + ", 'c', '" + name + "') RETURNING id");
                while (stub.uploadCount() <= before) {
                    TimeUnit.MILLISECONDS.sleep(5);
                }
                latencies.add(stub.uploadTimes().get(name) - at);
                // changes arrive at random points of the poll period
                TimeUnit.MILLISECONDS.sleep(random.nextInt(1000));
            }
        }
        return String.format(Locale.ROOT, "%d single-document changes with default polling (app.jobs.poll-interval-ms=1000):"
                        + " change-to-uploaded p50 %d ms, p95 %d ms, max %d ms",
                changes, percentile(latencies, 0.5), percentile(latencies, 0.95), percentile(latencies, 1.0));
    }

    // ---- 1 GiB file at -Xmx256m ----------------------------------------------------------------------------

    static String bigFile(int mebibytes) throws Exception {
        Path storage = storage();
        Path file = storage.resolve("big.txt");
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
            byte[] block = new byte[1 << 20];
            new Random(1).nextBytes(block);
            for (int i = 0; i < mebibytes; i++) {
                raf.write(block);
            }
        }
        Sink sink = new Sink();
        String database = "bench_big_" + System.currentTimeMillis();
        Map<String, String> props = hubProperties(database, sink.url(), storage);
        props.put("app.ragflow.max-file-size", String.valueOf(4L << 30));
        long peakRss = 0;
        long seconds;
        String status;
        try (ChildHub hub = ChildHub.start(props, hubJvm("-Xmx256m")).awaitStarted(); Connection c = db(database)) {
            long kb = scalar(c, "INSERT INTO knowledge_base (name) VALUES ('Big') RETURNING id");
            long start = System.nanoTime();
            scalar(c, "INSERT INTO document (knowledge_base_id, title, file_path) VALUES (" + kb + ", 'big', 'big.txt') RETURNING id");
            long pid = hub.process().pid();
            while (true) {
                peakRss = Math.max(peakRss, rssKb(pid));
                List<String> statuses = new ArrayList<>();
                try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT status, coalesce(last_error, '') FROM sync_job")) {
                    while (rs.next()) {
                        statuses.add(rs.getString(1) + " " + rs.getString(2));
                    }
                }
                status = String.join(",", statuses);
                if (status.startsWith("indexed") || status.startsWith("failed")) {
                    break;
                }
                TimeUnit.MILLISECONDS.sleep(200);
            }
            seconds = (System.nanoTime() - start) / 1_000_000_000L;
        } finally {
            sink.stop();
        }
        return String.format(Locale.ROOT, "%d MiB file, hub at -Xmx256m: job %s in %d s; bytes received by the sink %d"
                        + " (expected %d); peak RSS of the hub process %d MiB",
                mebibytes, status, seconds, sink.received.get(), (long) mebibytes << 20, peakRss / 1024);
    }

    private static long rssKb(long pid) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("\\D", ""));
                }
            }
        } catch (IOException ignored) {
            // process gone
        }
        return 0;
    }

    /**
     * A loopback RAGFlow stand-in for the memory bench only: the RagflowStub (WireMock) buffers request bodies,
     * so a 1 GiB upload would measure WireMock. This sink streams the upload to nowhere and answers the five
     * calls one upload makes with RAGFlow's envelopes (shapes from RagflowStub).
     */
    static final class Sink {
        final AtomicLong received = new AtomicLong();
        private final HttpServer server;
        private final Map<String, String> names = new ConcurrentHashMap<>();

        Sink() throws IOException {
            server = HttpServer.create(new InetSocketAddress("localhost", 0), 0);
            server.createContext("/", this::handle);
            server.setExecutor(Executors.newFixedThreadPool(4));
            server.start();
        }

        String url() {
            return "http://localhost:" + server.getAddress().getPort();
        }

        void stop() {
            server.stop(0);
        }

        private void handle(HttpExchange exchange) throws IOException {
            String method = exchange.getRequestMethod();
            String path = exchange.getRequestURI().getPath();
            String query = exchange.getRequestURI().getRawQuery();
            String answer;
            if (path.equals("/api/v1/datasets") && method.equals("GET")) {
                answer = query != null && query.contains("name=") ? "{\"code\":102,\"message\":\"lacks permission\"}"
                        : "{\"code\":0,\"data\":[]}";
                drain(exchange.getRequestBody(), false);
            } else if (path.equals("/api/v1/datasets") && method.equals("POST")) {
                drain(exchange.getRequestBody(), false);
                answer = "{\"code\":0,\"data\":{\"id\":\"ds1\",\"name\":\"Big\"}}";
            } else if (path.endsWith("/documents") && method.equals("POST")) {
                long n = drain(exchange.getRequestBody(), true);
                names.put("doc1", "big.txt");
                answer = "{\"code\":0,\"data\":[{\"id\":\"doc1\",\"name\":\"big.txt\",\"size\":" + n + "}]}";
            } else if (path.endsWith("/documents") && method.equals("GET")) {
                drain(exchange.getRequestBody(), false);
                answer = "{\"code\":0,\"data\":{\"total\":1,\"docs\":[{\"id\":\"doc1\",\"name\":\"big.txt\",\"run\":\"DONE\","
                        + "\"chunk_count\":1,\"progress_msg\":\"done\",\"meta_fields\":{}}]}}";
            } else {
                drain(exchange.getRequestBody(), false);
                answer = "{\"code\":0,\"data\":{}}";
            }
            byte[] bytes = answer.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, bytes.length);
            try (OutputStream os = exchange.getResponseBody()) {
                os.write(bytes);
            }
        }

        private long drain(InputStream in, boolean count) throws IOException {
            byte[] buffer = new byte[1 << 16];
            long total = 0;
            int n;
            while ((n = in.read(buffer)) > 0) {
                total += n;
            }
            if (count) {
                received.addAndGet(total);
            }
            return total;
        }
    }

    // ---- idle cost --------------------------------------------------------------------------------------

    static String idle(int seconds) throws Exception {
        Path storage = storage();
        String database = "bench_idle_" + System.currentTimeMillis();
        try (StubProcess stub = StubProcess.start();
             ChildHub hub = ChildHub.start(hubProperties(database, stub.baseUrl(), storage), hubJvm("-Xmx512m")).awaitStarted();
             Connection c = db(database)) {
            TimeUnit.SECONDS.sleep(15); // let start-up work settle
            double cpu0 = cpuSeconds(hub.process().toHandle());
            long tx0 = scalar(c, "SELECT xact_commit + xact_rollback FROM pg_stat_database WHERE datname = current_database()");
            int requests0 = stub.requestCount();
            long t0 = System.nanoTime();
            TimeUnit.SECONDS.sleep(seconds);
            double elapsed = (System.nanoTime() - t0) / 1e9;
            double cpuSeconds = cpuSeconds(hub.process().toHandle()) - cpu0;
            long tx1 = scalar(c, "SELECT xact_commit + xact_rollback FROM pg_stat_database WHERE datname = current_database()");
            return String.format(Locale.ROOT, "idle hub over %.0f s (default polling): CPU %.2f s = %.2f %% of one core;"
                            + " %.1f database transactions/s (minus this probe's 2); RAGFlow requests %d",
                    elapsed, cpuSeconds, 100 * cpuSeconds / elapsed, (tx1 - tx0 - 2) / elapsed, stub.requestCount() - requests0);
        }
    }

}

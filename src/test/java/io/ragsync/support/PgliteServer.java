package io.ragsync.support;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A real PostgreSQL with the pgvector extension for the tests: PGlite (PostgreSQL compiled to WASM, from npm) served
 * over the wire protocol by its socket server, started on a free port for a test class and stopped after it. The
 * npm packages live in src/test/pglite (package.json + package-lock.json) and are installed by
 * {@code src/test/pglite/install} ({@code npm ci}, run by ./test and mvn verify); without them the tests fail with
 * that instruction instead of skipping. PGlite runs ONE backend session: use a pool of one connection.
 */
public final class PgliteServer implements BeforeAllCallback, AfterAllCallback {

    private static final Path DIR = Path.of("src", "test", "pglite").toAbsolutePath();
    private static final Path SERVER = DIR.resolve("node_modules/@electric-sql/pglite-socket/dist/scripts/server.js");

    private Process process;
    private int port;
    private final List<String> output = new CopyOnWriteArrayList<>();

    /** No named server-side statements: PGlite's one backend outlives client sessions, and so would their names. */
    public String jdbcUrl() {
        return "jdbc:postgresql://127.0.0.1:" + port + "/postgres?sslmode=disable&prepareThreshold=0";
    }

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        if (!Files.isRegularFile(SERVER)) {
            throw new IllegalStateException("The PGlite test server is not installed (" + SERVER + " is missing): run"
                    + " src/test/pglite/install (./test and mvn verify run it; it needs Node.js) - the pgvector tests need it");
        }
        port = freePort();
        ProcessBuilder builder = new ProcessBuilder("node", "--require", DIR.resolve("custom-event.cjs").toString(),
                SERVER.toString(), "--port=" + port, "--host=127.0.0.1", "--extensions=@electric-sql/pglite-pgvector:vector")
                .directory(DIR.toFile()).redirectErrorStream(true);
        try {
            process = builder.start();
        } catch (IOException e) {
            throw new IllegalStateException("cannot start the PGlite test server with `node` (is Node.js installed?"
                    + " ./test installs it)", e);
        }
        CountDownLatch listening = new CountDownLatch(1);
        Thread reader = new Thread(() -> {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(),
                    StandardCharsets.UTF_8))) {
                String line;
                while ((line = in.readLine()) != null) {
                    output.add(line);
                    if (line.contains("listening")) {
                        listening.countDown();
                    }
                }
            } catch (IOException ignored) {
                // the process ended
            }
        }, "pglite-server-output");
        reader.setDaemon(true);
        reader.start();
        if (!listening.await(120, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new IllegalStateException("the PGlite test server did not start within 120 s: " + output);
        }
    }

    @Override
    public void afterAll(ExtensionContext context) throws Exception {
        if (process != null) {
            process.destroy();
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        }
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

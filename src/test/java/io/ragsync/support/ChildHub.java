package io.ragsync.support;

import static org.assertj.core.api.Assertions.assertThat;

import io.ragsync.Application;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import org.awaitility.Awaitility;

/**
 * A RAGSync hub in its own JVM (the test class path, {@link Application}), for scale-out and crash tests: a
 * real separate process with its own pools and Quartz scheduler, which can be killed with SIGKILL.
 */
public final class ChildHub implements AutoCloseable {

    private final Process process;
    private final File log;

    private ChildHub(Process process, File log) {
        this.process = process;
        this.log = log;
    }

    /** JVM options of the tests' child hubs: a small heap, and C1 only for a fast start. */
    public static final List<String> TEST_JVM = List.of("-Xmx256m", "-XX:TieredStopAtLevel=1");

    /** Starts a hub with these properties (passed as command-line arguments) and the tests' JVM options. */
    public static ChildHub start(Map<String, String> properties) {
        return start(properties, TEST_JVM);
    }

    /** Starts a hub with these properties and JVM options (benchmarks run it as deployed: full JIT). */
    public static ChildHub start(Map<String, String> properties, List<String> jvmOptions) {
        try {
            List<String> command = new ArrayList<>();
            command.add(System.getProperty("java.home") + File.separator + "bin" + File.separator + "java");
            command.addAll(jvmOptions);
            command.addAll(List.of("-cp", classPath(), Application.class.getName()));
            properties.forEach((k, v) -> command.add("--" + k + "=" + v));
            command.add("--server.port=0");
            if (!properties.containsKey("camel.main.jmx-enabled")) {
                command.add("--camel.main.jmx-enabled=false");
            }
            command.add("--spring.main.banner-mode=off");
            File log = Files.createTempFile("ragsync-child", ".log").toFile();
            return new ChildHub(new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log).start(), log);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Runs another main class of the test class path in its own JVM (the tests' JVM options), e.g. a part of the hub. */
    public static ChildHub startMain(Class<?> mainClass, List<String> args) {
        try {
            List<String> command = new ArrayList<>();
            command.add(System.getProperty("java.home") + File.separator + "bin" + File.separator + "java");
            command.addAll(TEST_JVM);
            command.addAll(List.of("-cp", classPath(), mainClass.getName()));
            command.addAll(args);
            File log = Files.createTempFile("ragsync-child", ".log").toFile();
            return new ChildHub(new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log).start(), log);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Waits until the child's output contains {@code text}; fails at once if the process died. */
    public ChildHub awaitOutput(String text) {
        try {
            Awaitility.await().atMost(Duration.ofSeconds(180)).until(() -> {
                assertThat(process.isAlive()).as("child running (log %s)", log).isTrue();
                return Files.readString(log.toPath()).contains(text);
            });
        } catch (RuntimeException | AssertionError e) {
            close();
            throw e;
        }
        return this;
    }

    /**
     * Waits until Spring Boot says the hub started; fails at once if the process died. A hub that did not start is
     * killed: callers open it as {@code try (ChildHub hub = ChildHub.start(...).awaitStarted())}, which closes
     * nothing when this throws (a bench run once left such a hub running).
     */
    public ChildHub awaitStarted() {
        try {
            Awaitility.await().atMost(Duration.ofSeconds(180)).until(() -> {
                assertThat(process.isAlive()).as("child hub running (log %s)", log).isTrue();
                return Files.readString(log.toPath()).contains("Started Application");
            });
        } catch (RuntimeException | AssertionError e) {
            close();
            throw e;
        }
        return this;
    }

    public Process process() {
        return process;
    }

    public File log() {
        return log;
    }

    /** SIGKILL: no shutdown hook, no graceful stop. Returns the exit code (137). */
    public int kill() throws InterruptedException {
        process.destroyForcibly();
        return process.waitFor();
    }

    /** SIGTERM and wait for the graceful stop (shutdown hooks run: a JFR recording is written, for example). */
    public void stop(Duration atMost) throws InterruptedException {
        process.destroy();
        if (!process.waitFor(atMost.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS)) {
            process.destroyForcibly();
        }
    }

    @Override
    public void close() {
        process.destroyForcibly();
    }

    /**
     * The test JVM's class path, each entry once: surefire runs tests from a manifest-only jar, and an entry
     * listed twice (or the working directory) would make Camel load every route file twice.
     */
    static String classPath() {
        String raw = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        LinkedHashSet<String> entries = new LinkedHashSet<>();
        File cwd = new File("").getAbsoluteFile();
        for (String entry : raw.split(File.pathSeparator)) {
            File file = new File(entry).getAbsoluteFile();
            if (!entry.isBlank() && file.exists() && !file.toPath().normalize().equals(cwd.toPath().normalize())) {
                entries.add(file.getPath());
            }
        }
        return String.join(File.pathSeparator, entries);
    }
}

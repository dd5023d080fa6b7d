package io.ragsync.support;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;

/**
 * One real MariaDB server per test JVM: Debian's {@code mariadb-server} binaries, a data directory initialised in a
 * temporary folder and the server started as a child process on a free loopback port (stopped when the JVM ends).
 * Root without password on 127.0.0.1; each test class gets its own databases.
 */
public final class TestMariaDb {

    private static Process server;
    private static int port;

    private TestMariaDb() {
    }

    private static synchronized void start() {
        if (server != null) {
            return;
        }
        try {
            Path dir = TestFiles.keptTempDir("ragsync-mariadb");
            Path data = dir.resolve("data");
            File log = dir.resolve("server.log").toFile();
            boolean root = "root".equals(System.getProperty("user.name"));
            List<String> install = new ArrayList<>(List.of("mariadb-install-db", "--no-defaults", "--datadir=" + data,
                    "--auth-root-authentication-method=normal", "--skip-test-db"));
            if (root) {
                install.add("--user=root");
            }
            Process installing = new ProcessBuilder(install).redirectErrorStream(true)
                    .redirectOutput(dir.resolve("install.log").toFile()).start();
            if (!installing.waitFor(120, TimeUnit.SECONDS) || installing.exitValue() != 0) {
                throw new IllegalStateException("mariadb-install-db failed, see " + dir.resolve("install.log")
                        + " (Debian package mariadb-server; ./test installs it)");
            }
            port = freePort();
            List<String> command = new ArrayList<>(List.of(serverBinary(), "--no-defaults", "--datadir=" + data,
                    "--socket=" + dir.resolve("mariadb.sock"), "--pid-file=" + dir.resolve("mariadb.pid"),
                    "--port=" + port, "--bind-address=127.0.0.1", "--skip-name-resolve", "--log-error=" + log));
            if (root) {
                // mariadbd refuses to run as root unless told so
                command.add("--user=root");
            }
            server = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log).start();
            Process started = server;
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                started.destroy();
                try {
                    if (started.waitFor(20, TimeUnit.SECONDS)) {
                        TestFiles.clear(dir);
                        Files.deleteIfExists(dir);
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                } catch (IOException | UncheckedIOException e) {
                    // a temporary folder left behind is harmless
                }
            }));
            Awaitility.await().atMost(Duration.ofSeconds(60)).ignoreExceptions().until(() -> {
                if (!started.isAlive()) {
                    throw new IllegalStateException("mariadbd exited, see " + log);
                }
                try (Connection c = DriverManager.getConnection(url(""), "root", "")) {
                    return c.isValid(2);
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start MariaDB for the tests", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Debian puts mariadbd in /usr/sbin, which is not on a user's PATH. */
    private static String serverBinary() {
        Path sbin = Path.of("/usr/sbin/mariadbd");
        return Files.isExecutable(sbin) ? sbin.toString() : "mariadbd";
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private static String url(String database) {
        return "jdbc:mariadb://127.0.0.1:" + port + "/" + database;
    }

    /** JDBC URL of an empty database with this name (dropped and created again), root without password. */
    public static synchronized String freshDatabase(String database) {
        start();
        try (Connection c = DriverManager.getConnection(url(""), "root", ""); Statement s = c.createStatement()) {
            s.execute("DROP DATABASE IF EXISTS `" + database + "`");
            s.execute("CREATE DATABASE `" + database + "`");
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
        return url(database);
    }

    public static String user() {
        return "root";
    }
}

package io.ragsync.platform;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The embedded PostgreSQL of a killed earlier run keeps running as a daemon and holds the data folder, so a new server
 * refuses to start; neither zonky nor PostgreSQL stops it. A live {@code postgres} named by the pid file and serving
 * this very folder is the hub's own leftover: stopped with {@code pg_ctl stop -m fast}, else SIGTERM.
 */
final class LeftoverPostgres {

    private static final Logger LOG = LoggerFactory.getLogger(LeftoverPostgres.class);

    private LeftoverPostgres() {
    }

    /** Stops the server an earlier run left serving {@code dataDir}; true when there was one. */
    static boolean stop(Path dataDir, Duration atMost) throws IOException {
        Optional<ProcessHandle> leftover = find(dataDir);
        if (leftover.isEmpty()) {
            return false;
        }
        ProcessHandle postmaster = leftover.get();
        String how = pgCtlStop(postmaster, dataDir, atMost) ? "fast shutdown with pg_ctl" : "SIGTERM";
        if (how.equals("SIGTERM")) {
            postmaster.destroy();
        }
        try {
            postmaster.onExit().get(atMost.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            throw new IOException("the embedded PostgreSQL an earlier run left running (pid " + postmaster.pid()
                    + ") did not stop within " + atMost.toSeconds() + " s; stop it, then start again");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while stopping the earlier run's PostgreSQL", e);
        } catch (ExecutionException e) {
            throw new IOException("cannot wait for the earlier run's PostgreSQL to stop", e);
        }
        LOG.warn("The embedded PostgreSQL of an earlier run that did not stop cleanly (pid {}) still served {}:"
                + " stopped it ({}) before starting again", postmaster.pid(), dataDir, how);
        return true;
    }

    /** The live postmaster the pid file of {@code dataDir} names, if it is a postgres serving that folder. */
    static Optional<ProcessHandle> find(Path dataDir) throws IOException {
        Path pidFile = dataDir.resolve("postmaster.pid");
        if (!Files.isRegularFile(pidFile)) {
            return Optional.empty();
        }
        List<String> lines = Files.readAllLines(pidFile, StandardCharsets.UTF_8);
        if (lines.size() < 2 || !lines.get(0).trim().matches("\\d{1,10}")) {
            return Optional.empty();
        }
        Path served = Path.of(lines.get(1).trim());
        if (!Files.isDirectory(served) || !Files.isSameFile(served, dataDir)) {
            return Optional.empty();
        }
        if (heldByALiveRun(dataDir)) {
            return Optional.empty();
        }
        return ProcessHandle.of(Long.parseLong(lines.get(0).trim()))
                .filter(ProcessHandle::isAlive)
                .filter(p -> p.info().command().map(c -> Path.of(c).getFileName().toString())
                        .filter(name -> name.equals("postgres") || name.equals("postmaster")).isPresent());
    }

    /** Whether a running hub holds the folder: zonky locks {@code epg-lock} for as long as its JVM runs. */
    private static boolean heldByALiveRun(Path dataDir) throws IOException {
        try (FileChannel channel = FileChannel.open(dataDir.resolve("epg-lock"),
                StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
            FileLock lock = channel.tryLock();
            if (lock == null) {
                return true;
            }
            lock.release();
            return false;
        } catch (OverlappingFileLockException e) {
            return true;
        }
    }

    /** {@code pg_ctl stop -m fast} beside the leftover's own binary; false when there is none or it failed. */
    private static boolean pgCtlStop(ProcessHandle postmaster, Path dataDir, Duration atMost) {
        Optional<Path> pgCtl = postmaster.info().command().map(c -> Path.of(c).resolveSibling("pg_ctl"))
                .filter(Files::isExecutable);
        if (pgCtl.isEmpty()) {
            return false;
        }
        try {
            Process stop = new ProcessBuilder(pgCtl.get().toString(), "stop", "-D", dataDir.toString(), "-m", "fast",
                    "-w", "-t", Long.toString(Math.max(1, atMost.toSeconds())))
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            return stop.waitFor(atMost.toMillis() + 5000, TimeUnit.MILLISECONDS) && stop.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}

package io.ragsync.build;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's test command `./test` on a machine that lacks some of the tools: run on a PATH of stand-ins (the
 * real machine's tools stay untouched), it asks apt-get for exactly the missing Debian packages, as root or
 * through sudo, refuses in one line when it can do neither, runs `npm ci` for a missing or stale PGlite install,
 * and ends in `mvn -B -ntp verify` with the arguments given.
 */
class TestCommandTest {

    private static final Path ROOT = Path.of("").toAbsolutePath();
    /** The tools the scripts themselves run; everything else comes from the stand-ins. */
    private static final List<String> BASE_TOOLS = List.of("bash", "sh", "env", "dirname", "sed", "cat");
    private static final List<String> ALL_TOOLS =
            List.of("javac", "mvn", "chromium", "chromedriver", "node", "npm", "mariadbd", "python3");

    @TempDir
    Path dir;

    private Path repo;
    private Path installed;
    private Path catalog;
    private Path shims;
    private Path log;
    private Path werkzeugMarker;

    record Result(int exit, String stderr, List<String> calls) {
    }

    @BeforeEach
    void standIns() throws IOException {
        repo = Files.createDirectories(dir.resolve("repo"));
        copy(ROOT.resolve("test"), repo.resolve("test"));
        Path pglite = Files.createDirectories(repo.resolve("src/test/pglite"));
        for (String file : List.of("install", "package.json", "package-lock.json")) {
            copy(ROOT.resolve("src/test/pglite").resolve(file), pglite.resolve(file));
        }
        log = dir.resolve("calls.log");
        werkzeugMarker = dir.resolve("werkzeug-installed");
        Path base = Files.createDirectories(dir.resolve("base"));
        for (String tool : BASE_TOOLS) {
            Files.createSymbolicLink(base.resolve(tool), Path.of("/usr/bin", tool).toRealPath());
        }
        installed = Files.createDirectories(dir.resolve("installed"));
        shims = Files.createDirectories(dir.resolve("shims"));
        catalog = Files.createDirectories(dir.resolve("catalog"));
        script(catalog.resolve("javac"), "echo 'javac 17.0.15' >&2");
        script(catalog.resolve("mvn"), "echo \"mvn $*\" >> " + log);
        script(catalog.resolve("npm"), "echo \"npm $*\" >> " + log
                + "\n/usr/bin/mkdir -p node_modules && /usr/bin/touch node_modules/.package-lock.json");
        script(catalog.resolve("python3"), "[ -f " + werkzeugMarker + " ]");
        for (String tool : List.of("chromium", "chromedriver", "node", "mariadbd")) {
            script(catalog.resolve(tool), "exit 0");
        }
        // apt-get records what it is asked and "installs" the package's commands from the catalog
        script(shims.resolve("apt-get"), """
                echo "apt-get $*" >> %s
                [ "$1" = install ] || exit 0
                for p in "$@"; do
                  case "$p" in
                    openjdk-17-jdk-headless) t=javac;; maven) t=mvn;; chromium) t=chromium;;
                    chromium-driver) t=chromedriver;; nodejs) t=node;; npm) t=npm;; python3) t=python3;;
                    mariadb-server) t=mariadbd;;
                    python3-werkzeug) /usr/bin/touch %s; continue;;
                    *) continue;;
                  esac
                  /usr/bin/cp %s/$t %s/$t
                done
                """.formatted(log, werkzeugMarker, catalog, installed));
        script(shims.resolve("id"), "echo \"${FAKE_UID:-0}\"");
    }

    @Test
    void aFreshDebianGetsEveryToolFromAptThenTheNpmPackagesThenMaven() throws Exception {
        Result run = run("0", "-Dtest=SomeTest");

        assertThat(run.exit()).as(run.stderr()).isZero();
        List<String> packages = new ArrayList<>(List.of("openjdk-17-jdk-headless", "maven", "chromium",
                "chromium-driver", "nodejs", "npm"));
        if (!Files.isExecutable(Path.of("/usr/sbin/mariadbd"))) {
            // a MariaDB server installed where the script also looks, outside the stand-ins' PATH
            packages.add("mariadb-server");
        }
        if (!systemPythonHasWerkzeug()) {
            packages.addAll(List.of("python3", "python3-werkzeug"));
        }
        assertThat(run.calls()).containsExactly(
                "apt-get update -q",
                "apt-get install -y -q --no-install-recommends " + String.join(" ", packages),
                "npm ci --no-audit --no-fund",
                "mvn -B -ntp verify -Dtest=SomeTest");
    }

    @Test
    void aMachineWithEverythingRunsMavenOnly() throws Exception {
        installAll();
        npmPackagesInstalled();

        Result run = run("1000");

        assertThat(run.exit()).as(run.stderr()).isZero();
        assertThat(run.calls()).containsExactly("mvn -B -ntp verify");
    }

    @Test
    void onlyTheMissingPackagesAreInstalledThroughSudoWhenNotRoot() throws Exception {
        installAll();
        npmPackagesInstalled();
        Files.delete(installed.resolve("chromium"));
        Files.delete(installed.resolve("chromedriver"));
        script(shims.resolve("sudo"), "echo \"sudo $*\" >> " + log + "\nexec \"$@\"");

        Result run = run("1000");

        assertThat(run.exit()).as(run.stderr()).isZero();
        assertThat(run.calls()).containsExactly(
                "sudo apt-get update -q",
                "apt-get update -q",
                "sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends chromium chromium-driver",
                "apt-get install -y -q --no-install-recommends chromium chromium-driver",
                "mvn -B -ntp verify");
    }

    @Test
    void neitherRootNorSudoStopsWithOneLineNamingThePackages() throws Exception {
        installAll();
        npmPackagesInstalled();
        Files.delete(installed.resolve("node"));

        Result run = run("1000");

        assertThat(run.exit()).isEqualTo(1);
        assertThat(run.calls()).isEmpty();
        assertThat(run.stderr().strip().lines()).singleElement().asString().contains("nodejs").contains("sudo");
    }

    @Test
    void anOlderJdkOnPathGetsJdk17() throws Exception {
        installAll();
        npmPackagesInstalled();
        script(installed.resolve("javac"), "echo 'javac 11.0.2' >&2");

        Result run = run("0");

        assertThat(run.calls()).contains(
                "apt-get install -y -q --no-install-recommends openjdk-17-jdk-headless", "mvn -B -ntp verify");
    }

    @Test
    void aLockfileNewerThanTheInstalledPackagesReinstallsThem() throws Exception {
        installAll();
        npmPackagesInstalled();
        // the lockfile changed after the install (a checkout's own file times vary, so both are set)
        Files.setLastModifiedTime(repo.resolve("src/test/pglite/package-lock.json"), FileTime.from(Instant.now()));
        Files.setLastModifiedTime(repo.resolve("src/test/pglite/node_modules/.package-lock.json"),
                FileTime.from(Instant.now().minusSeconds(3600)));

        Result run = run("0");

        assertThat(run.calls()).containsExactly("npm ci --no-audit --no-fund", "mvn -B -ntp verify");
    }

    private void installAll() throws IOException {
        for (String tool : ALL_TOOLS) {
            copy(catalog.resolve(tool), installed.resolve(tool));
        }
        Files.writeString(werkzeugMarker, "");
    }

    private void npmPackagesInstalled() throws IOException {
        Path modules = Files.createDirectories(repo.resolve("src/test/pglite/node_modules"));
        Files.writeString(modules.resolve(".package-lock.json"), "{}");
    }

    private Result run(String uid, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(repo.resolve("test").toString()));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile())
                .redirectOutput(dir.resolve("stdout").toFile()).redirectError(dir.resolve("stderr").toFile());
        Map<String, String> env = builder.environment();
        env.clear();
        env.put("PATH", shims + ":" + installed + ":" + dir.resolve("base"));
        env.put("FAKE_UID", uid);
        Process process = builder.start();
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        List<String> calls = Files.exists(log) ? Files.readAllLines(log) : List.of();
        return new Result(process.exitValue(), Files.readString(dir.resolve("stderr")), calls);
    }

    private static boolean systemPythonHasWerkzeug() throws Exception {
        try {
            Process p = new ProcessBuilder("/usr/bin/python3", "-c", "import werkzeug.formparser")
                    .redirectErrorStream(true).start();
            p.getInputStream().transferTo(java.io.OutputStream.nullOutputStream());
            return p.waitFor() == 0;
        } catch (IOException noPython) {
            return false;
        }
    }

    private static void script(Path file, String body) throws IOException {
        Files.writeString(file, "#!/bin/bash\n" + body + "\n", StandardCharsets.UTF_8);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    private static void copy(Path from, Path to) throws IOException {
        Files.copy(from, to, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                java.nio.file.StandardCopyOption.COPY_ATTRIBUTES);
    }
}

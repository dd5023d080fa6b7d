package io.ragsync.ops;

import static org.assertj.core.api.Assertions.assertThat;

import io.ragsync.ops.OpsCredentials;
import io.ragsync.support.HubTestSupport;
import io.ragsync.support.RagflowStub;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * The sync dashboard in a real headless Chromium (Debian packages chromium and chromium-driver, installed by
 * ./test): the operator logs in, sees the failures, clicks the requeue buttons, and the jobs run again; a job whose holder is
 * gone shows it and is released with a click; a held-back reconciliation is approved with a click.
 */
class SyncDashboardBrowserTest extends HubTestSupport {

    private static final String CHROMEDRIVER = System.getProperty("ops.chromedriver", "/usr/bin/chromedriver");
    private static final String CHROMIUM = System.getProperty("ops.chromium", "/usr/bin/chromium");

    @Autowired
    private OpsCredentials credentials;
    private Path profile;
    private WebDriver browser;
    private WebDriverWait wait;

    @BeforeEach
    void startBrowser() throws IOException {
        assertThat(new File(CHROMEDRIVER)).as("chromedriver (apt-get install chromium chromium-driver)").canRead();
        profile = Files.createTempDirectory("ragsync-chromium");
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM);
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-background-networking", "--disable-component-update", "--no-first-run", "--disable-sync",
                "--window-size=1400,1100", "--user-data-dir=" + profile);
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(new File(CHROMEDRIVER)).usingAnyFreePort().build();
        browser = new ChromeDriver(service, options);
        wait = new WebDriverWait(browser, Duration.ofSeconds(30));
    }

    @AfterEach
    void stopBrowser() throws IOException {
        if (browser != null) {
            browser.quit();
        }
        try (Stream<Path> files = Files.walk(profile)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    @Test
    void operatorLogsInSeesFailuresAndRequeuesFromTheDashboard() throws Exception {
        long kb = knowledgeBase("Dashboard");
        long first = document(kb, "First missing", "dash/first.txt");
        long second = document(kb, "Second missing", "dash/second.txt");
        awaitJob(first, "download_failed");
        awaitJob(second, "download_failed");
        RAGFLOW.acceptKey("ragflow-someOtherKey");
        long locked = documentWithFile(kb, "Locked", "dash/locked.txt", "locked out");
        awaitJob(locked, "config_error");

        // the dashboard needs the login: the browser lands on the login form first
        browser.get("http://localhost:" + port + "/ops");
        login();

        try {
            wait.until(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector("#count-download_failed .value"), "2"));
        } catch (RuntimeException e) {
            screenshot("ops-dashboard-failed.png");
            System.err.println("PAGE " + browser.getCurrentUrl() + "\n" + browser.getPageSource());
            throw e;
        }
        assertThat(browser.findElement(By.cssSelector("#count-config_error .value")).getText()).isEqualTo("1");
        assertThat(browser.findElement(By.id("paused")).getText()).contains("RAGFlow jobs are paused");
        WebElement failure = wait.until(ExpectedConditions.presenceOfElementLocated(
                By.id("failures-job-" + latestJob(first).get("id"))));
        assertThat(failure.getText()).contains("First missing").contains("download_failed");
        screenshot("ops-dashboard.png");

        // requeue one document: only that document runs again
        writeFile("dash/first.txt", "now it exists");
        writeFile("dash/second.txt", "this one too");
        RAGFLOW.acceptKey(RagflowStub.API_KEY);
        failure.findElement(By.cssSelector("button.requeue-one")).click();
        assertThat(awaitJob(first, "indexed").get("status")).isEqualTo("indexed");
        assertThat(latestJob(second).get("status")).isEqualTo("download_failed");
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("message"), "Requeued 1 job(s)"));

        // requeue by status
        browser.findElement(By.id("requeue-download-failed")).click();
        assertThat(awaitJob(second, "indexed").get("status")).isEqualTo("indexed");
        browser.findElement(By.id("requeue-config-error")).click();
        assertThat(awaitJob(locked, "indexed").get("status")).isEqualTo("indexed");
        assertThat(jdbc.queryForObject("SELECT count(*) FROM sync_job WHERE status <> 'indexed'"
                + " AND id IN (SELECT max(id) FROM sync_job GROUP BY document_id)", Integer.class)).isZero();

        // and the page shows it on its next refresh
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector("#count-indexed .value"), "3"));
        assertThat(browser.findElement(By.cssSelector("#count-download_failed .value")).getText()).isEqualTo("0");
        // the freshness table: the three documents became searchable within the hour, none is stale
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("freshness"), "Dashboard (#" + kb + ")"));
        List<String> freshness = browser.findElements(By.cssSelector("#freshness tbody tr td")).stream()
                .map(WebElement::getText).toList();
        assertThat(freshness.subList(0, 3)).containsExactly("Dashboard (#" + kb + ")", "backend", "3");
        assertThat(freshness.get(5)).isEqualTo("0");
        screenshot("ops-dashboard-after-requeue.png");
    }

    /**
     * A job whose holder died shows its holder and a lease that ran out, no time estimate, and a Release button that
     * puts it back in the queue; a job whose holder's lease is live has no button.
     */
    @Test
    void operatorSeesAJobWhoseHolderIsGoneAndReleasesIt() throws Exception {
        long kb = knowledgeBase("Holders");
        long gone = documentWithFile(kb, "Holder gone", "holders/gone.txt", "its holder was killed");
        long live = documentWithFile(kb, "Holder alive", "holders/live.txt", "its holder still runs it");
        awaitJob(gone, "indexed");
        awaitJob(live, "indexed");
        // the lease recovery would return the first job within a second here: the operator is faster today
        camel.getRouteController().suspendRoute("job-maintenance");
        try {
            long goneJob = runningJob(gone, "crashed-instance", "now() - interval '3 minutes'");
            long liveJob = runningJob(live, "busy-instance", "now() + interval '10 minutes'");
            browser.get("http://localhost:" + port + "/ops");
            login();

            WebElement goneRow = wait.until(ExpectedConditions.presenceOfElementLocated(By.id("waiting-job-" + goneJob)));
            WebElement liveRow = browser.findElement(By.id("waiting-job-" + liveJob));
            assertThat(goneRow.getText()).contains("crashed-instance").contains("holder gone");
            assertThat(liveRow.getText()).contains("busy-instance").doesNotContain("holder gone");
            assertThat(liveRow.findElements(By.cssSelector("button.release-one"))).isEmpty();
            assertThat(browser.findElement(By.id("progress-text")).getText()).doesNotContain("left");
            screenshot("ops-dashboard-holder-gone.png");

            goneRow.findElement(By.cssSelector("button.release-one")).click();
            wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("message"), "Released job " + goneJob));
            Map<String, Object> released = awaitJob(gone, "indexed");
            assertThat(released.get("id")).isEqualTo(goneJob);
            assertThat(released.get("retry_count")).isEqualTo(0);
            assertThat(jdbc.queryForList("SELECT event FROM sync_job_log WHERE job_id = ?", String.class, goneJob))
                    .contains("released");
            assertThat(latestJob(live).get("status")).isEqualTo("processing");
        } finally {
            jdbc.update("UPDATE sync_job SET status = 'failed', phase = NULL, lease_until = NULL, ended_at = now()"
                    + " WHERE claimed_by = 'busy-instance' AND status = 'processing'");
            camel.getRouteController().resumeRoute("job-maintenance");
        }
    }

    @Test
    void operatorApprovesAHeldBackReconciliation() throws Exception {
        long kb = knowledgeBase("Held");
        long doc = documentWithFile(kb, "Kept", "held/kept.txt", "kept");
        awaitJob(doc, "indexed");
        String dataset = datasetOf(kb);
        String orphan = RAGFLOW.uploadDirectly(dataset, "orphan.txt", "left behind");
        RAGFLOW.backdate(orphan, 3_600_000L);
        // 1 orphan of 2 documents: more than the share a run may delete
        assertThat(httpPost("/api/reconcile?dryRun=false", "").statusCode()).isEqualTo(200);
        long hold = jdbc.queryForObject("SELECT id FROM reconcile_hold WHERE approved_at IS NULL", Long.class);
        assertThat(RAGFLOW.documents(dataset)).hasSize(2);

        browser.get("http://localhost:" + port + "/ops");
        login();
        WebElement row = wait.until(ExpectedConditions.presenceOfElementLocated(By.id("hold-" + hold)));
        assertThat(row.getText()).contains("Held").contains("over-limit");
        row.findElement(By.cssSelector("button.approve-hold")).click();
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("holds-message"), "Hold " + hold + " approved"));
        assertThat(RAGFLOW.documents(dataset)).extracting(d -> d.get("id")).doesNotContain(orphan).hasSize(1);
        assertThat(jdbc.queryForObject("SELECT approved_by FROM reconcile_hold WHERE id = ?", String.class, hold))
                .startsWith("operator");
    }

    /** A new job of the document, running on another instance with the given lease; returns its id. */
    private long runningJob(long document, String holder, String leaseUntil) {
        return jdbc.queryForObject("INSERT INTO sync_job (document_id, knowledge_base_id, op, status, phase, claimed_by,"
                + " claim_token, started_at, lease_until) SELECT id, knowledge_base_id, 'upsert', 'processing', 'sync', ?,"
                + " 'another-process', now() - interval '4 minutes', " + leaseUntil + " FROM document WHERE id = ?"
                + " RETURNING id", Long.class, holder, document);
    }

    @Test
    void hawtioShowsTheRoutesAndItsJolokiaCallsNeedTheSessionsCsrfToken() {
        browser.get("http://localhost:" + port + "/actuator/hawtio/");
        login();
        browser.get("http://localhost:" + port + "/actuator/hawtio/camel/contexts");
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.tagName("body"), "ops-refresh-metrics"));
        assertThat(browser.findElement(By.tagName("body")).getText()).contains("sync-job").contains("job-poller");

        // what the console's buttons do: a Jolokia POST with the session and the XSRF-TOKEN cookie's value
        String suspend = "{\"type\":\"exec\",\"mbean\":\"org.apache.camel:context=ragsync,type=routes,"
                + "name=\\\"ops-metrics-timer\\\"\",\"operation\":\"suspend()\"}";
        Object withoutToken = jolokiaPost(suspend, false);
        assertThat(withoutToken).isEqualTo("403");
        assertThat(camel.getRouteController().getRouteStatus("ops-metrics-timer").isStarted()).isTrue();
        Object withToken = jolokiaPost(suspend, true);
        assertThat(String.valueOf(withToken)).contains("\"status\":200");
        assertThat(camel.getRouteController().getRouteStatus("ops-metrics-timer").isSuspended()).isTrue();
        jolokiaPost(suspend.replace("suspend()", "resume()"), true);
        assertThat(camel.getRouteController().getRouteStatus("ops-metrics-timer").isStarted()).isTrue();
    }

    private void login() {
        wait.until(ExpectedConditions.presenceOfElementLocated(By.name("username"))).sendKeys(credentials.user());
        browser.findElement(By.name("password")).sendKeys(credentials.password());
        browser.findElement(By.cssSelector("button[type=submit]")).click();
        wait.until(d -> !d.getCurrentUrl().contains("/login"));
    }

    private Object jolokiaPost(String body, boolean withToken) {
        return ((org.openqa.selenium.JavascriptExecutor) browser).executeAsyncScript(
                "var done = arguments[arguments.length - 1];"
                + "var token = (document.cookie.match(/XSRF-TOKEN=([^;]+)/) || [])[1];"
                + "var headers = {'Content-Type': 'application/json'};"
                + "if (arguments[1]) { headers['X-XSRF-TOKEN'] = decodeURIComponent(token); }"
                + "fetch('/actuator/jolokia', {method: 'POST', credentials: 'same-origin', headers: headers, body: arguments[0]})"
                + ".then(function (r) { return r.status === 200 ? r.text() : String(r.status); }).then(done);",
                body, withToken);
    }

    private void screenshot(String name) throws IOException {
        Path target = Path.of("target", name);
        Files.createDirectories(target.getParent());
        Files.copy(((TakesScreenshot) browser).getScreenshotAs(OutputType.FILE).toPath(), target,
                StandardCopyOption.REPLACE_EXISTING);
    }
}

package io.ragsync.sources.rest;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

import io.ragsync.ops.OpsCredentials;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * The dashboard's source sections in headless Chromium: the operator sees a refused and a skipped drop file with
 * their reasons and a failing REST source, follows the source's link to its backoffice row, and comes back.
 */
class SourcesDashboardBrowserTest extends RestSourceTestSupport {

    @Autowired
    OpsCredentials opsCredentials;

    @Test
    void theOperatorSeesDropRefusalsAndAFailingSourceAndMovesBetweenOpsAndBackoffice() throws Exception {
        drop("Board/setup.exe", "MZ");
        drop("Board/.DS_Store", "finder");
        eventually(() -> jdbc.queryForObject("SELECT count(*) FROM drop_file", Integer.class) == 2);
        API.wireMock().stubFor(get(urlPathEqualTo("/products")).atPriority(1)
                .willReturn(aResponse().withStatus(502).withBody("bad gateway")));
        long source = createSource("Acme Products", productsConfig());
        assertThat(batch(source)).containsEntry("ok", false);

        try (HeadlessChromium chromium = new HeadlessChromium()) {
            ChromeDriver driver = chromium.driver();
            WebDriverWait wait = new WebDriverWait(driver, Duration.ofSeconds(20));
            driver.get("http://localhost:" + port + "/ops");
            wait.until(ExpectedConditions.presenceOfElementLocated(By.name("username"))).sendKeys(opsCredentials.user());
            driver.findElement(By.name("password")).sendKeys(opsCredentials.password());
            driver.findElement(By.cssSelector("button[type=submit]")).click();

            wait.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("#drop-files tr.drop-rejected")));
            WebElement refused = driver.findElement(By.cssSelector("#drop-files tr.drop-rejected"));
            assertThat(refused.getText()).contains("Board/setup.exe").contains("unsupported file type");
            assertThat(driver.findElement(By.cssSelector("#drop-files tr.drop-skipped")).getText())
                    .contains("Board/.DS_Store").contains("hidden file");
            assertThat(driver.findElement(By.cssSelector("#drop-rejected .value")).getText()).isEqualTo("1");
            assertThat(driver.findElement(By.cssSelector("#drop-skipped .value")).getText()).isEqualTo("1");

            WebElement row = wait.until(ExpectedConditions.presenceOfElementLocated(By.id("rest-source-" + source)));
            assertThat(row.getAttribute("class")).contains("failing");
            assertThat(row.getText()).contains("Acme Products").contains("HTTP 502");
            row.findElement(By.cssSelector("a.backoffice-link")).click();

            wait.until(ExpectedConditions.urlContains("/backoffice/rest-sources#source-" + source));
            driver.findElement(By.id("token")).sendKeys(ADMIN_TOKEN);
            driver.findElement(By.id("use-token")).click();
            WebElement backofficeRow = wait.until(ExpectedConditions.presenceOfElementLocated(By.id("source-" + source)));
            assertThat(backofficeRow.getAttribute("class")).contains("target");
            backofficeRow.findElement(By.cssSelector("a.ops-link")).click();

            wait.until(ExpectedConditions.urlContains("/ops#rest-source-" + source));
            wait.until(d -> d.findElement(By.id("rest-source-" + source)).getAttribute("class").contains("target"));
        }
    }

    private static void drop(String relativePath, String content) throws Exception {
        Path file = STORAGE.resolve("inbox").resolve(relativePath);
        Files.createDirectories(file.getParent());
        Files.writeString(file, content, StandardCharsets.UTF_8);
        Files.setLastModifiedTime(file, FileTime.from(Instant.now().minusSeconds(5)));
    }
}

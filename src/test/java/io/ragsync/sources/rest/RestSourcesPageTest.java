package io.ragsync.sources.rest;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.Alert;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/** The backoffice page /backoffice/rest-sources in a real (headless) Chromium: sign in, list, Sync, Delete, form. */
class RestSourcesPageTest extends RestSourceTestSupport {

    @Test
    void syncAndDeleteWorkInARealBrowser() throws Exception {
        long products = createSource("Acme Products", productsConfig());
        long orders = createSource("Orders", ordersConfig());

        try (HeadlessChromium chromium = new HeadlessChromium()) {
            ChromeDriver driver = chromium.driver();
            WebDriverWait wait = new WebDriverWait(driver, Duration.ofSeconds(20));
            driver.get("http://localhost:" + port + "/backoffice/rest-sources");
            assertThat(driver.getTitle()).isEqualTo("REST sources · RAGSync backoffice");
            assertThat(driver.findElements(By.cssSelector("#sources tbody tr"))).isEmpty();

            // a wrong token: the API's 401 message is shown, no source
            driver.findElement(By.id("token")).sendKeys("not-the-token");
            driver.findElement(By.id("use-token")).click();
            wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("auth-state"), "the admin token is not valid"));
            assertThat(driver.findElements(By.cssSelector("#sources tbody tr"))).isEmpty();

            driver.findElement(By.id("token")).sendKeys(ADMIN_TOKEN);
            driver.findElement(By.id("use-token")).click();
            wait.until(ExpectedConditions.numberOfElementsToBe(By.cssSelector("#sources tbody tr"), 2));
            WebElement productsRow = row(driver, products);
            assertThat(productsRow.findElement(By.cssSelector("td.title")).getText()).isEqualTo("Acme Products");
            assertThat(productsRow.findElement(By.cssSelector("td.pages")).getText()).isEqualTo("0");

            // Sync: one batch, the toast says url → next, the metrics follow
            productsRow.findElement(By.cssSelector("button.sync")).click();
            wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("toast"),
                    API.baseUrl() + "/products?skip=0&limit=5 → 5"));
            wait.until(d -> "1".equals(row(driver, products).findElement(By.cssSelector("td.pages")).getText()));
            assertThat(row(driver, products).findElement(By.cssSelector("td.items")).getText()).isEqualTo("5");
            assertThat(row(driver, products).findElement(By.cssSelector("td.last-status")).getText()).isEqualTo("ok (200)");
            assertThat(cursor(products)).containsEntry("next_cursor", "5").containsEntry("page_count", 1L);
            row(driver, products).findElement(By.cssSelector("button.sync")).click();
            wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("toast"),
                    API.baseUrl() + "/products?skip=5&limit=5 → 10"));
            assertThat(cursor(products)).containsEntry("page_count", 2L);

            // the form: bad config is refused with the API's field errors, a good one is saved
            driver.findElement(By.id("add-source")).click();
            driver.findElement(By.id("tenantId")).sendKeys("tenant-b");
            driver.findElement(By.id("title")).sendKeys("Events");
            WebElement config = driver.findElement(By.id("config"));
            config.clear();
            config.sendKeys("{\"baseUrl\": \"" + API.baseUrl() + "/events\", \"cursorStyle\": \"link\"}");
            driver.findElement(By.id("save-source")).click();
            wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("form-errors"), "config.itemsPath: is required"));
            assertThat(driver.findElement(By.id("form-errors")).getText()).contains("config.textFields: is required");
            config.clear();
            config.sendKeys(JSON.writeValueAsString(eventsConfig()));
            driver.findElement(By.id("save-source")).click();
            wait.until(ExpectedConditions.numberOfElementsToBe(By.cssSelector("#sources tbody tr"), 3));
            assertThat(jdbc.queryForObject("SELECT tenant_id FROM kb_sources WHERE title = 'Events'", String.class)).isEqualTo("tenant-b");

            String screenshot = System.getProperty("backoffice.screenshot");
            if (screenshot != null) {
                Files.write(Path.of(screenshot), driver.getScreenshotAs(OutputType.BYTES));
            }
            // no secret ever reaches the browser
            assertThat(driver.getPageSource()).doesNotContain(ACME_SECRET);

            // Delete asks first; dismissed = nothing happens; accepted = gone (rows and downstream)
            row(driver, orders).findElement(By.cssSelector("button.delete")).click();
            Alert dismissed = wait.until(ExpectedConditions.alertIsPresent());
            assertThat(dismissed.getText()).contains("Delete \"Orders\"");
            dismissed.dismiss();
            assertThat(jdbc.queryForObject("SELECT count(*) FROM kb_sources WHERE id = ?", Integer.class, orders)).isEqualTo(1);
            row(driver, orders).findElement(By.cssSelector("button.delete")).click();
            wait.until(ExpectedConditions.alertIsPresent()).accept();
            wait.until(ExpectedConditions.numberOfElementsToBe(By.cssSelector("#sources tbody tr"), 2));
            wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("toast"), "Deleted \"Orders\""));
            assertThat(jdbc.queryForObject("SELECT count(*) FROM kb_sources WHERE id = ?", Integer.class, orders)).isZero();
            assertThat(jdbc.queryForObject("SELECT count(*) FROM kb_rest_cursors WHERE source_id = ?", Integer.class, orders)).isZero();
        }
    }

    private static WebElement row(ChromeDriver driver, long id) {
        return driver.findElement(By.cssSelector("#sources tbody tr[data-id='" + id + "']"));
    }
}

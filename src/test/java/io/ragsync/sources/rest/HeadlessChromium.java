package io.ragsync.sources.rest;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.stream.Stream;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * A headless Chromium driven by the Debian chromedriver (packages chromium + chromium-driver, installed by
 * ./test), with a fresh profile per instance and nothing that calls home. Paths can be overridden with the
 * system properties chromium.binary and chromedriver.binary.
 */
final class HeadlessChromium implements AutoCloseable {

    private final Path profile;
    private final ChromeDriver driver;

    HeadlessChromium() {
        Path browser = Path.of(System.getProperty("chromium.binary", "/usr/bin/chromium"));
        Path chromedriver = Path.of(System.getProperty("chromedriver.binary", "/usr/bin/chromedriver"));
        if (!Files.isExecutable(browser) || !Files.isExecutable(chromedriver)) {
            throw new IllegalStateException("headless Chromium needs " + browser + " and " + chromedriver
                    + ": apt-get install chromium chromium-driver (./test does it)");
        }
        try {
            profile = Files.createTempDirectory("ragsync-chromium-profile");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        ChromeOptions options = new ChromeOptions();
        options.setBinary(browser.toFile());
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-background-networking", "--disable-component-update", "--no-first-run", "--disable-sync",
                "--window-size=1400,900", "--user-data-dir=" + profile);
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(chromedriver.toFile()).usingAnyFreePort().build();
        driver = new ChromeDriver(service, options);
        driver.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(30));
    }

    ChromeDriver driver() {
        return driver;
    }

    @Override
    public void close() {
        try {
            driver.quit();
        } finally {
            try (Stream<Path> files = Files.walk(profile)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            } catch (IOException ignored) {
                // a temp dir left behind is harmless
            }
        }
    }
}

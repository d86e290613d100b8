package org.dbreplication.web;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.logging.Level;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * Debian's Chromium driven by its chromedriver (bin/ensure-browser installs both): given both paths, Selenium never
 * runs Selenium Manager, which would try to download a browser. Headless; no sandbox since CI runs as root; /tmp
 * instead of a small /dev/shm in containers.
 */
final class HeadlessChromium implements AutoCloseable {

    static final String BROWSER = "/usr/bin/chromium";
    static final String DRIVER = "/usr/bin/chromedriver";
    // Selenium warns at start when it has no CDP module for this browser's version: the test uses none
    private static final java.util.logging.Logger CDP_FINDER =
            java.util.logging.Logger.getLogger("org.openqa.selenium.devtools.CdpVersionFinder");
    private final ChromeDriver driver;

    HeadlessChromium() {
        CDP_FINDER.setLevel(Level.SEVERE);
        ChromeOptions options = new ChromeOptions();
        options.setBinary(BROWSER);
        // en-US: the page formats numbers and dates with the browser's locale
        options.addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=1280,1600",
                "--lang=en-US");
        // the console, read by severeConsoleEntries()
        LoggingPreferences logs = new LoggingPreferences();
        logs.enable(LogType.BROWSER, Level.ALL);
        options.setCapability("goog:loggingPrefs", logs);
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(new File(DRIVER))
                .usingAnyFreePort().build();
        driver = new ChromeDriver(service, options);
    }

    ChromeDriver driver() {
        return driver;
    }

    /** Waits (polling) until {@code script} returns true in the page, up to 30 s. */
    void waitUntil(String what, String script) {
        new WebDriverWait(driver, Duration.ofSeconds(30)).withMessage(what)
                .until(d -> Boolean.TRUE.equals(((JavascriptExecutor) d).executeScript(script)));
    }

    /**
     * The value of {@code expression} as JSON text: read in one go, so that a refresh of the page (every 5 s) never
     * mixes two states, and with the numbers as JavaScript wrote them.
     */
    String json(String expression) {
        return (String) driver.executeScript("return JSON.stringify(" + expression + ");");
    }

    /** The console's errors since the last call (the browser's log is read once). */
    List<String> severeConsoleEntries() {
        return driver.manage().logs().get(LogType.BROWSER).getAll().stream()
                .filter(e -> e.getLevel().intValue() >= Level.SEVERE.intValue()).map(LogEntry::toString).toList();
    }

    /** A screenshot of the whole page: the window is made as tall as the page first. */
    Path screenshot(Path file) throws IOException {
        long height = (Long) driver.executeScript("return document.documentElement.scrollHeight;");
        driver.manage().window().setSize(new Dimension(1280, (int) Math.min(height + 200, 6000)));
        Files.createDirectories(file.toAbsolutePath().getParent());
        Files.copy(driver.getScreenshotAs(OutputType.FILE).toPath(), file, StandardCopyOption.REPLACE_EXISTING);
        return file.toAbsolutePath();
    }

    @Override
    public void close() {
        driver.quit();
    }
}

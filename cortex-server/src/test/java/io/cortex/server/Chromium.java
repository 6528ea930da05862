package io.cortex.server;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.logging.Level;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;
import org.opentest4j.AssertionFailedError;
import org.opentest4j.TestAbortedException;

/**
 * The headless Chromium a browser test class drives: the machine's own browser and driver (Debian's
 * {@code chromium} and {@code chromium-driver}: {@code /usr/bin/chromium}, {@code /usr/bin/chromedriver};
 * {@code CORTEX_CHROMIUM} / {@code CORTEX_CHROMEDRIVER} point elsewhere), never one downloaded at run
 * time: both paths are given to Selenium, so Selenium Manager is not consulted. One browser per
 * class, with a fresh profile, the browser console captured, screenshots under
 * {@code target/screenshots/}.
 *
 * <p>Where either is missing the class is skipped with a loud banner; with
 * {@code CORTEX_REQUIRE_BROWSER=true} (CI sets it) it fails instead.
 *
 * <pre>{@code @RegisterExtension static final Chromium BROWSER = new Chromium();}</pre>
 */
final class Chromium implements BeforeAllCallback, BeforeEachCallback, AfterAllCallback {
    static final Path SCREENSHOTS = Path.of("target", "screenshots");

    private ChromeDriver driver;
    private Path profile;
    private TestAbortedException skip;

    static String setting(String name, String fallback) {
        String v = System.getProperty(name);
        if (v == null || v.isBlank() || v.startsWith("${")) {
            v = System.getenv(name);
        }
        return v == null || v.isBlank() ? fallback : v.trim();
    }

    static boolean required() {
        return Boolean.parseBoolean(setting("CORTEX_REQUIRE_BROWSER", "false").toLowerCase(Locale.ROOT));
    }

    /**
     * Fails (when required) or skips (otherwise) the browser tests, saying so loudly.
     *
     * @throws AssertionFailedError when a browser is required
     * @throws TestAbortedException otherwise
     */
    static void unavailable(String why, boolean required, PrintStream out) {
        String banner = "\n" + "=".repeat(100) + "\n"
                + (required ? "!!! CHROMIUM IS REQUIRED (CORTEX_REQUIRE_BROWSER=true) BUT UNUSABLE: FAILING THE BROWSER TESTS"
                        : "!!! CHROMIUM UNUSABLE: SKIPPING THE BROWSER TESTS OF THE CONSOLE") + "\n"
                + "!!! " + why + "\n"
                + "!!! install Debian's packages (apt-get install chromium chromium-driver), or set CORTEX_CHROMIUM and\n"
                + "!!! CORTEX_CHROMEDRIVER to a Chromium and the chromedriver of the same version\n"
                + "=".repeat(100);
        out.println(banner);
        if (required) {
            throw new AssertionFailedError("a browser is required for the console tests but " + why);
        }
        throw new TestAbortedException("browser tests skipped: " + why);
    }

    @Override
    public void beforeAll(ExtensionContext context) throws IOException {
        Path browser = Path.of(setting("CORTEX_CHROMIUM", "/usr/bin/chromium"));
        Path chromedriver = Path.of(setting("CORTEX_CHROMEDRIVER", "/usr/bin/chromedriver"));
        try {
            if (!Files.isExecutable(browser)) {
                unavailable("no Chromium at " + browser, required(), System.err);
            }
            if (!Files.isExecutable(chromedriver)) {
                unavailable("no chromedriver at " + chromedriver, required(), System.err);
            }
        } catch (TestAbortedException e) {
            skip = e;
            return;
        }
        Files.createDirectories(SCREENSHOTS);
        profile = Files.createTempDirectory(Path.of("target"), "chromium-profile-");
        ChromeOptions options = new ChromeOptions();
        options.setBinary(browser.toFile());
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--disable-dev-shm-usage", "--window-size=1440,1000", "--user-data-dir=" + profile.toAbsolutePath());
        LoggingPreferences logs = new LoggingPreferences();
        logs.enable(LogType.BROWSER, Level.ALL);
        options.setCapability("goog:loggingPrefs", logs);
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(chromedriver.toFile())
                .usingAnyFreePort().build();
        try {
            driver = new ChromeDriver(service, options);
        } catch (RuntimeException e) {
            deleteProfile();
            try {
                unavailable("Chromium did not start: " + e.getMessage().lines().findFirst().orElse(""), required(), System.err);
            } catch (TestAbortedException aborted) {
                skip = aborted;
                return;
            }
        }
        driver.manage().timeouts().scriptTimeout(Duration.ofSeconds(10));
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        if (skip != null) {
            throw skip;
        }
    }

    @Override
    public void afterAll(ExtensionContext context) {
        if (driver != null) {
            driver.quit();
            driver = null;
        }
        deleteProfile();
    }

    private void deleteProfile() {
        if (profile == null) {
            return;
        }
        try (Stream<Path> files = Files.walk(profile)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // a profile left in target/ is harmless
        }
        profile = null;
    }

    /** The driver. */
    ChromeDriver driver() {
        return driver;
    }

    /**
     * Saves a screenshot as {@code target/screenshots/<name>.png}: the whole page (up to 4,000 pixels
     * tall), or the window when a dialog is open (its backdrop covers the window only).
     */
    Path screenshot(String name) {
        Number width = (Number) driver.executeScript("return document.documentElement.clientWidth");
        Number height = (Number) driver.executeScript("return document.querySelector('dialog[open]') ? window.innerHeight"
                + " : Math.max(document.documentElement.scrollHeight, document.body.scrollHeight, window.innerHeight)");
        Map<String, Object> clip = Map.of("x", 0, "y", 0, "width", width, "height", Math.min(height.intValue(), 4000), "scale", 1);
        Map<String, Object> shot = driver.executeCdpCommand("Page.captureScreenshot",
                Map.of("format", "png", "captureBeyondViewport", true, "clip", clip));
        Path file = SCREENSHOTS.resolve(name + ".png");
        try {
            Files.write(file, Base64.getDecoder().decode((String) shot.get("data")));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return file;
    }

    /** The browser console's entries since the last call, as "LEVEL message". */
    List<String> console() {
        List<String> out = new ArrayList<>();
        for (LogEntry e : driver.manage().logs().get(LogType.BROWSER)) {
            out.add(e.getLevel() + " " + e.getMessage());
        }
        return out;
    }

    /** The browser console's errors since the last call. */
    List<String> consoleErrors() {
        return console().stream().filter(l -> l.startsWith(Level.SEVERE.getName())).toList();
    }

    /** Runs a script in the page and returns its value (ChromeDriver's scripts are not bound by the page's CSP). */
    Object script(String js, Object... args) {
        return driver.executeScript(js, args);
    }
}

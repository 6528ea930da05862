package io.cortex.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.NoSuchElementException;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.TimeoutException;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The operator console in a real headless Chromium against a real server: pages load without a
 * console error, jobs move on the page as the engine moves them (no reload), a failover shows its
 * reason on the timeline, actions work from the page and report the server's own words when refused,
 * charts draw for every range and an empty range says so, a read-only key sees no action, a failed
 * webhook delivery is redelivered from the page, a provider without a wallet says so without asking
 * for one. Every wait is bounded; screenshots land in {@code target/screenshots/}.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ConsoleBrowserTest {
    private static final Duration WAIT = Duration.ofSeconds(15);

    @RegisterExtension
    static final Chromium BROWSER = new Chromium();

    private static ConsoleStage stage;
    private ChromeDriver driver;

    @BeforeAll
    static void start() {
        if (BROWSER.driver() != null) { // else every test reports itself skipped (or failed, when a browser is required)
            stage = new ConsoleStage(RateLimit.unlimited());
        }
    }

    @AfterAll
    static void stop() {
        if (stage != null) {
            stage.close();
        }
    }

    @BeforeEach
    void browser() {
        driver = BROWSER.driver();
        BROWSER.console(); // forget what earlier tests left in the browser console
    }

    @Test
    @Order(1)
    void everyPageLoadsWithoutAConsoleError() {
        String failed = stage.submit("{\"image\":\"acme/broken:7\",\"maxAttempts\":1,\"labels\":{\"team\":\"reports\"}}");
        stage.submit("{\"image\":\"ghcr.io/acme/train:1.4\",\"resources\":{\"cpu\":2000,\"memory\":\"4Gi\",\"storage\":\"20Gi\"},"
                + "\"labels\":{\"team\":\"ml\"}}");
        stage.advance(Duration.ofSeconds(11));
        stage.advance(Duration.ofSeconds(21));
        stage.submit("{\"image\":\"acme/etl:2\",\"labels\":{\"team\":\"data\"}}");

        signIn(stage, stage.admin);
        for (String[] page : new String[][] {{"", "overview"}, {"jobs", "jobs"}, {"jobs/" + failed, "job"},
                {"providers", "providers"}, {"webhooks", "webhooks"}, {"system", "system"}}) {
            open(page[0]);
            BROWSER.screenshot(String.format("%02d-%s", List.of("overview", "jobs", "job", "providers", "webhooks", "system")
                    .indexOf(page[1]) + 1, page[1]));
        }
        open("webhooks");
        click("tr[data-url$='/down'] a"); // the endpoint answering 503
        settle();
        click(".deliveries li[data-status] summary");
        assertThat(text(".deliveries details[open] table.attempts"))
                .contains("throttled").contains("503").contains("maintenance until 03:00");
        BROWSER.screenshot("07-webhook-deliveries");

        assertThat(BROWSER.consoleErrors()).isEmpty();
        assertThat(driver.findElement(By.id("live")).getAttribute("data-status")).as("live updates come from the event stream")
                .isEqualTo("open");
    }

    @Test
    @Order(2)
    void aSubmittedJobAppearsAndReachesSucceededWithoutAReload() {
        signIn(stage, stage.admin);
        open("jobs");
        js("window.__sameDocument = 'yes'");

        String id = stage.submit("{\"image\":\"acme/nightly-etl:4\",\"labels\":{\"team\":\"data\"}}");
        assertThat(text("tr[data-job-id='" + id + "']")).containsAnyOf("pending", "assigned");

        stage.advance(Duration.ofSeconds(11));
        waitFor(By.cssSelector("tr[data-job-id='" + id + "'][data-state='running']"));
        stage.advance(Duration.ofSeconds(21));
        String done = text("tr[data-job-id='" + id + "'][data-state='succeeded']");

        assertThat(done).contains("succeeded").contains("COMPLETED");
        assertThat(js("return window.__sameDocument")).as("the page was never reloaded").isEqualTo("yes");
        BROWSER.screenshot("10-job-succeeded-live");
        assertThat(BROWSER.consoleErrors()).isEmpty();
    }

    @Test
    @Order(3)
    void aFailoverShowsItsReasonOnTheTimeline() {
        String id = stage.submit("{\"image\":\"acme/stuck:1\",\"maxAttempts\":3}");
        assertThat(stage.job(id).path("provider").asText()).as("alpha is the cheaper").isEqualTo("alpha");
        signIn(stage, stage.admin);
        open("jobs/" + id);
        js("window.__sameDocument = 'yes'");

        stage.advance(Duration.ofMinutes(5).plusSeconds(1)); // past the pending timeout: fails over to beta

        assertThat(text(".timeline li.failover[data-reason='STUCK_PENDING']"))
                .contains("assigned").contains("pending").contains("failover").contains("STUCK_PENDING")
                .contains("the provider accepted the job but did not start it within the pending timeout");
        waitFor(By.cssSelector(".timeline li[data-reason='PLACED'] ~ li[data-reason='STUCK_PENDING'] ~ li[data-reason='PLACED']"));
        assertThat(text(".page-header")).contains("on beta");
        assertThat(js("return window.__sameDocument")).isEqualTo("yes");
        BROWSER.screenshot("11-failover-timeline");
        assertThat(BROWSER.consoleErrors()).isEmpty();
    }

    @Test
    @Order(4)
    void aFailedJobIsResubmittedFromThePage() {
        String id = stage.submit("{\"image\":\"acme/broken:8\",\"maxAttempts\":1}");
        stage.advance(Duration.ofSeconds(11)); // alpha starts it and it exits 2 at once
        stage.advance(Duration.ofSeconds(21));
        assertThat(stage.job(id).path("state").asText()).isEqualTo("failed");
        signIn(stage, stage.admin);
        open("jobs/" + id);

        click("#page button[data-label='Resubmit']");
        WebElement dialog = waitFor(By.cssSelector("dialog.modal[open]"));
        new Select(dialog.findElement(By.name("provider"))).selectByValue("beta");
        BROWSER.screenshot("12-resubmit-dialog");
        dialog.findElement(By.cssSelector("button[type=submit]")).click();

        waitFor(By.cssSelector(".toast"));
        wait(d -> !"failed".equals(d.findElement(By.id("page")).getAttribute("data-state")));
        assertThat(text(".timeline li[data-to='pending'][data-reason='USER_REQUEST']")).contains("failed").contains("pending").contains("resubmitted to beta");
        assertThat(stage.job(id).path("state").asText()).isIn("pending", "assigned");
        assertThat(stage.job(id).path("attempts").path(1).path("provider").asText()).as("placed on the provider asked for")
                .isEqualTo("beta");
        BROWSER.screenshot("13-resubmitted");
        assertThat(BROWSER.consoleErrors()).isEmpty();
    }

    @Test
    @Order(5)
    void aRefusedChangeShowsTheServersDetailAndChangesNothing() {
        // may run only on alpha for 1000 h at 0.10 USDC/h: 100 USDC, and alpha's wallet holds 50: it waits
        String id = stage.submit("{\"image\":\"acme/simulate:1\",\"maxRunTime\":\"PT1000H\",\"constraints\":{\"allow\":[\"alpha\"]}}");
        signIn(stage, stage.admin);
        open("jobs/" + id);
        waitFor(By.cssSelector(".timeline li[data-reason='INSUFFICIENT_FUNDS'] details.placement[open]"));

        click("#page button[data-label='Update resources']");
        WebElement dialog = waitFor(By.cssSelector("dialog.modal[open]"));
        WebElement memory = dialog.findElement(By.name("memory"));
        memory.clear();
        memory.sendKeys("12Zi");
        dialog.findElement(By.cssSelector("button[type=submit]")).click();

        assertThat(text("dialog.modal[open] .problem")).contains("Invalid request").contains("memory '12Zi' is not a valid quantity")
                .contains("unknown suffix 'Zi'");
        BROWSER.screenshot("14-refused-change");
        assertThat(stage.job(id).path("spec").path("resources").path("memory").asText()).as("unchanged").isEqualTo("256Mi");

        memory.clear();
        memory.sendKeys("2Gi");
        dialog.findElement(By.cssSelector("button[type=submit]")).click();
        waitFor(By.cssSelector(".toast"));
        assertThat(stage.job(id).path("spec").path("resources").path("memory").asText()).isEqualTo("2Gi");
        BROWSER.consoleErrors(); // the 400 above is logged by the browser, as it should be
    }

    @Test
    @Order(6)
    void aChartDrawsForEveryRangeAndAnEmptyRangeSaysSo() {
        try (ConsoleStage fresh = new ConsoleStage(RateLimit.unlimited())) {
            signIn(fresh, fresh.admin);
            open("");
            for (String range : List.of("1h", "24h", "7d")) {
                pick(range);
                assertThat(text(".charts-body[data-range='" + range + "'][data-state='empty']")).startsWith("No data for the last").contains("yet.")
                        .contains("The engine records one sample a minute");
                assertThat(driver.findElements(By.cssSelector(".charts-body canvas"))).isEmpty();
            }
            BROWSER.screenshot("20-charts-empty");
            assertThat(BROWSER.consoleErrors()).isEmpty();
            // leave the page before its server goes away: a server closed under a live event stream can cut the
            // chunked response, which the browser reports as an error that is not the page's
            driver.navigate().to("about:blank");
        }

        stage.submit("{\"image\":\"acme/stuck:2\"}");
        stage.advance(Duration.ofMinutes(5).plusSeconds(1)); // a failover for the chart
        for (int i = 0; i < 3; i++) {
            stage.advance(Duration.ofMinutes(1));
        }
        signIn(stage, stage.admin);
        open("");
        for (String range : List.of("1h", "24h", "7d")) {
            pick(range);
            waitFor(By.cssSelector(".charts-body[data-range='" + range + "'][data-state='drawn']"));
            for (String chart : List.of("jobs-by-state", "throughput", "failovers", "provider-status", "deliveries")) {
                WebElement canvas = waitFor(By.cssSelector("figure[data-chart='" + chart + "'] canvas"));
                assertThat(canvas.getSize().getWidth()).as(chart).isGreaterThan(200);
            }
            BROWSER.screenshot("21-charts-" + range);
        }
        assertThat(text("figure[data-chart='failovers'] figcaption"))
                .as("the stuck job's failover is counted").containsPattern("[1-9]\\d* failovers? in this range");
        assertThat(BROWSER.consoleErrors()).isEmpty();
    }

    @Test
    @Order(7)
    void aReadOnlyKeySeesEverythingAndNoAction() {
        String failed = stage.submit("{\"image\":\"acme/broken:9\",\"maxAttempts\":1}");
        stage.advance(Duration.ofSeconds(11));
        stage.advance(Duration.ofSeconds(21));
        String waiting = stage.submit("{\"image\":\"acme/simulate:2\",\"maxRunTime\":\"PT1000H\",\"constraints\":{\"allow\":[\"alpha\"]}}");

        signIn(stage, stage.reader);
        assertThat(text("#who")).contains("dashboard viewer").contains("read");
        for (String page : List.of("", "jobs", "jobs/" + failed, "jobs/" + waiting, "providers", "webhooks",
                "webhooks/" + stage.downId, "system")) {
            open(page);
            assertThat(driver.findElements(By.cssSelector("#page button.action"))).as(page).isEmpty();
            for (String label : List.of("Resubmit", "Cancel", "Update resources", "Top up", "Refresh auth", "Restart",
                    "Pause deliveries", "Redeliver")) {
                assertThat(driver.findElements(By.cssSelector("#page button[data-label='" + label + "']"))).as(page + ": " + label)
                        .isEmpty();
            }
        }
        open("jobs/" + failed);
        assertThat(text(".timeline")).contains("JOB_FAILED");
        BROWSER.screenshot("30-read-only-job");
        open("providers");
        assertThat(driver.findElements(By.cssSelector("section.provider"))).hasSize(2);
        BROWSER.screenshot("31-read-only-providers");

        signIn(stage, stage.admin); // the same pages offer them to an admin
        open("jobs/" + failed);
        assertThat(texts("#page button.action")).contains("Resubmit");
        open("providers");
        wait(d -> texts("#page button.action").containsAll(List.of("Top up", "Refresh auth")));
        open("webhooks/" + stage.downId);
        assertThat(texts("#page button.action")).contains("Redeliver");
        assertThat(BROWSER.consoleErrors()).isEmpty();
    }

    @Test
    @Order(8)
    void aProviderGoingOfflineAndBackShowsInItsStatusHistory() {
        signIn(stage, stage.reader);
        open("providers");
        js("window.__sameDocument = 'yes'");

        stage.alpha.goOffline();
        stage.advance(Duration.ofMinutes(1));
        stage.advance(Duration.ofMinutes(1)); // two checks agree: the monitor's hysteresis lets it change
        String offline = "section.provider[data-provider='alpha'][data-status='offline']";
        assertThat(text(offline + " .history li[data-to='offline']")).contains("online").contains("offline")
                .contains("PROVIDER_OFFLINE");
        assertThat(text(offline + " .status-line")).contains("Offline since");
        assertThat(text(offline + " .wallet-error")).as("the server's words, not a blank").contains("offline");
        BROWSER.screenshot("32-provider-offline");

        stage.alpha.goOnline();
        stage.advance(Duration.ofMinutes(1));
        stage.advance(Duration.ofMinutes(1));
        waitFor(By.cssSelector("section.provider[data-provider='alpha'][data-status='online'] .history li[data-to='online']"));
        assertThat(js("return [...document.querySelectorAll(\"section.provider[data-provider='alpha'] .history li\")]"
                + ".map(li => li.dataset.to)")).as("newest first").asList().startsWith("online", "offline");
        assertThat(js("return window.__sameDocument")).isEqualTo("yes");
        assertThat(BROWSER.consoleErrors()).as("only the offline provider's wallet could not be read")
                .allMatch(e -> e.contains("/providers/alpha/wallet") && e.contains("503"));
    }

    @Test
    @Order(9)
    void aWrongKeyIsRefusedInTheServersWords() {
        signedOut(stage);
        waitFor(By.id("api-key")).sendKeys("ctx_wrong_key");
        driver.findElement(By.id("signin-submit")).click();

        assertThat(text("#signin-error .problem")).contains("Unauthorized").contains("the API key is not valid");
        assertThat(driver.findElement(By.id("nav")).isDisplayed()).isFalse();
        BROWSER.screenshot("40-wrong-key");
        // the 401 is logged by the browser as a failed resource: expected here
        BROWSER.consoleErrors();
    }

    @Test
    @Order(10)
    void aRateLimitedKeyIsToldWhenToRetry() {
        try (ConsoleStage tight = new ConsoleStage(RateLimit.of(4, Duration.ofHours(1)))) {
            signIn(tight, tight.admin); // 1 request
            open("system");              // health, services, limits, resources, logs: more than 3 left
            assertThat(text("#page .problem")).contains("Too many requests").contains("has used up its 4 requests").contains("retry after");
            BROWSER.screenshot("41-rate-limited");
        }
        BROWSER.consoleErrors();
    }

    @Test
    @Order(11)
    void theEventStreamParserReadsMessagesSplitAnywhere() {
        signIn(stage, stage.admin);
        String text = ": keep-alive\r\nid: 7\r\nevent: job.status.changed\r\ndata: {\"type\":\"job.status.changed\",\r\n"
                + "data: \"n\":1}\r\n\r\nid: 8\nevent: cortex.replay.gap\ndata: {\"lastEventId\":3,\"oldestAvailable\":5}\n\n"
                + "retry: 2500\nid: 9\n\n";
        @SuppressWarnings("unchecked")
        List<Object> results = (List<Object>) ((JavascriptExecutor) driver).executeAsyncScript(
                "const done = arguments[arguments.length - 1];"
                        + "import('./js/sse.js').then(({SseParser}) => {"
                        + "  const text = arguments[0]; const out = [];"
                        + "  for (let size = 1; size <= text.length; size++) {"
                        + "    const got = []; let retry; const p = new SseParser(m => got.push(m));"
                        + "    for (let i = 0; i < text.length; i += size) { const r = p.feed(text.slice(i, i + size)); if (r !== undefined) retry = r; }"
                        + "    out.push(JSON.stringify({got, retry}));"
                        + "  }"
                        + "  done(out);"
                        + "}, e => done(['error ' + e]));", text);
        String expected = "{\"got\":[{\"id\":\"7\",\"event\":\"job.status.changed\",\"data\":\"{\\\"type\\\":\\\"job.status.changed\\\",\\n\\\"n\\\":1}\"},"
                + "{\"id\":\"8\",\"event\":\"cortex.replay.gap\",\"data\":\"{\\\"lastEventId\\\":3,\\\"oldestAvailable\\\":5}\"},"
                + "{\"id\":\"9\",\"event\":null,\"data\":null}],\"retry\":2500}";
        assertThat(results).hasSize(text.length()).allMatch(expected::equals);
    }

    @Test
    @Order(12)
    void theLiveStreamResumesWhereItStoppedAndReconnectsAfterADrop() {
        signIn(stage, stage.reader);
        ((JavascriptExecutor) driver).executeAsyncScript("const done = arguments[arguments.length - 1];"
                + "Promise.all([import('./js/sse.js'), import('./js/live.js'), import('./js/api.js')]).then(([sse, live, api]) => {"
                + "  window.__got = []; window.__statuses = [];"
                + "  window.__stream = new sse.EventStream({"
                + "    url: () => live.eventsUrl({ types: ['job.status.changed'] }), headers: () => api.session.authorization(),"
                + "    onEvent: (e) => window.__got.push(e.data.data.job.id + ' ' + e.data.data.change.to),"
                + "    onStatus: (s) => window.__statuses.push(s) });"
                + "  window.__stream.start(); done();"
                + "});");
        wait(d -> "open".equals(js("return window.__stream.status")));
        String first = stage.submit("{\"image\":\"acme/etl:7\"}");
        wait(d -> received().contains(first + " assigned"));

        js("window.__stream.stop()"); // the tab loses the stream; the engine goes on
        String missed = stage.submit("{\"image\":\"acme/etl:8\"}");
        stage.advance(Duration.ofSeconds(11));
        js("window.__stream.start()"); // back, with Last-Event-ID: everything since is replayed
        wait(d -> received().contains(missed + " running"));
        assertThat(received()).containsSubsequence(first + " assigned", missed + " assigned", missed + " running");

        js("window.__stream.controller.abort()"); // the connection drops under it
        wait(d -> js("return window.__statuses.join(' ')").toString().endsWith("reconnecting open"));
        stage.advance(Duration.ofSeconds(21));
        wait(d -> received().contains(missed + " succeeded"));
        List<String> all = received();
        assertThat(all).as("nothing twice").doesNotHaveDuplicates();
        assertThat(all).containsSubsequence(missed + " assigned", missed + " running", missed + " succeeded");
        js("window.__stream.stop()");
        assertThat(BROWSER.consoleErrors()).isEmpty();
    }

    @Test
    @Order(13)
    void aProviderWithoutAWalletSaysSoWithoutAskingForOne() {
        signIn(stage, stage.admin);
        js("performance.clearResourceTimings()");
        open("providers");

        String beta = "section.provider[data-provider='beta']";
        assertThat(text(beta + " .no-wallet")).isEqualTo("no wallet");
        assertThat(texts(beta + " .badges .badge")).containsExactlyInAnyOrder("logs", "credentials", "endpoints");
        assertThat(driver.findElements(By.cssSelector(beta + " button[data-label='Top up']"))).isEmpty();
        assertThat(text("section.provider[data-provider='alpha'] .wallet")).contains("USDC");
        @SuppressWarnings("unchecked")
        List<String> requested = (List<String>) js("return performance.getEntriesByType('resource').map(e => e.name)");
        assertThat(requested).as("the page asked for alpha's wallet and not for beta's")
                .anyMatch(u -> u.endsWith("/providers/alpha/wallet")).noneMatch(u -> u.contains("/providers/beta/wallet"));
        BROWSER.screenshot("33-provider-without-wallet");
        assertThat(BROWSER.consoleErrors()).isEmpty();
    }

    @Test
    @Order(14)
    void aFailedDeliveryIsRedeliveredFromTheWebhooksPageAndShowsHowItWent() {
        // accepted on alpha and never started: one status change, one delivery to /down, answered 503
        String job = stage.submit("{\"image\":\"acme/stuck:3\"}");
        wait(d -> stage.deliveryOf(stage.downId, job).map(x -> x.attempts().size() == 1).orElse(false));
        String id = stage.deliveryOf(stage.downId, job).orElseThrow().id();
        signIn(stage, stage.admin);
        open("webhooks/" + stage.downId);
        String li = ".deliveries li[data-delivery='" + id + "']";
        click(li + " summary");
        assertThat(text(li + " details[open] table.attempts")).contains("throttled").contains("503");

        stage.endMaintenance(); // the endpoint is back
        try {
            click(li + " button[data-label='Redeliver']");

            assertThat(text(li + " .redelivery-outcome[data-outcome='succeeded']"))
                    .isEqualTo("Redelivered: attempt 2 succeeded (HTTP 204).");
            waitFor(By.cssSelector(li + "[data-status='SUCCEEDED'] details[open]")); // drawn again, still open
            assertThat(texts(li + " table.attempts tbody tr")).hasSize(2);
            assertThat(text(li + " table.attempts tbody tr:nth-child(2)")).contains("succeeded").contains("204");
            BROWSER.screenshot("08-webhook-redelivered");
            assertThat(stage.dispatcher.delivery(id).orElseThrow().attempts()).extracting(a -> a.statusCode())
                    .containsExactly(503, 204);
            assertThat(BROWSER.consoleErrors()).isEmpty();
        } finally {
            stage.startMaintenance();
        }
    }

    @SuppressWarnings("unchecked")
    private List<String> received() {
        return (List<String>) js("return window.__got.slice()");
    }

    // ---- helpers ----

    private void signIn(ConsoleStage s, GeneratedApiKey key) {
        signedOut(s);
        waitFor(By.id("api-key")).sendKeys(key.token());
        driver.findElement(By.id("signin-submit")).click();
        waitFor(By.id("nav"));
        settle();
    }

    /** Opens the console of {@code s} signed out: a key this tab kept for it signs in by itself, so sign out. */
    private void signedOut(ConsoleStage s) {
        driver.get(s.console());
        wait(d -> "true".equals(js("return document.body.dataset.ready")));
        WebElement signOut = driver.findElement(By.id("sign-out"));
        if (signOut.isDisplayed()) {
            signOut.click();
        }
    }

    /** Goes to a page (a hash route) and waits until none of its parts is still loading. */
    private void open(String route) {
        String before = (String) js("return window.location.hash");
        js("window.location.hash = arguments[0]", "#/" + route);
        if (before.equals("#/" + route)) {
            js("window.dispatchEvent(new HashChangeEvent('hashchange'))");
        }
        settle();
    }

    private void settle() {
        wait(d -> (Boolean) js("const p = document.getElementById('page');"
                + "return document.body.dataset.ready === 'true' && p.childElementCount > 0 && !p.querySelector('.loading');"));
    }

    private void pick(String range) {
        click("button[data-range='" + range + "']");
        waitFor(By.cssSelector("button[data-range='" + range + "'][aria-pressed='true']"));
    }

    /** Clicks what {@code css} finds once it is there, finding it again if the page redrew it meanwhile. */
    private void click(String css) {
        explained(() -> new WebDriverWait(driver, WAIT).ignoring(StaleElementReferenceException.class)
                .ignoring(NoSuchElementException.class).until(d -> {
                    d.findElement(By.cssSelector(css)).click();
                    return true;
                }));
    }

    /** The text of the first visible match of {@code css}, read in one go once it is there (pages redraw as the engine moves). */
    private String text(String css) {
        return explained(() -> new WebDriverWait(driver, WAIT).until(d -> (String) js(
                "const e = [...document.querySelectorAll(arguments[0])].find(x => x.offsetParent !== null);"
                        + "return e ? e.innerText : null;", css)));
    }

    /** The texts of every match of {@code css}, read in one go. */
    @SuppressWarnings("unchecked")
    private List<String> texts(String css) {
        return (List<String>) js("return [...document.querySelectorAll(arguments[0])].map(e => e.textContent)", css);
    }

    private WebElement waitFor(By by) {
        return explained(() -> new WebDriverWait(driver, WAIT).until(ExpectedConditions.visibilityOfElementLocated(by)));
    }

    private void wait(Function<WebDriver, Boolean> condition) {
        explained(() -> new WebDriverWait(driver, WAIT).until(condition::apply));
    }

    /** A wait that, when it times out, says what the page showed and saves it as FAILED-<n>.png. */
    private <T> T explained(java.util.function.Supplier<T> waiting) {
        try {
            return waiting.get();
        } catch (TimeoutException e) {
            Path shot = BROWSER.screenshot("FAILED-" + System.nanoTime());
            throw new AssertionError(e.getMessage().lines().findFirst().orElse("timed out") + "\nat " + driver.getCurrentUrl()
                    + "\npage (" + shot + "):\n" + js("return document.body.innerText") + "\nbrowser console:\n"
                    + String.join("\n", BROWSER.console()), e);
        }
    }

    private Object js(String script, Object... args) {
        return BROWSER.script(script, args);
    }
}

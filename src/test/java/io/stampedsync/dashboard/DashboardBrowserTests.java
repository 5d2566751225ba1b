package io.stampedsync.dashboard;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.IntStream;
import java.util.stream.LongStream;

import io.stampedsync.TestSubscriptions;
import io.stampedsync.TestTokens;
import io.stampedsync.environment.Requirement;
import io.stampedsync.environment.Requires;
import io.stampedsync.sandbox.Fault;
import io.stampedsync.sandbox.StampedEndpoint;
import io.stampedsync.sandbox.StampedSimulator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The dashboard in headless Chromium against the gateway on a random port and a
 * Stamped.io simulator: live batches, paused subscriptions, the batch page and who may
 * act on it.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@Requires(Requirement.CHROMIUM)
class DashboardBrowserTests {

	static final StampedSimulator stamped = TestSubscriptions.stampedSimulator();

	static final List<String> FINAL = List.of("completed", "completed_with_errors", "cancelled");

	@TempDir
	static Path dataDir;

	static ChromeDriver browser;

	@LocalServerPort
	int port;

	DashboardPage page;

	DashboardApi api;

	@DynamicPropertySource
	static void properties(DynamicPropertyRegistry registry) {
		TestSubscriptions.gateway(registry, dataDir);
		TestSubscriptions.subscription(registry, "acme", stamped,
				Map.of("api-throttle-limit", "600", "api-throttle-seconds", "1", "concurrent-connections", "2"));
		// Same simulator, wrong private key: its first call is refused and its batch
		// pauses.
		String prefix = "stamped-sync.subscriptions.wrong-keys.";
		registry.add(prefix + "api-url", stamped::baseUrl);
		registry.add(prefix + "api-public-key", () -> TestSubscriptions.PUBLIC_KEY);
		registry.add(prefix + "api-private-key", () -> "key-test-private-WRONG");
		registry.add(prefix + "api-store-hash", () -> TestSubscriptions.STORE_HASH);
	}

	@BeforeAll
	static void startBrowser() {
		browser = Chromium.start();
	}

	@AfterAll
	static void stop() {
		if (browser != null) {
			browser.quit();
		}
		stamped.close();
	}

	@BeforeEach
	void setUp() {
		String base = "http://localhost:" + this.port;
		this.page = new DashboardPage(browser, base);
		this.api = new DashboardApi(base);
	}

	@Test
	void pushedBatchFillsItsBarAndShowsTheCountsOfItsResults() {
		this.page.openAs(TestTokens.ADMIN);
		List<String> customers = new ArrayList<>(DashboardApi.customers("live-", 40));
		IntStream.rangeClosed(1, 4)
			.forEach((i) -> customers.add(DashboardApi.customer("no-email-" + i, null, "No", "Email")));
		stamped.faults().next(3, StampedEndpoint.CREATE, Fault.status(400));

		String batchId = this.api.submit("acme", customers);

		WebElement row = this.page.awaitBatchRow(batchId,
				(element) -> FINAL.contains(element.getDomAttribute("data-status"))
						&& DashboardPage.percent(element) == 100);
		Map<String, Long> expected = this.api.counts(this.api.awaitFinal(batchId));
		this.page.await(Duration.ofSeconds(30), (driver) -> DashboardPage.counts(row).equals(expected));
		assertThat(expected).containsEntry("rejected", 4L).containsEntry("failed", 3L).containsEntry("created", 37L);
		this.page.await(Duration.ofSeconds(30),
				(driver) -> this.page.element(By.id("errors-table")).getText().contains("STAMPED_VALIDATION"));
		Pattern chartedRecords = Pattern.compile("([1-9]\\d*) records in 5 min");
		this.page.await(Duration.ofSeconds(30),
				(driver) -> chartedRecords.matcher(this.page.element(By.id("throughput-summary")).getText()).find());
		Matcher charted = chartedRecords.matcher(this.page.element(By.id("throughput-summary")).getText());
		assertThat(charted.find()).isTrue();
		assertThat(Integer.parseInt(charted.group(1))).as("records charted").isBetween(1, 44);
		Chromium.screenshot(browser, "dashboard-main");

		this.page.openBatchFromOverview(batchId);
		WebElement summary = this.page.element(By.cssSelector(".panel-batch"));
		this.page.await(Duration.ofSeconds(30),
				(driver) -> FINAL.contains(this.page.element(By.id("batch-status")).getText().replace(' ', '_'))
						&& DashboardPage.percent(summary) == 100 && DashboardPage.counts(summary).equals(expected));
		this.page.await(Duration.ofSeconds(30),
				(driver) -> this.page.elements(By.cssSelector("#rejected-table tbody tr[data-index]")).size() == 4
						&& this.page.elements(By.cssSelector("#failed-table tbody tr[data-index]")).size() == 3);
		assertThat(this.page.element(By.id("rejected-table")).getText()).contains("INVALID_CUSTOMER")
			.contains("email_address");
		assertThat(this.page.element(By.id("failed-table")).getText()).contains("STAMPED_VALIDATION");
		List<WebElement> log = this.page.elements(By.cssSelector("#event-log li"));
		Set<String> seqs = new HashSet<>();
		log.forEach((entry) -> seqs.add(entry.getDomAttribute("data-seq")));
		assertThat(seqs).as("every event once").hasSameSizeAs(log);
		assertThat(log).anySatisfy((entry) -> assertThat(entry.getText()).contains("completed"));
		assertThat(this.page.element(By.id("retry-button")).isEnabled()).isTrue();
		assertThat(this.page.element(By.id("cancel-button")).isEnabled()).isFalse();
		Chromium.screenshot(browser, "dashboard-batch");
		assertThat(Chromium.scriptErrors(browser)).isEmpty();
	}

	@Test
	void subscriptionWhoseKeysAreRejectedShowsAsPausedWithTheReasonWhileOthersRun() {
		this.page.openAs(TestTokens.READER);

		String pausedId = this.api.submit("wrong-keys", DashboardApi.customers("paused-", 3));
		String runningId = this.api.submit("acme", DashboardApi.customers("beside-", 60));

		WebElement subscription = this.page.awaitSubscriptionRow("wrong-keys",
				(row) -> "paused".equals(row.getDomAttribute("data-health")));
		assertThat(subscription.getText()).contains("Paused").containsIgnoringCase("credentials rejected");
		WebElement paused = this.page.awaitBatchRow(pausedId,
				(row) -> "paused".equals(row.getDomAttribute("data-status")));
		assertThat(paused.getText()).containsIgnoringCase("credentials rejected");
		this.page.awaitBatchRow(runningId, (row) -> DashboardPage.percent(row) == 100);
		assertThat(this.page.awaitSubscriptionRow("acme", (row) -> true).getDomAttribute("data-health"))
			.isEqualTo("healthy");
		Chromium.screenshot(browser, "dashboard-overview");
		assertThat(Chromium.scriptErrors(browser)).isEmpty();
	}

	@Test
	void reopenedBatchStreamAppliesEachReplayedEventOnce() {
		String batchId = this.api.submit("acme", DashboardApi.customers("replay-", 10));
		this.api.awaitFinal(batchId);
		this.page.openAs(TestTokens.READER);

		// A new EventSource cannot send Last-Event-ID, so the server replays the whole
		// log: the page must drop what it already applied.
		@SuppressWarnings("unchecked")
		List<Number> applied = (List<Number>) browser.executeAsyncScript("""
				const done = arguments[arguments.length - 1];
				import('/assets/js/live.js').then(({ LiveStream }) => {
				  const applied = [];
				  let reopened = false;
				  const apply = (data, seq) => {
				    applied.push(seq);
				    if (data.status && data.status.startsWith('completed') && !reopened) {
				      reopened = true;
				      stream.source.close();
				      stream.open();
				      setTimeout(() => { stream.close(); done(applied); }, 3000);
				    }
				  };
				  const stream = new LiveStream('/api/v1/batches/' + arguments[0] + '/events',
				    { record: apply, progress: apply, status: apply }).open();
				});
				""", batchId);

		List<Long> seqs = applied.stream().map(Number::longValue).toList();
		assertThat(seqs).isNotEmpty()
			.doesNotHaveDuplicates()
			.isSorted()
			.containsExactlyElementsOf(LongStream.rangeClosed(1, seqs.size()).boxed().toList());
	}

	@Test
	void signInKeepsTheTokenOutOfTheUrlAndOfScriptReachableStorage() {
		this.page.openOverview();
		if (!this.page.showsSignIn()) {
			this.page.signOut();
		}
		this.page.element(By.id("token")).sendKeys("not-a-known-token", Keys.ENTER);
		this.page.await(Duration.ofSeconds(30),
				(driver) -> this.page.element(By.id("sign-in-message")).getText().contains("not known"));

		this.page.signIn(TestTokens.WRITER);

		assertThat(this.page.signedInAs()).contains("test-writer").contains("writer");
		assertThat(browser.getCurrentUrl()).doesNotContain(TestTokens.WRITER);
		assertThat((String) browser.executeScript("return document.cookie")).as("the session cookie is HttpOnly")
			.doesNotContain("STAMPED_SYNC_SESSION")
			.doesNotContain(TestTokens.WRITER);
		assertThat((Object) browser.executeScript(
				"return JSON.stringify(localStorage) + JSON.stringify(sessionStorage) + document.body.innerHTML"))
			.asString()
			.doesNotContain(TestTokens.WRITER);
	}

	@Test
	void readerSeesNeitherRetryNorCancelWhereAWriterSeesBoth() {
		stamped.faults().next(1, StampedEndpoint.CREATE, Fault.status(400));
		String batchId = this.api.submit("acme", DashboardApi.customers("reader-", 3));
		this.api.awaitFinal(batchId);

		this.page.openAs(TestTokens.READER);
		this.page.openBatch(batchId);
		this.page.await(Duration.ofSeconds(30),
				(driver) -> !this.page.elements(By.cssSelector("#failed-table tbody tr[data-index]")).isEmpty());

		assertThat(this.page.elements(By.id("retry-button"))).isEmpty();
		assertThat(this.page.elements(By.id("cancel-button"))).isEmpty();
		assertThat(this.page.element(By.cssSelector(".actions")).getText()).contains("can watch");

		this.page.openAs(TestTokens.WRITER);
		this.page.openBatch(batchId);
		this.page.await(Duration.ofSeconds(30), (driver) -> this.page.element(By.id("retry-button")).isEnabled());
		assertThat(this.page.element(By.id("cancel-button")).isDisplayed()).isTrue();
	}

	@Test
	void monitoringEntriesShowCoolDownTimeLeftAndCallsAgainstTheLimit() {
		this.page.openAs(TestTokens.READER);

		// The shape of GET /api/v1/monitoring and of the `subscription` events.
		String text = (String) browser.executeAsyncScript("""
				const done = arguments[arguments.length - 1];
				import('/assets/js/subscriptions.js').then(({ fromHealth, SubscriptionRow }) => {
				  const until = new Date(Date.now() + 42000).toISOString();
				  const row = new SubscriptionRow('busy');
				  row.update(fromHealth({ subscriptionId: 'busy', health: 'cool-down', until,
				    directions: {
				      stamped: { calls: 480, limit: 500, windowSeconds: 60, coolDownUntil: until },
				      ipaas: { callsInWindow: 12, limit: 100, windowSeconds: 10 } },
				    queuedBatches: 2, runningBatches: 1, pausedBatches: 0, recordsWaiting: 1234,
				    lastError: { code: 'STAMPED_RATE_LIMITED', message: 'HTTP 429' } }), 0);
				  done(row.element.dataset.health + ' | ' + row.element.textContent);
				});
				""");

		assertThat(text).startsWith("cool-down")
			.contains("Cool-down")
			.containsPattern("(4[0-2]|3[0-9]) s left")
			.contains("480 / 500 in 1 min")
			.contains("12 / 100 in 10 s")
			.contains("1 running, 2 queued")
			.contains("STAMPED_RATE_LIMITED: HTTP 429");
	}

}

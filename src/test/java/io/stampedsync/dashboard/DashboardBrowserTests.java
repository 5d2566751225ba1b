package io.stampedsync.dashboard;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.IntStream;
import java.util.stream.LongStream;

import io.stampedsync.TestSubscriptions;
import io.stampedsync.TestTokens;
import io.stampedsync.environment.Requirement;
import io.stampedsync.environment.Requires;
import io.stampedsync.sandbox.Fault;
import io.stampedsync.sandbox.StampedEndpoint;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.Select;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.ApplicationContext;
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

	@RegisterExtension
	static final BrowserFixture fixture = new BrowserFixture();

	static final List<String> FINAL = List.of("completed", "completed_with_errors", "cancelled");

	@TempDir
	static Path dataDir;

	/** The records the throughput chart counts over its hour. */
	private long chartedRecords() {
		String records = this.page.element(By.id("throughput-summary")).getDomAttribute("data-records");
		return (records != null) ? Long.parseLong(records) : 0;
	}

	/** One direction's calls the throughput chart counts over its hour. */
	private long chartedCalls(String direction) {
		String attribute = "stamped".equals(direction) ? "data-stamped-calls" : "data-ipaas-calls";
		String calls = this.page.element(By.id("throughput-summary")).getDomAttribute(attribute);
		return (calls != null) ? Long.parseLong(calls) : 0;
	}

	@LocalServerPort
	int port;

	ChromeDriver browser;

	@Autowired
	ApplicationContext context;

	DashboardPage page;

	DashboardApi api;

	@DynamicPropertySource
	static void properties(DynamicPropertyRegistry registry) {
		TestSubscriptions.gateway(registry, dataDir);
		// Live by SSE alone: no periodic reload of the overview behind the stream.
		registry.add("stamped-sync.dashboard.reload-interval", () -> "0s");
		// Ten calls a second: a batch of a few dozen records runs for seconds.
		TestSubscriptions.subscription(registry, "paced", fixture.stamped,
				Map.of("api-throttle-limit", "10", "api-throttle-seconds", "1", "concurrent-connections", "2"));
		TestSubscriptions.subscription(registry, "acme", fixture.stamped,
				Map.of("api-throttle-limit", "600", "api-throttle-seconds", "1", "concurrent-connections", "2"));
		// Same simulator, wrong private key: its first call is refused and its batch
		// pauses.
		String prefix = "stamped-sync.subscriptions.wrong-keys.";
		registry.add(prefix + "api-url", fixture.stamped::baseUrl);
		registry.add(prefix + "api-public-key", () -> TestSubscriptions.PUBLIC_KEY);
		registry.add(prefix + "api-private-key", () -> "key-test-private-WRONG");
		registry.add(prefix + "api-store-hash", () -> TestSubscriptions.STORE_HASH);
	}

	@BeforeEach
	void setUp() {
		this.page = fixture.page(this.port);
		this.api = new DashboardApi(this.context);
		this.browser = this.page.driver();
	}

	@Test
	void pushedBatchFillsItsBarAndShowsTheCountsOfItsResults() {
		this.page.openAs(TestTokens.ADMIN);
		List<String> customers = new ArrayList<>(DashboardApi.customers("live-", 40));
		IntStream.rangeClosed(1, 4)
			.forEach((i) -> customers.add(DashboardApi.customer("no-email-" + i, null, "No", "Email")));
		fixture.stamped.faults().next(3, StampedEndpoint.CREATE, Fault.status(400));

		String batchId = this.api.submit("acme", customers);

		WebElement row = this.page.awaitBatchRow(batchId,
				(element) -> FINAL.contains(element.getDomAttribute("data-status"))
						&& DashboardPage.percent(element) == 100);
		Map<String, Long> expected = this.api.counts(this.api.awaitFinal(batchId));
		this.page.await(Duration.ofSeconds(30), (driver) -> DashboardPage.counts(row).equals(expected));
		assertThat(expected).containsEntry("rejected", 4L).containsEntry("failed", 3L).containsEntry("created", 37L);
		this.page.await(Duration.ofSeconds(30),
				(driver) -> this.page.element(By.id("errors-table")).getText().contains("STAMPED_VALIDATION"));
		// The chart is the server's history: streamed while the page is open, and all of
		// it again the moment a page opens (records refused at intake are not transfers).
		this.page.await(Duration.ofSeconds(30), (driver) -> chartedRecords() >= 40);
		this.browser.navigate().refresh();
		this.page.await(Duration.ofSeconds(5), (driver) -> chartedRecords() >= 40);
		assertThat(this.page.element(By.id("throughput-summary")).getText()).contains("records in 60 min")
			.contains("Stamped.io calls")
			.contains("iPaaS.com calls");
		// Each of the 40 records sent reached Stamped.io at least once.
		assertThat(chartedCalls("stamped")).isGreaterThanOrEqualTo(40);
		// The chart shows either direction's calls per minute, from the same history.
		new Select(this.page.element(By.id("throughput-measure"))).selectByValue("stamped");
		this.page.await(Duration.ofSeconds(5), (driver) -> "stamped"
			.equals(this.page.element(By.cssSelector(".panel-throughput canvas")).getDomAttribute("data-measure")));
		assertThat(this.page.element(By.cssSelector(".panel-throughput canvas")).getDomAttribute("aria-label"))
			.contains("Stamped.io calls/min");
		new Select(this.page.element(By.id("throughput-measure"))).selectByValue("records");
		this.page.awaitBatchRow(batchId, (element) -> DashboardPage.percent(element) == 100);
		Chromium.screenshot(this.browser, "dashboard-main");
		Chromium.document("dashboard-main", Path.of("docs", "dashboard.png"));

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
		Chromium.screenshot(this.browser, "dashboard-batch");
		assertThat(Chromium.scriptErrors(this.browser)).isEmpty();
	}

	@Test
	void recordsFinishedInTheSandboxShowOnTheOverviewAndTheBatchPageWithinTwoSeconds() {
		this.page.openAs(TestTokens.READER);
		PageChecks.watchDoneCounts(this.browser, "#batches-table .progress-text");
		String overviewBatch = this.api.submit("paced", DashboardApi.customers("sse-overview-", 20));
		this.page.awaitBatchRow(overviewBatch, (row) -> DashboardPage.percent(row) == 100);
		assertShownWithinTwoSeconds(overviewBatch, overviewBatch, 0);

		String batchId = this.api.submit("paced", DashboardApi.customers("sse-batch-", 30));
		this.page.openBatch(batchId);
		long watchedFrom = System.currentTimeMillis();
		PageChecks.watchDoneCounts(this.browser, ".panel-batch .progress-text");
		WebElement summary = this.page.element(By.cssSelector(".panel-batch"));
		this.page.await(Duration.ofSeconds(60), (driver) -> DashboardPage.percent(summary) == 100);
		assertShownWithinTwoSeconds(batchId, "page", watchedFrom);
		assertThat(Chromium.scriptErrors(this.browser)).isEmpty();
	}

	/**
	 * Each record of the batch that ended after {@code from} was counted on the page
	 * within 2 s of its outcome time (the same machine's clock).
	 */
	private void assertShownWithinTwoSeconds(String batchId, String shownAs, long from) {
		List<Long> finished = this.api.results(batchId)
			.stream()
			.map((record) -> Instant.parse(record.get("finishedAt").asString()).toEpochMilli())
			.sorted()
			.toList();
		List<Map<String, Object>> shown = PageChecks.doneLog(this.browser)
			.stream()
			.filter((entry) -> shownAs.equals(entry.get("id")))
			.toList();
		List<String> late = new ArrayList<>();
		for (int n = 1; n <= finished.size(); n++) {
			long outcomeAt = finished.get(n - 1);
			if (outcomeAt < from) {
				continue;
			}
			int count = n;
			long shownAt = shown.stream()
				.filter((entry) -> ((Number) entry.get("done")).intValue() >= count)
				.mapToLong((entry) -> ((Number) entry.get("at")).longValue())
				.findFirst()
				.orElse(Long.MAX_VALUE);
			if (shownAt - outcomeAt > 2000) {
				late.add("record " + n + " shown " + (shownAt - outcomeAt) + " ms after its outcome");
			}
		}
		assertThat(finished).hasSizeGreaterThan(0);
		assertThat(late).as("records shown late on %s, page log %s", shownAs, shown).isEmpty();
	}

	@Test
	void everyTableFitsAPhoneAndADesktopAndEveryColumnCanBeReached() {
		fixture.stamped.faults().next(2, StampedEndpoint.CREATE, Fault.status(400));
		String batchId = this.api.submit("acme", DashboardApi.customers("layout-", 12));
		this.api.awaitFinal(batchId);
		this.page.openAs(TestTokens.READER);
		try {
			for (int width : List.of(390, 1400)) {
				PageChecks.viewport(this.browser, width, 900);
				this.page.openOverview();
				this.page.awaitBatchRow(batchId, (row) -> DashboardPage.percent(row) == 100);
				this.page.await(Duration.ofSeconds(30),
						(driver) -> this.page.element(By.id("errors-table")).getText().contains("STAMPED_VALIDATION"));
				assertThat(PageChecks.overflowing(this.browser)).as("overflow at %d px", width).isEmpty();
				assertThat(PageChecks.unreachableCells(this.browser)).as("columns out of reach at %d px", width)
					.isEmpty();
				if (width == 390) {
					assertThat(this.page.elements(By.cssSelector(".scroll-cue[data-shown='true']")))
						.as("a cue that the tables go on to the right")
						.isNotEmpty();
					Chromium.screenshot(this.browser, "dashboard-phone");
				}
				this.page.openBatch(batchId);
				this.page.await(Duration.ofSeconds(30),
						(driver) -> this.page.elements(By.cssSelector("#failed-table tbody tr[data-index]"))
							.size() == 2);
				assertThat(PageChecks.overflowing(this.browser)).as("overflow of the batch page at %d px", width)
					.isEmpty();
				assertThat(PageChecks.unreachableCells(this.browser))
					.as("batch page columns out of reach at %d px", width)
					.isEmpty();
			}
		}
		finally {
			PageChecks.resetViewport(this.browser);
		}
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
		Chromium.screenshot(this.browser, "dashboard-overview");
		assertThat(Chromium.scriptErrors(this.browser)).isEmpty();
	}

	@Test
	void reopenedBatchStreamAppliesEachReplayedEventOnce() {
		String batchId = this.api.submit("acme", DashboardApi.customers("replay-", 10));
		this.api.awaitFinal(batchId);
		this.page.openAs(TestTokens.READER);

		// A new EventSource cannot send Last-Event-ID, so the server replays the whole
		// log: the page must drop what it already applied.
		@SuppressWarnings("unchecked")
		List<Number> applied = (List<Number>) this.browser.executeAsyncScript("""
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
		assertThat(this.browser.getCurrentUrl()).doesNotContain(TestTokens.WRITER);
		assertThat((String) this.browser.executeScript("return document.cookie")).as("the session cookie is HttpOnly")
			.doesNotContain("STAMPED_SYNC_SESSION")
			.doesNotContain(TestTokens.WRITER);
		assertThat((Object) this.browser.executeScript(
				"return JSON.stringify(localStorage) + JSON.stringify(sessionStorage) + document.body.innerHTML"))
			.asString()
			.doesNotContain(TestTokens.WRITER);
	}

	@Test
	void readerSeesNeitherRetryNorCancelWhereAWriterSeesBoth() {
		fixture.stamped.faults().next(1, StampedEndpoint.CREATE, Fault.status(400));
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
		String text = (String) this.browser.executeAsyncScript("""
				const done = arguments[arguments.length - 1];
				import('/assets/js/subscriptions.js').then(({ fromHealth, SubscriptionRow }) => {
				  const until = new Date(Date.now() + 42000).toISOString();
				  const row = new SubscriptionRow('busy');
				  row.update(fromHealth({ subscriptionId: 'busy', health: 'cool-down', until,
				    directions: {
				      stamped: { calls: 480, callsPerMinute: 480, limit: 500, windowSeconds: 60, coolDownUntil: until },
				      ipaas: { callsInWindow: 12, callsPerMinute: 70, limit: 100, windowSeconds: 10 } },
				    queuedBatches: 2, runningBatches: 1, pausedBatches: 0, recordsWaiting: 1234,
				    lastError: { code: 'STAMPED_RATE_LIMITED', message: 'HTTP 429' } }), 0);
				  done(row.element.dataset.health + ' | ' + row.element.textContent);
				});
				""");

		assertThat(text).startsWith("cool-down")
			.contains("Cool-down")
			.containsPattern("(4[0-2]|3[0-9]) s left")
			.contains("480 / 500 in 1 min")
			.contains("12 / 100 in 10 s · 70 in the last min")
			.contains("1 running, 2 queued")
			.contains("STAMPED_RATE_LIMITED: HTTP 429");
	}

}

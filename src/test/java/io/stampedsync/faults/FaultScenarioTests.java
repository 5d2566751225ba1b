package io.stampedsync.faults;

import io.stampedsync.GatewayApi;
import io.stampedsync.TestTokens;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.IntStream;

import io.stampedsync.TestSubscriptions;
import io.stampedsync.sandbox.CallRecord;
import io.stampedsync.sandbox.Fault;
import io.stampedsync.sandbox.StampedEndpoint;
import io.stampedsync.sandbox.StampedSimulator;
import io.stampedsync.testing.Customers;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.context.annotation.Import;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Batches through the Stamped.io simulator with faults injected: every record ends with
 * exactly one outcome that matches what the simulator did; per email, the calls the
 * simulator got equal the attempts the record says, and a create is applied more than
 * once only where the simulator itself lost the answer to an applied create; and no call
 * comes before a Retry-After or a cool-down has passed. Retries and cool-downs are
 * shortened so that the suite stays fast; at most 8 attempts per call, so a scenario that
 * injects fewer than 8 faults in all must end with every record created.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@AutoConfigureWebTestClient
@Import(TestTokens.AdminClient.class)
class FaultScenarioTests {

	static final int MAX_ATTEMPTS = 8;

	static final Duration COOL_DOWN = Duration.ofMillis(300);

	static final int CONNECTIONS = 4;

	static final Duration MAX_BACKOFF = Duration.ofMillis(100);

	/**
	 * How long "no call while paused" is watched: five times the longest backoff, so a
	 * retry that slipped past the pause would have come several times over. The watchdog
	 * leaves a paused subscription alone, so nothing else could call.
	 */
	static final Duration QUIET = MAX_BACKOFF.multipliedBy(5);

	static final StampedSimulator stamped = TestSubscriptions.stampedSimulator();

	@TempDir
	static Path dataDir;

	@Autowired
	WebTestClient client;

	GatewayApi api;

	@DynamicPropertySource
	static void properties(DynamicPropertyRegistry registry) {
		TestSubscriptions.gateway(registry, dataDir);
		registry.add("stamped-sync.outbound.response-timeout", () -> "500ms");
		registry.add("stamped-sync.outbound.max-attempts", () -> Integer.toString(MAX_ATTEMPTS));
		registry.add("stamped-sync.outbound.min-backoff", () -> "10ms");
		registry.add("stamped-sync.outbound.max-backoff", () -> MAX_BACKOFF.toMillis() + "ms");
		registry.add("stamped-sync.outbound.max-retry-after", () -> "1s");
		registry.add("stamped-sync.outbound.rate-limit-cool-down", () -> COOL_DOWN.toMillis() + "ms");
		Map<String, String> fast = Map.of("api-throttle-limit", "100000", "api-throttle-seconds", "1",
				"concurrent-connections", Integer.toString(CONNECTIONS));
		TestSubscriptions.subscription(registry, "faulty", stamped, fast);
		// One connection: one call at a time, so the call after a 429 or 503 is the one
		// that waited for it.
		TestSubscriptions.subscription(registry, "single", stamped,
				Map.of("api-throttle-limit", "100000", "api-throttle-seconds", "1", "concurrent-connections", "1"));
		// Paced at about 50 calls a second, so that a test can act in the middle of a
		// batch.
		TestSubscriptions.subscription(registry, "revoked", stamped,
				Map.of("api-throttle-limit", "50", "api-throttle-seconds", "1", "concurrent-connections", "2"));
		TestSubscriptions.subscription(registry, "wrong-hash", stamped,
				Map.of("api-store-hash", "other-store", "concurrent-connections", "4"));
	}

	@AfterAll
	static void stop() {
		stamped.close();
	}

	@BeforeEach
	void setUp() {
		this.api = new GatewayApi(this.client);
		stamped.faults().clear();
		stamped.noRateLimit();
		stamped.latency(Duration.ofMillis(5));
		stamped.store().clear();
		UnseenCreates.SHARED.clear();
		stamped.stats().reset();
	}

	@Test
	void burstsOf429WithAndWithoutRetryAfterEndWithEveryRecordCreatedOnce() {
		// Both bursts are scripted before the batch starts: a burst added while it runs
		// could
		// come after its last call on a fast machine.
		stamped.faults().next(3, Fault.tooManyRequests(Duration.ofSeconds(1))).next(3, Fault.tooManyRequests());
		String id = this.api.submit("faulty", Customers.fresh("r429-", 60));
		awaitScriptDone();

		List<JsonNode> results = runToEnd(id, 60);

		assertThat(results).allSatisfy((result) -> assertThat(result.get("outcome").asString()).isEqualTo("created"));
		assertThat(stamped.stats().responses(429)).isEqualTo(6);
		assertThat(sumOfAttempts(results)).isEqualTo(stamped.stats().total());
		// Only the calls already on their way when a 429 was answered (one per other
		// connection at most) reach the store during its cool-down.
		List<CallRecord<StampedEndpoint>> calls = byArrival();
		calls.stream().filter((call) -> call.status() == 429).forEach((limited) -> {
			long until = limited.answeredNanos() + waitAfter(limited).toNanos();
			assertThat(calls).as("calls during the cool-down of %s", limited)
				.filteredOn((call) -> call.arrivalNanos() > limited.answeredNanos() && call.arrivalNanos() < until)
				.hasSizeLessThanOrEqualTo(CONNECTIONS - 1);
		});
	}

	@Test
	void noCallReachesTheStoreBeforeRetryAfterOrTheCoolDownHasPassed() {
		stamped.faults()
			.next(1, StampedEndpoint.CREATE, Fault.tooManyRequests(Duration.ofSeconds(1)))
			.next(1, StampedEndpoint.CREATE, Fault.tooManyRequests())
			.next(1, StampedEndpoint.CREATE, Fault.status(503, "1"));

		List<JsonNode> results = runToEnd(this.api.submit("single", Customers.fresh("wait-", 6)), 6);

		assertThat(results).allSatisfy((result) -> assertThat(result.get("outcome").asString()).isEqualTo("created"));
		List<CallRecord<StampedEndpoint>> calls = byArrival();
		List<Integer> waited = new ArrayList<>();
		for (int i = 0; i < calls.size(); i++) {
			CallRecord<StampedEndpoint> call = calls.get(i);
			if (call.status() == 429 || call.status() == 503) {
				assertThat(calls).as("a call after %s", call).hasSizeGreaterThan(i + 1);
				long gap = calls.get(i + 1).arrivalNanos() - call.answeredNanos();
				assertThat(Duration.ofNanos(gap)).as("wait after %s", call).isGreaterThanOrEqualTo(waitAfter(call));
				waited.add(call.status());
			}
		}
		assertThat(waited).containsExactly(429, 429, 503);
	}

	@Test
	void createsWhoseAnswerIsLostAfterTheyWereAppliedAreSentAgainAndOnlyThose() {
		stamped.faults()
			.next(3, StampedEndpoint.CREATE, Fault.resetAfterApplied())
			.next(2, StampedEndpoint.CREATE, Fault.noResponseAfterApplied());

		List<JsonNode> results = runToEnd(this.api.submit("faulty", Customers.fresh("lost-", 40)), 40);

		assertThat(results).allSatisfy((result) -> assertThat(result.get("outcome").asString()).isEqualTo("created"));
		// The duplicates are there to be seen: exactly one more create per lost answer.
		assertThat(stamped.store().createsByEmail().values().stream().mapToInt((n) -> n - 1).sum()).isEqualTo(5);
		assertThat(stamped.store().count()).isEqualTo(40);
	}

	@Test
	void burstsOf5xxEndWithEveryRecordCreatedOnce() {
		stamped.faults().next(2, Fault.status(500)).next(2, Fault.status(502)).next(3, Fault.status(503, "1"));

		List<JsonNode> results = runToEnd(this.api.submit("faulty", Customers.fresh("r5xx-", 60)), 60);

		assertThat(results).allSatisfy((result) -> assertThat(result.get("outcome").asString()).isEqualTo("created"));
		assertThat(stamped.stats().responses(500) + stamped.stats().responses(502) + stamped.stats().responses(503))
			.isEqualTo(7);
		assertThat(sumOfAttempts(results)).isEqualTo(stamped.stats().total());
	}

	@Test
	void connectionResetsEndWithEveryRecordCreatedOnce() {
		stamped.faults().next(4, StampedEndpoint.CREATE, Fault.reset());

		List<JsonNode> results = runToEnd(this.api.submit("faulty", Customers.fresh("reset-", 60)), 60);

		assertThat(results).allSatisfy((result) -> assertThat(result.get("outcome").asString()).isEqualTo("created"));
		assertThat(statuses(CallRecord.RESET)).isEqualTo(4);
		assertThat(sumOfAttempts(results)).isEqualTo(stamped.stats().total());
	}

	@Test
	void callsThatNeverAnswerTimeOutAndAreRetried() {
		stamped.faults().next(4, StampedEndpoint.CREATE, Fault.noResponse());

		List<JsonNode> results = runToEnd(this.api.submit("faulty", Customers.fresh("silent-", 40)), 40);

		assertThat(results).allSatisfy((result) -> assertThat(result.get("outcome").asString()).isEqualTo("created"));
		assertThat(statuses(CallRecord.NO_RESPONSE)).isEqualTo(4);
		assertThat(sumOfAttempts(results)).isEqualTo(stamped.stats().total());
	}

	@Test
	void malformedJsonAnswersAreRetriedAndEveryCustomerCreatedOnce() {
		stamped.faults().next(3, StampedEndpoint.CREATE, Fault.malformedJson());

		List<JsonNode> results = runToEnd(this.api.submit("faulty", Customers.fresh("garbled-", 40)), 40);

		// A 200 whose body cannot be read is transient (DESIGN.md §5): retried, and the
		// create, idempotent by email, lands once.
		assertThat(results).allSatisfy((result) -> assertThat(result.get("outcome").asString()).isEqualTo("created"));
		assertThat(results.stream().mapToInt((result) -> result.get("attempts").asInt() - 1).sum())
			.as("one retry per garbled answer")
			.isEqualTo(3);
		assertThat(IntStream.rangeClosed(1, 40)
			.mapToObj((i) -> stamped.store().byEmail("garbled-" + i + "@example.com"))
			.filter(Optional::isPresent)
			.count()).isEqualTo(40);
		assertThat(stamped.store().createdNew()).as("customers created, not merged by email").isEqualTo(40);
		assertThat(sumOfAttempts(results)).isEqualTo(stamped.stats().total());
	}

	@Test
	void faultsOnEveryAttemptFailTheRecordsAndARetryBatchCreatesThem() {
		stamped.faults().next(5 * MAX_ATTEMPTS, StampedEndpoint.CREATE, Fault.status(503));

		String id = this.api.submit("faulty", Customers.fresh("down-", 5));
		List<JsonNode> results = runToEnd(id, 5);

		assertThat(this.api.batch(id).get("status").asString()).isEqualTo("completed_with_errors");
		assertThat(results).allSatisfy((result) -> {
			assertThat(result.get("outcome").asString()).isEqualTo("failed");
			assertThat(result.at("/error/code").asString()).isEqualTo("STAMPED_UNAVAILABLE");
			assertThat(result.at("/error/httpStatus").asInt()).isEqualTo(503);
			assertThat(result.get("attempts").asInt()).isEqualTo(MAX_ATTEMPTS);
		});
		assertThat(stamped.store().count()).isZero();

		// The retry batch's calls are counted on their own.
		stamped.stats().reset();
		String retry = this.client.post()
			.uri("/api/v1/batches/{id}/retry", id)
			.exchange()
			.expectStatus()
			.isAccepted()
			.expectBody(JsonNode.class)
			.returnResult()
			.getResponseBody()
			.get("id")
			.asString();
		List<JsonNode> retried = runToEnd(retry, 5);
		assertThat(retried).allSatisfy((result) -> assertThat(result.get("outcome").asString()).isEqualTo("created"));
	}

	@Test
	void randomMixOfFaultsEndsWithEveryRecordCreatedOnce() {
		stamped.faults()
			.randomly(0.08, Fault.status(503), 7L)
			.randomly(0.05, Fault.reset(), 11L)
			// Each 429 with Retry-After holds the whole store for a second: this seed
			// fires two in the batch's ~180 calls, enough to mix them with the others.
			.randomly(0.01, Fault.tooManyRequests(Duration.ofSeconds(1)), 22L)
			.randomly(0.01, Fault.noResponse(), 17L)
			.randomly(0.02, StampedEndpoint.CREATE, Fault.resetAfterApplied(), 19L)
			.randomly(0.01, StampedEndpoint.CREATE, Fault.noResponseAfterApplied(), 23L);

		List<JsonNode> results = runToEnd(this.api.submit("faulty", Customers.fresh("mix-", 150)), 150);

		assertThat(stamped.stats().faultsInjected()).isPositive();
		assertThat(results).allSatisfy((result) -> assertThat(result.get("outcome").asString()).isEqualTo("created"));
		assertThat(sumOfAttempts(results)).isEqualTo(stamped.stats().total());
	}

	@Test
	void credentialsRevokedMidBatchPauseItAndVerifyAfterTheirRestorationCompletesItWithNothingLost() {
		String id = this.api.submit("revoked", Customers.fresh("revoked-", 100));
		this.api.await(id, Duration.ofSeconds(60), (batch) -> batch.get("done").asLong() >= 20);
		JsonNode paused;
		try {
			stamped.credentials("wrong", "wrong");
			paused = this.api.await(id, Duration.ofSeconds(30),
					(batch) -> batch.get("status").asString().equals("paused"));
			long done = paused.get("done").asLong();
			long calls = stamped.stats().total();
			await("no call while paused").during(QUIET)
				.atMost(Duration.ofSeconds(5))
				.until(() -> stamped.stats().total() == calls);
			JsonNode stillPaused = this.api.batch(id);
			assertThat(stillPaused.get("status").asString()).isEqualTo("paused");
			assertThat(stillPaused.get("done").asLong()).isEqualTo(done).isLessThan(100);
			assertThat(this.api.counts(stillPaused)).containsEntry("failed", 0L).containsEntry("cancelled", 0L);
			assertThat(stamped.stats().total()).as("no call while paused").isEqualTo(calls);
		}
		finally {
			stamped.credentials(TestSubscriptions.PUBLIC_KEY, TestSubscriptions.PRIVATE_KEY);
		}
		assertThat(paused.get("reason").asString()).contains("credentials");
		assertThat(stamped.stats().responses(401)).isBetween(1L, 2L);

		assertThat(this.api.verify("revoked").get("ok").asBoolean()).isTrue();

		List<JsonNode> results = runToEnd(id, 100);
		assertThat(this.api.batch(id).get("status").asString()).isEqualTo("completed");
		assertThat(results).allSatisfy((result) -> assertThat(result.get("outcome").asString()).isEqualTo("created"));
		// The calls refused with 401 belong to transfers that were put back, not to a
		// record.
		assertThat(sumOfAttempts(results) + stamped.stats().responses(401)).isEqualTo(stamped.stats().total() - 1);
	}

	@Test
	void wrongStoreHashKeepsEveryRecordWaitingPausedUntilTheStoreAnswers() {
		String id = this.api.submit("wrong-hash", Customers.fresh("hash-", 20));
		JsonNode paused = this.api.await(id, Duration.ofSeconds(30),
				(batch) -> batch.get("status").asString().equals("paused"));
		long calls = stamped.stats().total();
		await("no call while paused").during(QUIET)
			.atMost(Duration.ofSeconds(5))
			.until(() -> stamped.stats().total() == calls);

		JsonNode stillPaused = this.api.batch(id);
		assertThat(stillPaused.get("status").asString()).isEqualTo("paused");
		assertThat(stillPaused.get("done").asLong()).isZero();
		assertThat(paused.get("reason").asString()).contains("API Store Hash");
		assertThat(stamped.stats().responses(401)).as("one call per connection at most").isBetween(1L, 4L);
		assertThat(stamped.stats().total()).isEqualTo(stamped.stats().responses(401));
		assertThat(this.api.verify("wrong-hash").get("ok").asBoolean()).isFalse();

		try {
			stamped.storeHash("other-store");
			assertThat(this.api.verify("wrong-hash").get("ok").asBoolean()).isTrue();
			List<JsonNode> results = runToEnd(id, 20);
			assertThat(results)
				.allSatisfy((result) -> assertThat(result.get("outcome").asString()).isEqualTo("created"));
		}
		finally {
			stamped.storeHash(TestSubscriptions.STORE_HASH);
		}
	}

	/**
	 * Waits for the batch to end, then checks what every record says against the
	 * simulator: one outcome each; a created record is the simulator's customer with that
	 * id; a failed one does not exist there; per email, the calls equal the record's
	 * attempts (calls refused with 401 belong to no attempt: the transfer was put back),
	 * and no create was applied twice unless the gateway did not see an earlier one of
	 * that record succeed ({@link UnseenCreates}).
	 */
	private List<JsonNode> runToEnd(String batchId, int total) {
		String subscriptionId = this.api.awaitFinal(batchId, Duration.ofSeconds(120)).get("subscriptionId").asString();
		List<JsonNode> results = this.api.assertOneOutcomePerRecord(batchId, total);
		long created = 0;
		long notAttempts = 0;
		for (JsonNode result : results) {
			String email = result.get("email").asString();
			long calls = stamped.stats().callsFor(email);
			assertThat(calls).as("calls for %s", result).isGreaterThanOrEqualTo(result.get("attempts").asLong());
			notAttempts += calls - result.get("attempts").asLong();
			assertThat(stamped.store().creates(email)).as("creates of %s", result)
				.isLessThanOrEqualTo(
						1 + UnseenCreates.SHARED.of(subscriptionId, result.get("ipaasCustomerId").asString()));
			switch (result.get("outcome").asString()) {
				case "created", "updated" -> {
					created++;
					assertThat(stamped.store().byEmail(email)).as("customer of %s", result)
						.hasValueSatisfying((customer) -> assertThat(Long.toString(customer.id()))
							.isEqualTo(result.get("stampedCustomerId").asString()));
				}
				case "failed" -> {
					assertThat(result.at("/error/code").asString()).isNotEmpty();
					assertThat(stamped.store().byEmail(email)).as("customer of %s", result).isEmpty();
				}
				default -> throw new AssertionError("unexpected outcome: " + result);
			}
		}
		long refused = stamped.stats().callLog().stream().filter((c) -> c.status() == 401 && c.key() != null).count();
		assertThat(notAttempts).as("calls that were no attempt of their record").isEqualTo(refused);
		assertThat(stamped.store().createdNew()).isEqualTo(stamped.store().count());
		assertThat(stamped.store().count()).isGreaterThanOrEqualTo((int) created);
		return results;
	}

	/** The call log, oldest arrival first. */
	private static List<CallRecord<StampedEndpoint>> byArrival() {
		List<CallRecord<StampedEndpoint>> calls = new ArrayList<>(stamped.stats().callLog());
		calls.sort(Comparator.comparingLong(CallRecord::arrivalNanos));
		return calls;
	}

	/**
	 * How long the gateway must leave the store alone after this answer: its Retry-After
	 * in seconds (all this suite's are within the 1 s cap), or the cool-down of a 429
	 * without one.
	 */
	private static Duration waitAfter(CallRecord<StampedEndpoint> call) {
		if (call.retryAfter() != null) {
			return Duration.ofSeconds(Long.parseLong(call.retryAfter()));
		}
		return (call.status() == 429) ? COOL_DOWN : Duration.ZERO;
	}

	private void awaitScriptDone() {
		await("scripted faults used").atMost(Duration.ofSeconds(30)).until(() -> stamped.faults().pending() == 0);
	}

	private static long sumOfAttempts(List<JsonNode> results) {
		return results.stream().mapToLong((result) -> result.get("attempts").asLong()).sum();
	}

	private static long statuses(int status) {
		return stamped.stats().callLog().stream().filter((call) -> call.status() == status).count();
	}

}

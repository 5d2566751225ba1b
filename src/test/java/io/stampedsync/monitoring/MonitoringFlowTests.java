package io.stampedsync.monitoring;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.stampedsync.TestSubscriptions;
import io.stampedsync.TestTokens;
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
import org.springframework.http.MediaType;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The error log and the monitoring view, fed by real batches through Stamped.io
 * simulators: one subscription (and simulator) per scenario.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@AutoConfigureWebTestClient
@Import(TestTokens.AdminClient.class)
class MonitoringFlowTests {

	static final StampedSimulator errors = TestSubscriptions.stampedSimulator();

	static final StampedSimulator locked = TestSubscriptions.stampedSimulator();

	static final StampedSimulator busy = TestSubscriptions.stampedSimulator();

	@TempDir
	static Path dataDir;

	@Autowired
	WebTestClient client;

	@Autowired
	ErrorLog errorLog;

	@Autowired
	MonitoringProperties properties;

	MonitoringApi api;

	@DynamicPropertySource
	static void properties(DynamicPropertyRegistry registry) {
		TestSubscriptions.gateway(registry, dataDir);
		Map<String, String> fast = Map.of("api-throttle-limit", "100000", "api-throttle-seconds", "1");
		TestSubscriptions.subscription(registry, "acme", errors, fast);
		TestSubscriptions.subscription(registry, "locked", locked, fast);
		TestSubscriptions.subscription(registry, "busy", busy, fast);
	}

	@AfterAll
	static void stop() {
		errors.close();
		locked.close();
		busy.close();
	}

	@BeforeEach
	void setUp() {
		this.api = new MonitoringApi(this.client);
	}

	@Test
	void errorLogHoldsFailedAndRejectedTransfersAndTheFailedCalls() {
		errors.faults().next(3, StampedEndpoint.CREATE, Fault.status(400));
		List<String> customers = new ArrayList<>(Customers.fresh("err-", 6));
		customers.add(Customers.customer("bad-1").email("not-an-email").json());
		customers.add(Customers.customer("bad-2").json());

		String since = Instant.now().toString();
		String batchId = this.api.submit("acme", customers);
		this.api.awaitFinal(batchId);

		List<JsonNode> transfers = items(
				MonitoringApi.await(() -> this.api.errors((uri) -> uri.queryParam("batchId", batchId)),
						(page) -> page.get("items").size() == 5, "5 transfer errors"));
		assertThat(transfers).allSatisfy((entry) -> {
			assertThat(entry.get("kind").asString()).isEqualTo("transfer");
			assertThat(entry.get("subscriptionId").asString()).isEqualTo("acme");
			assertThat(entry.get("batchId").asString()).isEqualTo(batchId);
		});
		assertThat(transfers).filteredOn((entry) -> entry.get("code").asString().equals("STAMPED_VALIDATION"))
			.hasSize(3)
			.allSatisfy((entry) -> {
				assertThat(entry.get("message").asString()).startsWith("Customer create or update failed: HTTP 400");
				assertThat(entry.get("httpStatus").asInt()).isEqualTo(400);
				assertThat(entry.get("ipaasCustomerId").asString()).startsWith("err-");
				assertThat(entry.get("email").asString()).endsWith("@example.com");
				assertThat(entry.get("attempts").asInt()).isEqualTo(1);
			});
		assertThat(transfers).filteredOn((entry) -> entry.get("code").asString().equals("INVALID_CUSTOMER"))
			.extracting((entry) -> entry.get("ipaasCustomerId").asString())
			.containsExactlyInAnyOrder("bad-1", "bad-2");

		List<JsonNode> calls = items(this.api.errors((uri) -> uri.queryParam("subscriptionId", "acme")
			.queryParam("kind", "call")
			.queryParam("since", since)));
		assertThat(calls).hasSize(3).allSatisfy((entry) -> {
			assertThat(entry.get("code").asString()).isEqualTo("STAMPED_VALIDATION");
			assertThat(entry.get("direction").asString()).isEqualTo("stamped");
			assertThat(entry.get("message").asString()).startsWith("Customer create or update failed: HTTP 400 (POST ");
			assertThat(entry.has("batchId")).isFalse();
		});

		assertThat(items(
				this.api.errors((uri) -> uri.queryParam("batchId", batchId).queryParam("code", "invalid_customer"))))
			.hasSize(2);
	}

	@Test
	void errorLogIsNewestFirstAndPaged() {
		errors.faults().next(4, StampedEndpoint.CREATE, Fault.status(422));
		String batchId = this.api.submit("acme", Customers.fresh("page-", 4));
		this.api.awaitFinal(batchId);
		MonitoringApi.await(() -> this.api.errors((uri) -> uri.queryParam("batchId", batchId)),
				(page) -> page.get("items").size() == 4, "4 errors");

		List<JsonNode> all = items(this.api.errors((uri) -> uri.queryParam("subscriptionId", "acme")));
		for (int i = 1; i < all.size(); i++) {
			Instant newer = Instant.parse(all.get(i - 1).get("occurredAt").asString());
			Instant older = Instant.parse(all.get(i).get("occurredAt").asString());
			assertThat(newer).isAfterOrEqualTo(older);
		}
		Set<Long> seen = new HashSet<>();
		JsonNode first = this.api.errors((uri) -> uri.queryParam("batchId", batchId).queryParam("size", 3));
		JsonNode second = this.api
			.errors((uri) -> uri.queryParam("batchId", batchId).queryParam("size", 3).queryParam("page", 1));
		assertThat(first.get("more").asBoolean()).isTrue();
		assertThat(second.get("more").asBoolean()).isFalse();
		items(first).forEach((entry) -> seen.add(entry.get("id").asLong()));
		items(second).forEach((entry) -> seen.add(entry.get("id").asLong()));
		assertThat(items(first)).hasSize(3);
		assertThat(items(second)).hasSize(1);
		assertThat(seen).hasSize(4);

		String future = Instant.now().plus(Duration.ofDays(1)).toString();
		assertThat(items(this.api.errors((uri) -> uri.queryParam("since", future)))).isEmpty();
		String past = Instant.now().minus(Duration.ofDays(1)).toString();
		assertThat(items(this.api.errors((uri) -> uri.queryParam("batchId", batchId).queryParam("since", past))))
			.hasSize(4);
	}

	@Test
	void badFiltersAreProblems() {
		for (String query : List.of("code=NOPE", "since=yesterday", "kind=other")) {
			this.client.get()
				.uri("/api/v1/errors?" + query)
				.exchange()
				.expectStatus()
				.isBadRequest()
				.expectHeader()
				.contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON);
		}
	}

	@Test
	void prunesEntriesOlderThanTheRetentionInChunks() {
		Instant now = Instant.now();
		List<ErrorEntry> entries = new ArrayList<>();
		for (int i = 0; i < 5; i++) {
			entries.add(entry("prune-me", now.minus(Duration.ofDays(20)).plusSeconds(i)));
		}
		entries.add(entry("prune-me", now.minus(Duration.ofDays(1))));
		this.errorLog.append(entries).block(Duration.ofSeconds(10));

		Long deleted = this.errorLog.prune(now.minus(this.properties.errorRetention()), 2)
			.block(Duration.ofSeconds(10));

		assertThat(deleted).isEqualTo(5);
		assertThat(items(this.api.errors((uri) -> uri.queryParam("subscriptionId", "prune-me")))).hasSize(1);
		// A day later the last one is past the retention too; errors of the other tests,
		// all from the last hour, stay.
		Clock dayLater = Clock.fixed(now.plus(this.properties.errorRetention()).minus(Duration.ofHours(1)),
				ZoneOffset.UTC);
		ErrorPruner later = new ErrorPruner(this.errorLog, dayLater, this.properties);
		assertThat(later.prune().block(Duration.ofSeconds(10))).isEqualTo(1);
		assertThat(items(this.api.errors((uri) -> uri.queryParam("subscriptionId", "prune-me")))).isEmpty();
	}

	@Test
	void monitoringShowsPausedWhileCredentialsAreRejected() {
		locked.credentials("x", "y");
		String batchId = this.api.submit("locked", Customers.fresh("lock-", 3));

		JsonNode paused = this.api.awaitHealth("locked", (health) -> "paused".equals(health.get("health").asString())
				&& health.get("pausedBatches").asInt() == 1, "locked paused");

		assertThat(paused.get("reason").asString()).isEqualTo("credentials rejected");
		assertThat(paused.get("directions").get("stamped").get("credentialsRejected").asBoolean()).isTrue();
		assertThat(paused.get("recordsWaiting").asLong()).isBetween(1L, 3L);
		assertThat(paused.get("lastError").get("code").asString()).isEqualTo("STAMPED_AUTH");

		locked.credentials(TestSubscriptions.PUBLIC_KEY, TestSubscriptions.PRIVATE_KEY);
		this.client.post().uri("/api/v1/subscriptions/locked/verify").exchange().expectStatus().isOk();
		assertThat(this.api.awaitFinal(batchId).get("status").asString()).isEqualTo("completed");
		JsonNode healthy = this.api.awaitHealth("locked", (health) -> "healthy".equals(health.get("health").asString()),
				"locked healthy");
		assertThat(healthy.get("recordsWaiting").asLong()).isZero();
		assertThat(healthy.get("directions").get("stamped").get("limit").asInt()).isEqualTo(100000);
		assertThat(healthy.get("directions").get("stamped").get("windowSeconds").asInt()).isEqualTo(1);
	}

	@Test
	void monitoringShowsCoolDownAfterA429WithRetryAfter() {
		busy.faults().next(1, StampedEndpoint.CREATE, Fault.tooManyRequests(Duration.ofSeconds(10)));
		Instant before = Instant.now();
		String batchId = this.api.submit("busy", Customers.fresh("busy-", 1));

		JsonNode coolDown = this.api.awaitHealth("busy",
				(health) -> "cool-down".equals(health.get("health").asString()), "busy cool-down");

		Instant until = Instant.parse(coolDown.get("until").asString());
		assertThat(until).isAfter(before.plusSeconds(5)).isBefore(Instant.now().plusSeconds(11));
		assertThat(coolDown.get("directions").get("stamped").get("coolDownUntil").asString())
			.isEqualTo(coolDown.get("until").asString());
		assertThat(this.api.awaitFinal(batchId).get("status").asString()).isEqualTo("completed");
	}

	private static ErrorEntry entry(String subscriptionId, Instant at) {
		return new ErrorEntry(null, subscriptionId, null, null, null, null, "NETWORK", "test", null, 1, "stamped",
				ErrorEntry.CALL, at);
	}

	private static List<JsonNode> items(JsonNode page) {
		return page.get("items").valueStream().toList();
	}

}

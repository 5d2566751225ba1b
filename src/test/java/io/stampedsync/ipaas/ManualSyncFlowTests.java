package io.stampedsync.ipaas;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

import io.stampedsync.TestSubscriptions;
import io.stampedsync.TestTokens;
import io.stampedsync.sandbox.Fault;
import io.stampedsync.sandbox.IpaasEndpoint;
import io.stampedsync.sandbox.IpaasSimulator;
import io.stampedsync.sandbox.StampedSimulator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.context.annotation.Import;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;

import static org.awaitility.Awaitility.await;
import static io.stampedsync.ipaas.IpaasApi.SYSTEM_ID;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Manual Sync end to end through both simulators, each with a strict sliding window of
 * 300 calls per second that the subscription's pacing must respect.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@AutoConfigureWebTestClient
@Import(TestTokens.AdminClient.class)
class ManualSyncFlowTests {

	static final int LIMIT = 300;

	static final StampedSimulator stamped = TestSubscriptions.stampedSimulator();

	static final IpaasSimulator ipaas = new IpaasSimulator(IpaasApi.TOKEN).start();

	static {
		stamped.rateLimit(LIMIT, Duration.ofSeconds(1));
		ipaas.rateLimit(LIMIT, Duration.ofSeconds(1));
	}

	@TempDir
	static Path dataDir;

	@Autowired
	WebTestClient webClient;

	IpaasApi api;

	@DynamicPropertySource
	static void properties(DynamicPropertyRegistry registry) {
		TestSubscriptions.gateway(registry, dataDir);
		IpaasApi.subscription(registry, "acme", stamped, ipaas,
				// Configured a little under the stores' own limit, as an operator would:
				// at 300
				// calls a second one pacing interval is 3 ms, less than the arrival
				// jitter of a
				// loaded machine, which the stores' strict windows would count.
				Map.of("api-throttle-limit", Integer.toString(LIMIT - 10), "api-throttle-seconds", "1",
						"ipaas-throttle-limit", Integer.toString(LIMIT - 10), "ipaas-throttle-seconds", "1",
						"concurrent-connections", "8"));
		TestSubscriptions.subscription(registry, "noipaas", stamped, Map.of());
	}

	@AfterAll
	static void stop() {
		stamped.close();
		ipaas.close();
	}

	@BeforeEach
	void setUp() {
		this.api = new IpaasApi(this.webClient);
		stamped.latency(Duration.ZERO);
		ipaas.latency(Duration.ZERO);
	}

	/**
	 * Each id costs two iPaaS.com calls, so 1000 ids keep that store's window full for
	 * about seven windows in a row: enough for any pacing slip to show, without paying
	 * for more windows that show the same. The largest Manual Sync accepted is checked in
	 * {@link #manualSyncBodiesAreCheckedBeforeAnythingIsQueued()}.
	 */
	@Test
	void manualSyncOf1000IdsKeepsBothRateLimitsAndWritesEveryIdBack() {
		List<String> ids = ids(200_000, 1000);
		long writesBefore = ipaas.store().externalIdWriteCount();
		ipaas.stats().reset();
		stamped.stats().reset();

		String batchId = this.api.manualSync("acme", ids, false);
		JsonNode batch = this.api.awaitFinal(batchId, Duration.ofSeconds(180));

		assertThat(batch.get("source").asString()).isEqualTo("manual");
		assertThat(batch.get("status").asString()).isEqualTo("completed");
		assertThat(batch.get("counts").get("created").asLong()).isEqualTo(1000);
		// One read per id; on a loaded machine a few answers (at most 2 %) come late and
		// are read again.
		assertThat(ipaas.stats().calls(IpaasEndpoint.GET_CUSTOMER)).isBetween(1000L, 1000L + 20);
		// A write-back whose answer came too late is sent again: count customers, not
		// calls.
		assertThat(ipaas.store().externalIdWriteCount() - writesBefore).isGreaterThanOrEqualTo(1000);
		assertThat(ids).allSatisfy((id) -> assertThat(ipaas.store().externalId(id, SYSTEM_ID)).isPresent());
		assertThat(ipaas.stats().maxArrivalsInWindow()).isLessThanOrEqualTo(LIMIT);
		assertThat(ipaas.stats().rateLimited()).isZero();
		assertThat(stamped.stats().maxArrivalsInWindow()).isLessThanOrEqualTo(LIMIT);
		assertThat(stamped.stats().rateLimited()).isZero();
	}

	@Test
	void aDebugManualSyncJumpsTheQueueOfRunningBatchesAndTracesEveryCall() {
		stamped.latency(Duration.ofMillis(30));
		ipaas.latency(Duration.ofMillis(30));
		List<String> running = new ArrayList<>();
		// 300 records of three calls at 30 ms, 8 at a time: seconds of work left when
		// the debug batch of 3 arrives.
		for (int i = 0; i < 3; i++) {
			running.add(this.api.manualSync("acme", ids(300_000 + i * 1000, 100), false));
		}
		for (String id : running) {
			awaitStatus(id, "running");
		}

		String debugId = this.api.manualSync("acme", ids(310_000, 3), true);
		JsonNode debug = this.api.awaitFinal(debugId, Duration.ofSeconds(60));

		assertThat(debug.get("debug").asBoolean()).isTrue();
		assertThat(debug.get("counts").get("created").asLong()).isEqualTo(3);
		Instant debugFinished = Instant.parse(debug.get("finishedAt").asString());
		for (String id : running) {
			JsonNode other = this.api.awaitFinal(id, Duration.ofSeconds(60));
			assertThat(Instant.parse(other.get("finishedAt").asString())).as("batch %s", id).isAfter(debugFinished);
			assertThat(this.api.results(id)).allSatisfy((record) -> assertThat(record.has("trace")).isFalse());
		}
		String raw = this.api.resultsJson(debugId);
		assertThat(raw).doesNotContain(IpaasApi.TOKEN, TestSubscriptions.PRIVATE_KEY, "Bearer", "Basic",
				"Authorization");
		for (JsonNode record : this.api.results(debugId)) {
			List<JsonNode> trace = record.get("trace").valueStream().toList();
			String id = record.get("ipaasCustomerId").asString();
			assertThat(trace)
				.extracting((call) -> call.get("direction").asString() + " " + call.get("method").asString() + " "
						+ call.get("path").asString())
				.containsExactly("ipaas GET /customers/v2/Customer/" + id,
						"stamped POST /api/v2/" + TestSubscriptions.STORE_HASH + "/dashboard/customers/add",
						"ipaas POST /customers/v2/External/UpdateExternalId");
			assertThat(trace).allSatisfy((call) -> {
				assertThat(call.get("status").asInt()).isEqualTo(200);
				assertThat(call.get("attempt").asInt()).isEqualTo(1);
				assertThat(call.get("durationMs").asLong()).isGreaterThanOrEqualTo(0);
			});
		}
	}

	@Test
	void unknownIdsEndFailedWithIpaasNotFound() {
		ipaas.store().remove("320000");

		String batchId = this.api.manualSync("acme", List.of("320000", "99999999", "320001"), false);
		JsonNode batch = this.api.awaitFinal(batchId, Duration.ofSeconds(30));

		assertThat(batch.get("status").asString()).isEqualTo("completed_with_errors");
		assertThat(this.api.results(batchId))
			.extracting((record) -> record.get("ipaasCustomerId").asString() + " " + record.get("outcome").asString()
					+ " " + (record.has("error") ? record.get("error").get("code").asString() : "-"))
			.containsExactly("320000 failed IPAAS_NOT_FOUND", "99999999 failed IPAAS_NOT_FOUND", "320001 created -");
		assertThat(this.api.results(batchId).get(0).get("error").get("httpStatus").asInt()).isEqualTo(404);
	}

	@Test
	void theWriteBackIsSkippedWhenIpaasAlreadyHoldsTheLinkAndNeverFailsTheTransfer() {
		ipaas.faults().next(1, IpaasEndpoint.UPDATE_EXTERNAL_ID, Fault.status(400));
		String first = this.api.manualSync("acme", List.of("330000"), false);
		assertThat(this.api.awaitFinal(first, Duration.ofSeconds(30)).get("counts").get("created").asLong())
			.as("a refused write-back leaves the outcome alone")
			.isEqualTo(1);
		assertThat(ipaas.store().externalId("330000", SYSTEM_ID)).isEmpty();

		ObjectNode changed = ipaas.store().customer("330001").orElseThrow();
		String firstSync = this.api.manualSync("acme", List.of("330001"), false);
		this.api.awaitFinal(firstSync, Duration.ofSeconds(30));
		String stampedId = ipaas.store().externalId("330001", SYSTEM_ID).orElseThrow();
		long writes = ipaas.store().externalIdWriteCount();
		changed.put("last_name", "Renamed");
		ipaas.store().put(changed);

		String second = this.api.manualSync("acme", List.of("330001"), false);
		JsonNode result = this.api.results(this.api.awaitFinal(second, Duration.ofSeconds(30)).get("id").asString())
			.get(0);

		assertThat(result.get("outcome").asString()).isEqualTo("updated");
		assertThat(result.get("stampedCustomerId").asString()).isEqualTo(stampedId);
		assertThat(ipaas.store().externalIdWriteCount()).isEqualTo(writes);
	}

	@Test
	void manualSyncBodiesAreCheckedBeforeAnythingIsQueued() {
		int batches = this.api.batchCount("acme");
		this.api.manualSync("acme", "{\"ids\": " + quoted(ids(1, 3001)) + "}").expectStatus().isEqualTo(413);
		this.api.manualSync("acme", "{\"ids\": []}").expectStatus().isEqualTo(422);
		this.api.manualSync("acme", "{\"debug\": true}").expectStatus().isEqualTo(422);
		this.api.manualSync("acme", "{\"ids\": [\"1\", \" \", \"" + "9".repeat(65) + "\", {}]}")
			.expectStatus()
			.isEqualTo(422)
			.expectBody()
			.jsonPath("$.errors[*].field")
			.isEqualTo(List.of("ids[1]", "ids[2]", "ids[3]"));
		this.api.manualSync("acme", "[1, 2").expectStatus().isBadRequest();
		this.api.manualSync("noipaas", "{\"ids\": [\"1\"]}").expectStatus().isEqualTo(422);
		this.api.manualSync("nobody", "{\"ids\": [\"1\"]}").expectStatus().isNotFound();
		assertThat(this.api.batchCount("acme")).isEqualTo(batches);

		// The limit counts the ids as sent, duplicates included: the largest body
		// accepted costs one transfer.
		String largest = this.api.manualSync("acme", "{\"ids\": " + quoted(Collections.nCopies(3000, "340002")) + "}")
			.expectStatus()
			.isAccepted()
			.expectBody()
			.jsonPath("$.requested")
			.isEqualTo(3000)
			.jsonPath("$.total")
			.isEqualTo(1)
			.returnResult()
			.getResponseHeaders()
			.getLocation()
			.getPath();
		this.api.awaitFinal(largest.substring(largest.lastIndexOf('/') + 1), Duration.ofSeconds(30));

		String location = this.api.manualSync("acme", "{\"ids\": [\"340001\", 340000, \"340001\"]}")
			.expectStatus()
			.isAccepted()
			.expectHeader()
			.valueMatches("Location", "/api/v1/batches/[0-9a-f-]{36}")
			.expectBody()
			.jsonPath("$.total")
			.isEqualTo(2)
			.jsonPath("$.requested")
			.isEqualTo(3)
			.jsonPath("$.duplicates")
			.isEqualTo(1)
			.jsonPath("$.debug")
			.isEqualTo(false)
			.jsonPath("$.source")
			.isEqualTo("manual")
			.returnResult()
			.getResponseHeaders()
			.getLocation()
			.getPath();
		this.api.awaitFinal(location.substring(location.lastIndexOf('/') + 1), Duration.ofSeconds(30));
	}

	private void awaitStatus(String batchId, String status) {
		await("batch " + batchId + " " + status).atMost(Duration.ofSeconds(30))
			.until(() -> this.api.batch(batchId).get("status").asString().equals(status));
	}

	static List<String> ids(int first, int count) {
		return IntStream.range(first, first + count).mapToObj(Integer::toString).toList();
	}

	static String quoted(List<String> ids) {
		return "[" + String.join(",", ids.stream().map((id) -> "\"" + id + "\"").toList()) + "]";
	}

}

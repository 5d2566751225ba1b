package io.stampedsync.faults;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.stampedsync.GatewayApi;
import io.stampedsync.TestSubscriptions;
import io.stampedsync.sandbox.CallRecord;
import io.stampedsync.sandbox.StampedSimulator;
import io.stampedsync.testing.Customers;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The packaged gateway killed (SIGKILL) or stopped (SIGTERM) in the middle of a batch,
 * then started again on the same data directory. The simulator runs in this JVM and
 * outlives the gateway.
 */
class CrashRecoveryIT {

	@TempDir
	Path dataDir;

	StampedSimulator stamped;

	@BeforeEach
	void start() {
		this.stamped = TestSubscriptions.stampedSimulator();
	}

	@AfterEach
	void stop() {
		this.stamped.close();
	}

	@Test
	void killedInTheMiddleOfA2000RecordBatchCompletesAfterRestartWithoutDuplicateCreates() {
		this.stamped.latency(Duration.ofMillis(2));
		String id;
		long createdAtKill;
		try (GatewayProcess first = start("crash-1", 4)) {
			GatewayApi api = first.api();
			// The kill lands after 400 outcomes with 1600 records still to go: in the
			// middle with seconds to spare, and the bounds below (4 in flight, 64 not
			// journaled) do not depend on the batch's size.
			id = api.submit("crash", Customers.fresh("crash-", 2000));
			api.await(id, Duration.ofSeconds(180), (batch) -> batch.get("done").asLong() >= 400);
			first.kill();
			createdAtKill = this.stamped.store().createdNew();
		}
		assertThat(createdAtKill).as("killed in the middle").isBetween(400L, 1999L);

		try (GatewayProcess second = start("crash-2", 4)) {
			GatewayApi api = second.api();
			JsonNode batch = api.awaitFinal(id, Duration.ofSeconds(300));
			assertThat(batch.get("status").asString()).isEqualTo("completed");
			// A record whose create and link went through just before the kill, but whose
			// outcome was not stored yet, runs again and finds its link: it ends
			// `unchanged`, naming the customer it created.
			Map<String, Long> counts = api.counts(batch);
			assertThat(counts.get("created") + counts.get("unchanged")).isEqualTo(2000L);
			assertThat(counts.get("unchanged")).isLessThanOrEqualTo(64L);
			List<JsonNode> results = api.assertOneOutcomePerRecord(id, 2000);
			assertCreatedOnce(results, "created", "unchanged");
			// In flight (4 connections) or not yet journaled (64) at the kill.
			CreatesPerEmail.assertAfterKill(this.stamped, results, 4 + 64);
		}
		assertThat(this.stamped.store().createdNew()).isEqualTo(2000);
		assertThat(this.stamped.store().count()).isEqualTo(2000);
	}

	@Test
	void stoppedGracefullyInTheMiddleOfABatchFinishesItsCallsAndResumesTheRestAfterStart() {
		this.stamped.latency(Duration.ofMillis(100));
		String id;
		try (GatewayProcess first = start("graceful-1", 8)) {
			GatewayApi api = first.api();
			id = api.submit("crash", Customers.fresh("graceful-", 400));
			api.await(id, Duration.ofSeconds(120), (batch) -> batch.get("done").asLong() >= 80);
			first.stop(Duration.ofSeconds(60));
		}
		// Every call that reached the simulator was answered: none was cut off.
		List<CallRecord<?>> calls = new ArrayList<>(this.stamped.stats().callLog());
		assertThat(this.stamped.stats().inFlight()).isZero();
		assertThat(calls).hasSize((int) this.stamped.stats().total())
			.allSatisfy((call) -> assertThat(call.status()).isEqualTo(200));
		long createdBeforeRestart = this.stamped.store().createdNew();
		assertThat(createdBeforeRestart).isBetween(80L, 399L);

		try (GatewayProcess second = start("graceful-2", 8)) {
			GatewayApi api = second.api();
			JsonNode batch = api.awaitFinal(id, Duration.ofSeconds(120));
			assertThat(batch.get("status").asString()).isEqualTo("completed");
			assertThat(api.counts(batch)).containsEntry("created", 400L)
				.containsEntry("failed", 0L)
				.containsEntry("cancelled", 0L);
			List<JsonNode> results = api.assertOneOutcomePerRecord(id, 400);
			assertCreatedOnce(results, "created");
			CreatesPerEmail.assertExact(this.stamped, results);
		}
		// No record was sent again: each finished call's outcome was stored before the
		// stop.
		assertThat(this.stamped.store().deduplicated()).isZero();
		assertThat(this.stamped.store().createdNew()).isEqualTo(400);
	}

	private void assertCreatedOnce(List<JsonNode> results, String... outcomes) {
		assertThat(results).allSatisfy((result) -> {
			assertThat(result.get("outcome").asString()).isIn((Object[]) outcomes);
			assertThat(this.stamped.store().byEmail(result.get("email").asString()))
				.hasValueSatisfying((customer) -> assertThat(Long.toString(customer.id()))
					.isEqualTo(result.get("stampedCustomerId").asString()));
		});
	}

	private GatewayProcess start(String name, int connections) {
		List<String> arguments = new ArrayList<>(GatewayProcess.gatewayArguments(this.dataDir.toFile()));
		String prefix = "--stamped-sync.subscriptions.crash.";
		arguments.addAll(List.of(prefix + "api-url=" + this.stamped.baseUrl(),
				prefix + "api-public-key=" + TestSubscriptions.PUBLIC_KEY,
				prefix + "api-private-key=" + TestSubscriptions.PRIVATE_KEY,
				prefix + "api-store-hash=" + TestSubscriptions.STORE_HASH,
				prefix + "concurrent-connections=" + connections, prefix + "api-throttle-limit=100000",
				prefix + "api-throttle-seconds=1"));
		List<String> jvmOptions = new ArrayList<>(GatewayProcess.FAST_START);
		jvmOptions.add("-Xmx512m");
		return GatewayProcess.start(jvmOptions, arguments, Path.of("target", "it-logs", name + ".log"));
	}

}

package io.stampedsync.cluster;

import java.util.function.Predicate;
import io.stampedsync.environment.Requirement;
import io.stampedsync.environment.Requires;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.stampedsync.GatewayApi;
import io.stampedsync.TestSubscriptions;
import io.stampedsync.faults.CreatesPerEmail;
import io.stampedsync.faults.GatewayProcess;
import io.stampedsync.sandbox.StampedSimulator;
import io.stampedsync.testing.Customers;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

import static org.awaitility.Awaitility.await;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Two packaged gateways as child JVMs, replicas on one fresh PostgreSQL schema, both
 * pointing at one Stamped.io simulator in this JVM. The replica running the subscription
 * is killed with SIGKILL in the middle of a batch; the other takes the lease over once it
 * expires and completes the batch.
 */
@Requires(Requirement.POSTGRES)
class FailoverIT {

	static final String SUBSCRIPTION = "failover";

	static final int RECORDS = 3000;

	/** Short, so the test is quick; failover takes one to two of them. */
	static final Duration LEASE = Duration.ofSeconds(3);

	@TempDir
	Path dataDir;

	PostgresSchema schema;

	StampedSimulator stamped;

	@BeforeEach
	void start() {
		this.schema = PostgresSchema.create();
		this.stamped = TestSubscriptions.stampedSimulator();
	}

	@AfterEach
	void stop() {
		if (this.stamped != null) {
			this.stamped.close();
		}
		if (this.schema != null) {
			this.schema.drop();
		}
	}

	@Test
	void ownerKilledMidBatchLosesItToTheOtherReplicaWhichCompletesItWithOneOutcomePerRecord() {
		this.stamped.latency(Duration.ofMillis(5));
		// The first replica migrates the schema and takes the only lease before the
		// second starts.
		try (GatewayProcess first = start("replica-a"); GatewayProcess second = start("replica-b")) {
			String before = awaitOwner((name) -> true, Duration.ofSeconds(60));
			// Taken by the replica that does not run the subscription: NOTIFY wakes the
			// owner.
			GatewayApi intake = (before.equals("replica-a") ? second : first).api();
			String id = intake.submit(SUBSCRIPTION, Customers.fresh("failover-", RECORDS));
			intake.await(id, Duration.ofSeconds(180), (batch) -> batch.get("done").asLong() >= 600);
			// The owner now (a loaded machine can make a lease change hands on its own).
			String owner = awaitOwner((name) -> true, Duration.ofSeconds(60));
			GatewayProcess killed = owner.equals("replica-a") ? first : second;
			GatewayProcess survivor = (killed == first) ? second : first;
			String survivorName = (killed == first) ? "replica-b" : "replica-a";
			GatewayApi api = survivor.api();
			killed.kill();
			long killedAt = System.nanoTime();
			long createdAtKill = this.stamped.store().createdNew();
			assertThat(createdAtKill).as("killed in the middle").isBetween(600L, RECORDS - 1L);

			awaitOwner(survivorName::equals, Duration.ofSeconds(120));
			double takeover = (System.nanoTime() - killedAt) / 1e9;
			System.out.printf("Failover: lease of %s moved to %s %.1f s after the SIGKILL (lease time %s)%n",
					SUBSCRIPTION, survivorName, takeover, LEASE);

			JsonNode batch = api.awaitFinal(id, Duration.ofSeconds(300));
			assertThat(batch.get("status").asString()).isEqualTo("completed");
			// A record whose create and link landed just before the kill, but whose
			// outcome did not, runs again on the survivor and finds its link: unchanged.
			Map<String, Long> counts = api.counts(batch);
			assertThat(counts.get("created") + counts.get("unchanged")).as("%s", counts).isEqualTo(RECORDS);
			assertThat(counts.get("unchanged")).isLessThanOrEqualTo(64L);
			List<JsonNode> results = api.assertOneOutcomePerRecord(id, RECORDS);
			// In flight (4 connections) or not yet journaled (64) at the kill.
			CreatesPerEmail.assertAfterKill(this.stamped, results, 4 + 64);
			assertThat(results)
				.allSatisfy((result) -> assertThat(this.stamped.store().byEmail(result.get("email").asString()))
					.hasValueSatisfying((customer) -> assertThat(Long.toString(customer.id()))
						.isEqualTo(result.get("stampedCustomerId").asString())));
		}
		// Nobody was created twice: the store has one customer per record.
		assertThat(this.stamped.store().createdNew()).isEqualTo(RECORDS);
		assertThat(this.stamped.store().count()).isEqualTo(RECORDS);
		long token = (Long) this.schema
			.query("SELECT fencing_token FROM subscription_lease WHERE subscription_id = '" + SUBSCRIPTION + "'")
			.get(0)
			.get("fencing_token");
		assertThat(token).as("the lease changed hands").isGreaterThan(1L);
	}

	/** Waits for a live lease of the subscription held by a replica {@code matching}. */
	private String awaitOwner(Predicate<String> matching, Duration timeout) {
		List<Map<String, Object>> rows = await("an owner as expected").atMost(timeout)
			.pollInterval(Duration.ofMillis(100))
			.until(() -> this.schema.query("SELECT owner FROM subscription_lease WHERE subscription_id = '"
					+ SUBSCRIPTION + "' AND expires_at >= now()"),
					(found) -> !found.isEmpty() && matching.test((String) found.get(0).get("owner")));
		return (String) rows.get(0).get("owner");
	}

	private GatewayProcess start(String name) {
		List<String> arguments = new ArrayList<>(GatewayProcess.gatewayArguments(this.dataDir.resolve(name).toFile()));
		this.schema.properties().forEach((key, value) -> arguments.add("--" + key + "=" + value));
		arguments.addAll(List.of("--stamped-sync.cluster.enabled=true", "--stamped-sync.cluster.replica-id=" + name,
				"--stamped-sync.cluster.lease-time=" + LEASE.toMillis() + "ms"));
		String prefix = "--stamped-sync.subscriptions." + SUBSCRIPTION + ".";
		arguments.addAll(List.of(prefix + "api-url=" + this.stamped.baseUrl(),
				prefix + "api-public-key=" + TestSubscriptions.PUBLIC_KEY,
				prefix + "api-private-key=" + TestSubscriptions.PRIVATE_KEY,
				prefix + "api-store-hash=" + TestSubscriptions.STORE_HASH, prefix + "concurrent-connections=4",
				// Paced, so that the batch takes long enough to be killed in the middle.
				prefix + "api-throttle-limit=200", prefix + "api-throttle-seconds=1"));
		return GatewayProcess.start(List.of("-Xmx384m"), arguments, Path.of("target", "it-logs", name + ".log"));
	}

}

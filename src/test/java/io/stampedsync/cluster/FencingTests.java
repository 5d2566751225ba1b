package io.stampedsync.cluster;

import io.stampedsync.testing.Customers;
import org.awaitility.Awaitility;
import io.stampedsync.environment.Requirement;
import io.stampedsync.environment.Requires;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;

import io.stampedsync.GatewayApi;
import io.stampedsync.TestSubscriptions;
import io.stampedsync.sandbox.StampedSimulator;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Fencing on the real PostgreSQL: the lease of a subscription is taken away under its
 * running dispatcher (as another replica would after this one slept past its lease), and
 * not one outcome, event or link of the old holder lands after that.
 */
@Requires(Requirement.POSTGRES)
class FencingTests {

	static final String SUBSCRIPTION = "f1";

	static final int RECORDS = 80;

	static final StampedSimulator store = TestSubscriptions.stampedSimulator();

	@RegisterExtension
	static final ReplicaCluster cluster = new ReplicaCluster(Duration.ofSeconds(30)).closing(store);

	static Replicas replicas;

	@BeforeAll
	static void start() {
		// A long lease, renewed every 10 s: what stops the old holder here is the fence,
		// not its next renewal.
		replicas = cluster.replicas();
		store.latency(Duration.ofMillis(50));
		replicas.subscription(SUBSCRIPTION, store,
				Map.of("api-throttle-limit", "20", "api-throttle-seconds", "1", "concurrent-connections", "2"));
		replicas.start("r1");
	}

	@Test
	void replicaWhoseLeaseWasTakenStoresNothingMoreAndEveryRecordEndsOnce() {
		await(() -> replicas.owners().containsKey(SUBSCRIPTION));
		LeaseOwnership ownership = replicas.context("r1").getBean(LeaseOwnership.class);
		String batchId = submit(Customers.fresh("fence-", RECORDS));
		await(() -> store.store().createdNew() >= 10);

		long stolen = (Long) cluster.schema()
			.query("UPDATE subscription_lease SET owner = 'intruder', fencing_token = fencing_token + 1, "
					+ "expires_at = now() + interval '1 hour' WHERE subscription_id = '" + SUBSCRIPTION
					+ "' RETURNING fencing_token")
			.get(0)
			.get("fencing_token");
		// Whatever committed before the steal is in these counts; nothing may come after.
		Snapshot atSteal = Snapshot.of(batchId);
		assertThat(atSteal.outcomes()).as("stolen mid-batch").isLessThan(RECORDS);

		await(() -> !ownership.owns(SUBSCRIPTION));
		// Leave the old holder's calls in flight, and any it would still start, time to
		// try their writes: not one may land, at any moment of that time.
		Awaitility.await("nothing lands after the steal")
			.during(Duration.ofSeconds(2))
			.atMost(Duration.ofSeconds(10))
			.until(() -> Snapshot.of(batchId).equals(atSteal));

		// The lease comes free; the replica takes it again with a new token and finishes.
		cluster.schema()
			.query("UPDATE subscription_lease SET expires_at = now() - interval '1 second' "
					+ "WHERE subscription_id = '" + SUBSCRIPTION + "' RETURNING fencing_token");
		JsonNode batch = awaitFinal(batchId);
		assertThat(batch.get("status").asString()).isEqualTo("completed");
		assertThat(Snapshot.of(batchId).outcomes()).isEqualTo(RECORDS);
		List<Map<String, Object>> perRecord = cluster.schema()
			.query("SELECT COUNT(*) AS n FROM batch_record WHERE batch_id = '" + batchId
					+ "' AND outcome IN ('created', 'updated', 'unchanged')");
		assertThat((Long) perRecord.get(0).get("n")).isEqualTo(RECORDS);
		// Records whose create reached the store but whose outcome was refused are sent
		// again by the new holder: the store answers with the customer it has.
		assertThat(store.store().createdNew()).isEqualTo(RECORDS);
		assertThat(store.store().count()).isEqualTo(RECORDS);
		long token = (Long) cluster.schema()
			.query("SELECT fencing_token FROM subscription_lease WHERE subscription_id = '" + SUBSCRIPTION + "'")
			.get(0)
			.get("fencing_token");
		assertThat(token).isGreaterThan(stolen);
	}

	/** What the journal holds of the batch: outcomes, events, links. */
	record Snapshot(long outcomes, long events, long links) {

		static Snapshot of(String batchId) {
			Map<String, Object> row = cluster.schema()
				.query("SELECT (SELECT COUNT(*) FROM batch_record WHERE batch_id = '" + batchId
						+ "' AND outcome IS NOT NULL) AS outcomes, (SELECT COUNT(*) FROM batch_event WHERE batch_id = '"
						+ batchId
						+ "') + (SELECT COUNT(*) FROM batch_record WHERE event_seq IS NOT NULL AND batch_id = '"
						+ batchId + "') AS events, (SELECT COUNT(*) FROM customer_link WHERE subscription_id = '"
						+ SUBSCRIPTION + "') AS links")
				.get(0);
			return new Snapshot((Long) row.get("outcomes"), (Long) row.get("events"), (Long) row.get("links"));
		}

	}

	private static String submit(List<String> customers) {
		return new GatewayApi(replicas.client("r1")).submit(SUBSCRIPTION, customers);
	}

	private static JsonNode awaitFinal(String batchId) {
		return new GatewayApi(replicas.client("r1")).await(batchId, Duration.ofSeconds(90),
				(batch) -> batch.get("status").asString().startsWith("completed"));
	}

	/** Polls for up to 90 s: generous, for a shared machine. */
	private static void await(BooleanSupplier condition) {
		GatewayApi.until(condition, Duration.ofSeconds(90));
	}

}

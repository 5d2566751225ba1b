package io.stampedsync.cluster;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import io.stampedsync.environment.Requirement;
import io.stampedsync.environment.Requires;
import io.stampedsync.GatewayApi;
import io.stampedsync.TestSubscriptions;
import io.stampedsync.sandbox.StampedSimulator;
import io.stampedsync.testing.Customers;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A cancel in distributed mode is stored with the batch: its owner applies it on the
 * NOTIFY or, when that notification is lost (its LISTEN connection down at that moment),
 * at its next lease renewal.
 */
@Requires(Requirement.POSTGRES)
class DurableCancelTests {

	/** Lease time 3 s: leases are renewed every second. */
	static final Duration LEASE_TIME = Duration.ofSeconds(3);

	static final Duration RENEW_EVERY = LEASE_TIME.dividedBy(3);

	static final List<String> REPLICAS = List.of("d1", "d2");

	static final StampedSimulator store = TestSubscriptions.stampedSimulator();

	@RegisterExtension
	static final ReplicaCluster cluster = new ReplicaCluster(LEASE_TIME).closing(store);

	static Replicas replicas;

	@BeforeAll
	static void start() {
		replicas = cluster.replicas();
		// 5 calls a second: a batch of 200 runs for 40 s, long enough to cancel midway.
		replicas.subscription("slow", store,
				Map.of("api-throttle-limit", "5", "api-throttle-seconds", "1", "concurrent-connections", "1"));
		REPLICAS.forEach(replicas::start);
	}

	@Test
	void aCancelWhoseNotificationWasLostIsAppliedAtTheNextRenewal() {
		String owner = awaitOwner();
		GatewayApi api = new GatewayApi(replicas.client(owner));
		String batchId = api.submit("slow", Customers.fresh("lost-notify-", 200));
		long created = store.store().createdNew();
		await().atMost(Duration.ofSeconds(60)).until(() -> store.store().createdNew() >= created + 3);

		// What another replica's cancel stores, without the NOTIFY: as if the owner's
		// LISTEN connection had been down when it was sent.
		assertThat(cluster.schema()
			.query("UPDATE batch SET cancel_requested = TRUE WHERE id = '" + batchId + "' RETURNING id")).hasSize(1);

		await().atMost(RENEW_EVERY.multipliedBy(2).plusSeconds(3))
			.until(() -> api.batch(batchId).get("status").asString(), "cancelled"::equals);
		assertOneOutcomeEach(api.batch(batchId), 200);
	}

	@Test
	void aCancelSentToAReplicaThatDoesNotRunTheBatchIsStored() {
		String owner = awaitOwner();
		String other = REPLICAS.stream().filter((replica) -> !replica.equals(owner)).findFirst().orElseThrow();
		GatewayApi api = new GatewayApi(replicas.client(other));
		String batchId = api.submit("slow", Customers.fresh("stored-cancel-", 200));
		long created = store.store().createdNew();
		await().atMost(Duration.ofSeconds(60)).until(() -> store.store().createdNew() >= created + 3);

		api.client().delete().uri("/api/v1/batches/{id}", batchId).exchange().expectStatus().isAccepted();

		assertThat(cluster.schema().query("SELECT cancel_requested FROM batch WHERE id = '" + batchId + "'"))
			.singleElement()
			.satisfies((row) -> assertThat(row.get("cancel_requested")).isEqualTo(true));
		await().atMost(RENEW_EVERY.multipliedBy(2).plusSeconds(3))
			.until(() -> api.batch(batchId).get("status").asString(), "cancelled"::equals);
		assertOneOutcomeEach(api.batch(batchId), 200);
	}

	private static void assertOneOutcomeEach(JsonNode batch, int total) {
		int sum = batch.get("counts").valueStream().mapToInt(JsonNode::asInt).sum();
		assertThat(sum).as("%s", batch).isEqualTo(total);
		assertThat(batch.get("counts").path("cancelled").asInt()).as("%s", batch).isPositive();
	}

	private static String awaitOwner() {
		return await().atMost(Duration.ofSeconds(60))
			.until(() -> replicas.owners().get("slow"), (owner) -> owner != null);
	}

}

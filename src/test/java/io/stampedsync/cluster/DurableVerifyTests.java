package io.stampedsync.cluster;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import io.stampedsync.TestSubscriptions;
import io.stampedsync.environment.Requirement;
import io.stampedsync.environment.Requires;
import io.stampedsync.sandbox.StampedSimulator;
import io.stampedsync.testing.Customers;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A verify in distributed mode is stored: the owner of the subscription, paused for its
 * keys, goes on at its next lease renewal even when it never hears the NOTIFY (here no
 * replica listens at all, as while their listening connections are down). A stored verify
 * of keys a later save superseded resumes nothing.
 */
@Requires(Requirement.POSTGRES)
class DurableVerifyTests {

	/** Lease time 3 s: leases are renewed every second. */
	static final Duration LEASE_TIME = Duration.ofSeconds(3);

	static final Duration RENEW_EVERY = LEASE_TIME.dividedBy(3);

	static final List<String> REPLICAS = List.of("v1", "v2");

	static final StampedSimulator store = TestSubscriptions.stampedSimulator();

	@RegisterExtension
	static final ReplicaCluster cluster = new ReplicaCluster(LEASE_TIME).closing(store);

	static Replicas replicas;

	@BeforeAll
	static void start() {
		replicas = cluster.replicas();
		// Set in configuration: no subscription row, verified all the same.
		replicas.subscription("configured", store, Map.of());
		REPLICAS.forEach(replicas::start);
		REPLICAS.forEach((replica) -> replicas.context(replica).getBean(ClusterNotifications.class).deafen());
	}

	@Test
	void aVerifyWhoseNotificationWasLostResumesTheOwnerAtItsNextRenewal() {
		String owner = replicas.awaitOwner("configured");
		String other = replicas.otherThan(owner);
		store.credentials("pub-elsewhere", "key-elsewhere-private");
		String batch = replicas.api(owner).submit("configured", List.copyOf(Customers.fresh("lost-verify-", 3)));
		replicas.api(owner)
			.await(batch, Duration.ofSeconds(60), (view) -> view.get("status").asString().equals("paused"));

		store.credentials(TestSubscriptions.PUBLIC_KEY, TestSubscriptions.PRIVATE_KEY);
		assertThat(replicas.api(other).verify("configured").get("ok").asBoolean()).as("verify on %s", other).isTrue();

		assertThat(replicas.api(other)
			.await(batch, RENEW_EVERY.multipliedBy(2).plusSeconds(10),
					(view) -> view.get("status").asString().startsWith("completed"))
			.get("status")
			.asString()).isEqualTo("completed");
		replicas.api(other).assertOneOutcomePerRecord(batch, 3);
	}

	@Test
	void aStoredVerifyOfSupersededKeysResumesNothing() {
		String id = "superseded";
		store.credentials("pub-superseded-1", "key-superseded-private-1");
		replicas.api("v1")
			.putSubscription(id, TestSubscriptions.settingsJson(store, "pub-superseded-1", "key-superseded-private-1"));
		String owner = replicas.awaitOwner(id);
		replicas.api("v1")
			.assertCompletes(replicas.api(owner).submit(id, List.copyOf(Customers.fresh("first-keys-", 3))),
					Duration.ofSeconds(60));
		// Version 2 carries keys the store does not take: once the owner runs it (read at
		// a renewal, no replica hears the NOTIFY), it pauses for them.
		replicas.api(replicas.otherThan(owner))
			.putSubscription(id, TestSubscriptions.settingsJson(store, "pub-superseded-2", "key-superseded-private-2"));
		awaitTwoRenewals(id);
		String batch = replicas.api(owner).submit(id, List.copyOf(Customers.fresh("second-keys-", 3)));
		replicas.api(owner)
			.await(batch, Duration.ofSeconds(60), (view) -> view.get("status").asString().equals("paused"));

		// What a verify stores that read version 1 before the save and ended after it.
		storeVerify(id, 1);
		awaitTwoRenewals(id);
		assertThat(replicas.api(owner).batch(batch).get("status").asString()).as("batch of version 2's keys")
			.isEqualTo("paused");

		// The same path with the current version: the store now takes its keys.
		store.credentials("pub-superseded-2", "key-superseded-private-2");
		storeVerify(id, 2);
		replicas.api("v1").assertCompletes(batch, Duration.ofSeconds(60));
	}

	private static void storeVerify(String id, long version) {
		assertThat(cluster.schema()
			.query("INSERT INTO credentials_verified AS v (subscription_id, settings_version, "
					+ "verify_number) VALUES ('" + id + "', " + version
					+ ", 1) ON CONFLICT (subscription_id) DO UPDATE "
					+ "SET settings_version = EXCLUDED.settings_version, verify_number = v.verify_number + 1 "
					+ "RETURNING verify_number"))
			.hasSize(1);
	}

	// A renewal extends the lease first and reads the verifies after; the second
	// extension seen starts after the first renewal seen has ended.
	private static void awaitTwoRenewals(String id) {
		long first = expiry(id);
		long second = await().atMost(Duration.ofSeconds(30)).until(() -> expiry(id), (e) -> e > first);
		await().atMost(Duration.ofSeconds(30)).until(() -> expiry(id), (e) -> e > second);
	}

	/** The lease's expiry, in microseconds of the database clock. */
	private static long expiry(String id) {
		return ((Number) cluster.schema()
			.query("SELECT (extract(epoch FROM expires_at) * 1000000)::bigint AS e FROM subscription_lease "
					+ "WHERE subscription_id = '" + id + "'")
			.get(0)
			.get("e")).longValue();
	}

}

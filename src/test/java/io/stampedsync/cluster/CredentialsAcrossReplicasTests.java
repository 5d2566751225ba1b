package io.stampedsync.cluster;

import java.time.Duration;
import java.util.List;

import io.stampedsync.TestSubscriptions;
import io.stampedsync.environment.Requirement;
import io.stampedsync.environment.Requires;
import io.stampedsync.sandbox.StampedSimulator;
import io.stampedsync.testing.Customers;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Two replicas in distributed mode: new keys saved, or a verify sent, on the replica that
 * does not run the subscription reach the one that does. Its dispatcher was built with
 * the old settings; without word of the change it would call with the old keys, pause for
 * them and wait for a fix that had already happened elsewhere.
 */
@Requires(Requirement.POSTGRES)
class CredentialsAcrossReplicasTests {

	static final List<String> REPLICAS = List.of("r1", "r2");

	static final StampedSimulator store = TestSubscriptions.stampedSimulator();

	@RegisterExtension
	static final ReplicaCluster cluster = new ReplicaCluster(Duration.ofSeconds(15)).closing(store);

	static Replicas replicas;

	@BeforeAll
	static void start() {
		// Renewals every 5 s: a new subscription gets its owner quickly.
		replicas = cluster.replicas();
		REPLICAS.forEach(replicas::start);
	}

	@Test
	void keysSavedOnTheOtherReplicaAreTheOnesItsOwnerCallsWith() {
		String id = "rotated";
		store.credentials("pub-rotated-1", "key-rotated-private-1");
		replicas.api("r1")
			.putSubscription(id, TestSubscriptions.settingsJson(store, "pub-rotated-1", "key-rotated-private-1"));
		String owner = replicas.awaitOwner(id);
		String other = replicas.otherThan(owner);
		// The owner's dispatcher now runs with the first keys.
		replicas.api("r1")
			.assertCompletes(replicas.api(owner).submit(id, List.copyOf(Customers.fresh("before-", 3))),
					Duration.ofSeconds(60));
		store.credentials("pub-rotated-2", "key-rotated-private-2");
		replicas.api(other)
			.putSubscription(id, TestSubscriptions.settingsJson(store, "pub-rotated-2", "key-rotated-private-2"));
		replicas.api("r1")
			.assertCompletes(replicas.api(other).submit(id, List.copyOf(Customers.fresh("after-", 3))),
					Duration.ofSeconds(60));
	}

	@Test
	void aVerifyOnTheOtherReplicaResumesTheOwner() {
		String id = "verified";
		store.credentials("pub-verified-1", "key-verified-private-1");
		replicas.api("r1")
			.putSubscription(id, TestSubscriptions.settingsJson(store, "pub-verified-1", "key-verified-private-1"));
		String owner = replicas.awaitOwner(id);
		String other = replicas.otherThan(owner);
		replicas.api("r1")
			.assertCompletes(replicas.api(owner).submit(id, List.copyOf(Customers.fresh("good-", 3))),
					Duration.ofSeconds(60));
		// The store takes other keys for a while: the owner pauses for its current ones.
		store.credentials("pub-elsewhere", "key-elsewhere-private");
		String batch = replicas.api(other).submit(id, List.copyOf(Customers.fresh("paused-", 3)));
		replicas.api(other)
			.await(batch, Duration.ofSeconds(60), (view) -> view.get("status").asString().equals("paused"));
		store.credentials("pub-verified-1", "key-verified-private-1");
		assertThat(replicas.api(other).verify(id).get("ok").asBoolean()).as("verify on %s", other).isTrue();
		replicas.api("r1").assertCompletes(batch, Duration.ofSeconds(60));
	}

}

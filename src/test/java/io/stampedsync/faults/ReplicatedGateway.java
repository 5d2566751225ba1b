package io.stampedsync.faults;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.stream.IntStream;

import io.stampedsync.GatewayClients;
import io.stampedsync.batch.DispatcherManager;
import io.stampedsync.batch.Ownership;
import io.stampedsync.cluster.PostgresSchema;
import io.stampedsync.cluster.Replicas;

import org.springframework.test.web.reactive.server.WebTestClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Replicas in distributed mode on a fresh PostgreSQL schema of their own. Each API call
 * goes to a replica drawn at random, so settings, verifies, cancels and deletes often
 * reach one that does not run the subscription. A restart stops a replica gracefully, or
 * crashes it ({@link Replicas#crash}).
 */
final class ReplicatedGateway implements TortureGateway {

	/** Renewals every 2 s: a lease released or moved shows within a few seconds. */
	static final Duration LEASE_TIME = Duration.ofSeconds(6);

	private final List<String> ids;

	private final Path dataDir;

	private final Random routing;

	private PostgresSchema schema;

	private Replicas replicas;

	ReplicatedGateway(int count, Path dataDir, long seed) {
		this.ids = IntStream.rangeClosed(1, count).mapToObj((i) -> "r" + i).toList();
		this.dataDir = dataDir;
		this.routing = new Random(seed * 43);
	}

	@Override
	public void start(List<String> properties) {
		this.schema = PostgresSchema.create();
		this.replicas = new Replicas(this.schema, this.dataDir, LEASE_TIME);
		for (String property : properties) {
			int equals = property.indexOf('=');
			this.replicas.property(property.substring(0, equals), property.substring(equals + 1));
		}
		this.ids.forEach(this.replicas::start);
	}

	@Override
	public WebTestClient client() {
		List<String> running = this.replicas.running();
		String replica = running.get(this.routing.nextInt(running.size()));
		return GatewayClients.admin(this.replicas.context(replica)).responseTimeout(Duration.ofSeconds(60)).build();
	}

	@Override
	public List<DispatcherManager> dispatchers() {
		return this.replicas.running()
			.stream()
			.map((replica) -> this.replicas.context(replica).getBean(DispatcherManager.class))
			.toList();
	}

	/**
	 * Stops a replica gracefully and starts it again, or crashes it ({@link #crash}) and
	 * starts it again under the same name (as a pod restarted in place), or crashes it
	 * for good: the other replicas take its subscriptions once its leases expired.
	 */
	@Override
	public String restart(Random random) {
		int mode = random.nextInt(3);
		if (mode == 0) {
			String replica = this.ids.get(random.nextInt(this.ids.size()));
			this.replicas.stop(replica);
			this.replicas.start(replica);
			return "restart replica " + replica;
		}
		// A crash of a replica that holds leases (when one does): it leaves work behind.
		Map<String, String> leases = this.replicas.owners();
		List<String> owners = leases.values().stream().sorted().toList();
		String replica = owners.isEmpty() ? this.ids.get(random.nextInt(this.ids.size()))
				: owners.get(random.nextInt(owners.size()));
		List<String> held = leases.entrySet()
			.stream()
			.filter((lease) -> lease.getValue().equals(replica))
			.map(Map.Entry::getKey)
			.sorted()
			.toList();
		crash(replica);
		if (mode == 1) {
			this.replicas.restartAfterCrash(replica);
			return "crash replica " + replica + " (it held " + held + ") and start it again";
		}
		return "crash replica " + replica + " (it held " + held + ") for good";
	}

	/**
	 * {@link Replicas#crash}, with the creates it saw succeed but could not store counted
	 * among those whose success went unseen: the next owner sends their records again.
	 */
	private void crash(String replica) {
		UnseenCreates.Witness witness = UnseenCreates.crashing(this.replicas.context(replica));
		this.replicas.crash(replica);
		Set<String> unfinished = new HashSet<>();
		this.schema
			.query("SELECT b.subscription_id, r.ipaas_customer_id FROM batch_record r JOIN batch b ON b.id = r.batch_id"
					+ " WHERE r.outcome IS NULL AND r.ipaas_customer_id IS NOT NULL")
			.forEach((row) -> unfinished
				.add(UnseenCreates.key((String) row.get("subscription_id"), (String) row.get("ipaas_customer_id"))));
		witness.crashed(unfinished);
	}

	@Override
	public Duration retireWithin() {
		// The owner's next renewal (a third of the lease time) finds the subscription
		// gone, stops its dispatcher (its calls out end first) and releases the lease.
		return LEASE_TIME.multipliedBy(3);
	}

	@Override
	public void assertRetired(String subscriptionId) {
		assertThat(this.replicas.leases()).as("lease rows").doesNotContainKey(subscriptionId);
		for (String replica : this.replicas.running()) {
			assertThat(this.replicas.context(replica).getBean(DispatcherManager.class).dispatching())
				.as("dispatchers of %s", replica)
				.doesNotContainKey(subscriptionId);
		}
	}

	@Override
	public void assertOwnership(Collection<String> live, Collection<String> deleted) {
		Map<String, String> leases = this.replicas.leases();
		Map<String, String> owners = this.replicas.owners();
		List<String> running = this.replicas.running();
		for (String id : deleted) {
			assertThat(leases).as("lease rows; %s was deleted", id).doesNotContainKey(id);
		}
		for (String id : live) {
			assertThat(owners).as("live leases; %s lives", id).containsKey(id);
			assertThat(running).as("owner of %s", id).contains(owners.get(id));
			long holders = running.stream()
				.filter((replica) -> this.replicas.context(replica).getBean(Ownership.class).owns(id))
				.count();
			assertThat(holders).as("replicas that own %s", id).isEqualTo(1);
		}
		for (String replica : running) {
			this.replicas.context(replica).getBean(DispatcherManager.class).dispatching().forEach((id, owned) -> {
				assertThat(live).as("dispatcher of %s on %s, not a live subscription of the run", id, replica)
					.contains(id);
				assertThat(owned).as("dispatcher of %s on %s owns it", id, replica).isTrue();
				assertThat(owners.get(id)).as("lease owner of %s, whose dispatcher runs on %s", id, replica)
					.isEqualTo(replica);
			});
		}
	}

	@Override
	public List<Map<String, Object>> unfinishedWithNothingPending() {
		return this.schema.query("SELECT b.id, b.status FROM batch b WHERE b.status IN ('queued', 'running', 'paused')"
				+ " AND NOT EXISTS (SELECT 1 FROM batch_record r WHERE r.batch_id = b.id AND r.outcome IS NULL)");
	}

	@Override
	public void close() {
		if (this.replicas != null) {
			this.replicas.close();
		}
		if (this.schema != null) {
			this.schema.drop();
		}
	}

}

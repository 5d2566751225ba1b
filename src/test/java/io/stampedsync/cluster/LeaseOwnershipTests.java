package io.stampedsync.cluster;

import java.util.concurrent.ConcurrentHashMap;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;

import org.awaitility.Awaitility;
import io.stampedsync.batch.Ownership;
import io.stampedsync.subscription.SubscriptionSettings;
import io.stampedsync.throttle.InMemorySubscriptionRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The lease loop against a scripted lease table and an explicit clock: a replica cut off
 * from the database stops its dispatchers on its own clock, before its leases expire;
 * settings saved on another replica reach the dispatchers at the next renewal.
 */
class LeaseOwnershipTests {

	static final Duration LEASE = Duration.ofSeconds(3);

	final AtomicLong now = new AtomicLong();

	final AtomicBoolean databaseUp = new AtomicBoolean(true);

	final List<String> events = new CopyOnWriteArrayList<>();

	final List<StoredVerify> storedVerifies = new CopyOnWriteArrayList<>();

	final AtomicLong renewals = new AtomicLong();

	LeaseOwnership ownership;

	@AfterEach
	void stop() {
		if (this.ownership != null) {
			this.databaseUp.set(true);
			this.ownership.stop().block(Duration.ofSeconds(10));
		}
	}

	@Test
	void replicaThatCannotRenewStopsItsDispatcherBeforeTheLeaseExpires() {
		InMemorySubscriptionRegistry registry = new InMemorySubscriptionRegistry();
		registry.put(InMemorySubscriptionRegistry.settings("s1", "https://stamped.io", 500, 60, 1));
		ClusterProperties properties = new ClusterProperties(true, "me", LEASE);
		this.ownership = new LeaseOwnership(new ScriptedLeases(), registry, properties, this.now::get,
				new ClusterNotifications(null, null, null, null, registry, "me"));
		this.ownership.start(new RecordingHolder());
		await(() -> this.events.contains("gained s1"));
		assertThat(this.ownership.owns("s1")).isTrue();

		this.databaseUp.set(false);
		// Just before 3/4 of the lease time since the last renewal: still ours.
		this.now.addAndGet(properties.ownFor().toNanos() - Duration.ofMillis(100).toNanos());
		assertThat(this.ownership.owns("s1")).isTrue();
		this.now.addAndGet(Duration.ofMillis(200).toNanos());
		assertThat(this.ownership.owns("s1")).isFalse();
		await(() -> this.events.contains("lost s1"));
		assertThat(properties.ownFor()).isLessThan(LEASE);
	}

	@Test
	void settingsSavedElsewhereReachTheDispatcherAtTheNextRenewalWithoutANotification() {
		InMemorySubscriptionRegistry registry = new InMemorySubscriptionRegistry();
		registry.put(InMemorySubscriptionRegistry.settings("s1", "https://stamped.io", 500, 60, 1));
		ClusterProperties properties = new ClusterProperties(true, "me", LEASE);
		// Its notifications never listen: every notification is lost.
		this.ownership = new LeaseOwnership(new ScriptedLeases(), registry, properties, this.now::get,
				new ClusterNotifications(null, null, null, null, registry, "me"));
		this.ownership.start(new RecordingHolder());
		await(() -> this.events.contains("settings s1 v1"));
		registry.put(InMemorySubscriptionRegistry.settings("s1", "https://stamped.io", 300, 60, 2));
		await(() -> this.events.contains("settings s1 v2"));
	}

	@Test
	void aVerifyStoredElsewhereReachesTheDispatcherAtTheNextRenewalOnce() {
		InMemorySubscriptionRegistry registry = new InMemorySubscriptionRegistry();
		registry.put(InMemorySubscriptionRegistry.settings("s1", "https://stamped.io", 500, 60, 1));
		ClusterProperties properties = new ClusterProperties(true, "me", LEASE);
		// Its notifications never listen: every notification is lost.
		this.ownership = new LeaseOwnership(new ScriptedLeases(), registry, properties, this.now::get,
				new ClusterNotifications(null, null, null, null, registry, "me"));
		this.ownership.start(new RecordingHolder());
		await(() -> this.events.contains("gained s1"));

		this.storedVerifies.add(new StoredVerify("s1", 1, 1));
		await(() -> this.events.contains("verified s1 v1"));
		// Read again at every renewal, applied once: a refusal of the same keys after the
		// verify is not lifted by it.
		long seen = this.renewals.get();
		await(() -> this.renewals.get() >= seen + 2);
		assertThat(this.events).filteredOn("verified s1 v1"::equals).hasSize(1);

		this.storedVerifies.set(0, new StoredVerify("s1", 1, 2));
		await(() -> this.events.stream().filter("verified s1 v1"::equals).count() == 2);
	}

	private static void await(BooleanSupplier condition) {
		Awaitility.await().atMost(Duration.ofSeconds(30)).until(condition::getAsBoolean);
	}

	/** A lease table that grants everything while the "database" is up, else hangs. */
	private final class ScriptedLeases extends LeaseTable {

		private final Map<String, Long> held = new ConcurrentHashMap<>();

		ScriptedLeases() {
			super(null, "me", LEASE);
		}

		private <T> Mono<T> whenUp(Mono<T> result) {
			return Mono.defer(() -> LeaseOwnershipTests.this.databaseUp.get() ? result : Mono.never());
		}

		@Override
		Mono<Void> heartbeat() {
			return whenUp(Mono.empty());
		}

		@Override
		Mono<Long> liveReplicas() {
			return whenUp(Mono.just(1L));
		}

		@Override
		Mono<Map<String, Long>> renewAll() {
			return whenUp(Mono.fromSupplier(() -> {
				LeaseOwnershipTests.this.renewals.incrementAndGet();
				return Map.copyOf(this.held);
			}));
		}

		@Override
		Flux<StoredVerify> storedVerifies() {
			return whenUp(Mono.just(List.copyOf(LeaseOwnershipTests.this.storedVerifies)))
				.flatMapMany(Flux::fromIterable);
		}

		@Override
		Mono<Long> claim(String subscriptionId) {
			return whenUp(Mono.fromSupplier(() -> {
				this.held.put(subscriptionId, 1L);
				return 1L;
			}));
		}

		@Override
		Flux<String> taken() {
			return whenUp(Mono.just(List.copyOf(this.held.keySet()))).flatMapMany(Flux::fromIterable);
		}

		@Override
		Flux<Map.Entry<String, String>> requestedCancels() {
			return whenUp(Mono.just(List.<Map.Entry<String, String>>of())).flatMapMany(Flux::fromIterable);
		}

		@Override
		Mono<Void> leave() {
			return Mono.empty();
		}

		@Override
		Mono<Void> release(String subscriptionId) {
			return whenUp(Mono.fromRunnable(() -> this.held.remove(subscriptionId)));
		}

		@Override
		Mono<Void> drop(String subscriptionId) {
			return release(subscriptionId);
		}

		@Override
		Mono<Void> dropOrphans(List<String> subscriptions) {
			return whenUp(Mono.empty());
		}

	}

	private final class RecordingHolder implements Ownership.Holder {

		@Override
		public Mono<Void> gained(String subscriptionId) {
			return Mono.fromRunnable(() -> LeaseOwnershipTests.this.events.add("gained " + subscriptionId));
		}

		@Override
		public Mono<Void> lost(String subscriptionId) {
			return Mono.fromRunnable(() -> LeaseOwnershipTests.this.events.add("lost " + subscriptionId));
		}

		@Override
		public void settings(SubscriptionSettings latest) {
			LeaseOwnershipTests.this.events.add("settings " + latest.id() + " v" + latest.version());
		}

		@Override
		public void verified(String subscriptionId, long settingsVersion) {
			LeaseOwnershipTests.this.events.add("verified " + subscriptionId + " v" + settingsVersion);
		}

	}

}

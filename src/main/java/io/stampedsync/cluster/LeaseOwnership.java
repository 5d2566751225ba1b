package io.stampedsync.cluster;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

import io.stampedsync.LongLived;
import io.stampedsync.batch.Fence;
import io.stampedsync.batch.Ownership;
import io.stampedsync.subscription.CredentialsVerified;
import io.stampedsync.subscription.SubscriptionRegistry;
import io.stampedsync.subscription.SubscriptionSettings;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import reactor.core.Disposable;
import reactor.core.Disposables;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import org.springframework.context.event.EventListener;

/**
 * Ownership held by one lease row per subscription in PostgreSQL.
 *
 * <p>
 * Why a lease row with a fencing token rather than a session advisory lock: an advisory
 * lock lives and dies with one connection, so pool churn, a proxy (PgBouncer) or a
 * half-open TCP connection can silently drop or keep it, and the holder cannot tell when
 * it lost it. A row with an expiry compared to the database clock is visible to every
 * replica (and to operators), survives reconnections, tells the holder exactly until when
 * it may act, and can be tested with time; the token grows at every change of hands.
 *
 * <p>
 * Every {@code renewEvery} (a third of the lease time) a replica renews its leases,
 * counts live replicas and takes or releases leases so that it holds at most
 * {@code ceil(subscriptions / live replicas)}. A replica that could not renew stops its
 * dispatchers {@link ClusterProperties#ownFor() before} its leases can expire elsewhere.
 */
class LeaseOwnership implements Ownership {

	private static final Log logger = LogFactory.getLog(LeaseOwnership.class);

	private final LeaseTable leases;

	private final SubscriptionRegistry registry;

	private final ClusterProperties properties;

	private final LongSupplier nanoTime;

	private final ClusterNotifications notifications;

	/** Subscription → the nanoTime until which this replica may call its store. */
	private final Map<String, Long> held = new ConcurrentHashMap<>();

	/** Subscription → the fencing token of this replica's lease on it. */
	private final Map<String, Long> tokens = new ConcurrentHashMap<>();

	/**
	 * Subscription held → the number of the last verify applied to its dispatcher, so
	 * that each verify is applied once (on its notification or at a renewal).
	 */
	private final Map<String, Long> verifiesApplied = new ConcurrentHashMap<>();

	private final Disposable.Composite loops = Disposables.composite();

	private final Disposable.Swap watchdog = Disposables.swap();

	private volatile Holder holder;

	LeaseOwnership(LeaseTable leases, SubscriptionRegistry registry, ClusterProperties properties,
			LongSupplier nanoTime, ClusterNotifications notifications) {
		this.leases = leases;
		this.registry = registry;
		this.properties = properties;
		this.nanoTime = nanoTime;
		this.notifications = notifications;
	}

	@Override
	public boolean owns(String subscriptionId) {
		Long until = this.held.get(subscriptionId);
		return until != null && this.nanoTime.getAsLong() - until < 0;
	}

	@Override
	public Fence fence(String subscriptionId) {
		Long token = this.tokens.get(subscriptionId);
		// Not ours: a token no lease carries, so that any write is refused.
		return new Fence(subscriptionId, (token != null) ? token : -1);
	}

	@Override
	public void fenced(Fence fence) {
		if (this.tokens.remove(fence.subscriptionId(), fence.token())) {
			this.held.remove(fence.subscriptionId());
		}
	}

	@Override
	public void start(Holder holder) {
		this.holder = holder;
		Duration every = this.properties.renewEvery();
		this.loops.add(Flux.interval(Duration.ZERO, every)
			.onBackpressureDrop()
			.concatMap((tick) -> renew().timeout(every).onErrorResume((ex) -> {
				logger.warn("Lease renewal failed: " + ex.getMessage());
				return Mono.empty();
			}), 1)
			.subscribe());
		// The watchdog does not wait for the database: a replica cut off from it stops
		// calling stores on its own clock.
		this.watchdog.update(LongLived.forEach("Lease watchdog", Flux.interval(every.dividedBy(4)),
				(tick) -> expireOverdue(), (tick) -> "Watchdog tick " + tick));
		this.loops.add(LongLived.concatEach("Cancels asked by other replicas", this.notifications.cancels(),
				(batchId) -> holder.cancel(batchId).onErrorResume((ex) -> Mono.empty()),
				(batchId) -> "Cancel of batch " + batchId));
		this.loops.add(
				LongLived.concatEach("Batches queued on other replicas", this.notifications.queued().filter(this::owns),
						(id) -> holder.gained(id).onErrorResume((ex) -> Mono.empty()),
						(id) -> "Batch queued for subscription " + id));
		// Settings saved and keys verified on another replica reach the dispatcher here;
		// a lost notification is made up for at the next renewal, which reads both.
		this.loops.add(LongLived.concatEach("Settings saved on other replicas",
				this.notifications.settingsChanged().filter(this::owns),
				(id) -> this.registry.find(id).doOnNext(holder::settings).then().onErrorResume((ex) -> {
					logger.warn("Settings of subscription " + id + " not read yet: " + ex.getMessage());
					return Mono.empty();
				}), (id) -> "Settings of subscription " + id));
		// One verify that cannot be applied is logged; the loop goes on for the next.
		this.loops.add(LongLived.concatEach("Verifies made on other replicas", this.notifications.verifiedElsewhere(),
				(verified) -> Mono.fromRunnable(() -> apply(verified)).onErrorResume((ex) -> {
					logger.warn(
							"Verify of subscription " + verified.subscriptionId() + " not applied: " + ex.getMessage());
					return Mono.empty();
				}), (verified) -> "Verify of subscription " + verified.subscriptionId()));
	}

	@Override
	public Mono<Void> stop() {
		this.loops.dispose();
		this.watchdog.dispose();
		return Flux.fromIterable(List.copyOf(this.held.keySet())).concatMap((id) -> {
			this.held.remove(id);
			return this.leases.release(id);
		}).then(this.leases.leave()).onErrorResume((ex) -> Mono.empty());
	}

	/** Test hook: this replica dies without a word (its leases run out on their own). */
	void halt() {
		// The watchdog keeps running, as it would in a replica cut off from PostgreSQL.
		this.loops.dispose();
	}

	/**
	 * A verify here found the subscription's current keys good: stored first, so that its
	 * owner, should it be another replica, applies it at its next renewal even when the
	 * notification that follows is lost (its listening connection down at that moment).
	 */
	@EventListener
	public void credentialsVerified(CredentialsVerified event) {
		this.leases.recordVerify(event.subscriptionId(), event.settingsVersion())
			.flatMap((number) -> this.notifications
				.announceVerified(new StoredVerify(event.subscriptionId(), event.settingsVersion(), number)))
			.subscribe(null, (ex) -> logger.warn("Verify of subscription " + event.subscriptionId()
					+ " not stored or not announced (verify again to resume its owner): " + ex.getMessage()));
	}

	@Override
	public Mono<Void> queued(String subscriptionId) {
		return this.notifications.announceQueued(subscriptionId);
	}

	@Override
	public Mono<Boolean> cancelElsewhere(String subscriptionId, String batchId) {
		if (owns(subscriptionId)) {
			return Mono.just(false);
		}
		// Stored first: the NOTIFY is only the fast path, lost when the owner's listening
		// connection is down at that moment.
		return this.leases.requestCancel(batchId)
			.then(this.leases.owner(subscriptionId))
			.filter((owner) -> !owner.equals(this.properties.replicaId()))
			.flatMap((owner) -> this.notifications.announceCancel(batchId).thenReturn(true))
			.defaultIfEmpty(false);
	}

	@Override
	public Duration receivingGrace() {
		// Another replica may be receiving a body right now: only drop really old ones.
		return Duration.ofHours(1);
	}

	private void expireOverdue() {
		long now = this.nanoTime.getAsLong();
		this.held.forEach((id, until) -> {
			if (now - until >= 0 && this.held.remove(id, until)) {
				logger.warn("Lease of subscription " + id + " not renewed in time: its dispatcher stops");
				// Deferred: a dispatcher that fails to stop must not keep the others
				// overdue from stopping.
				Mono.defer(() -> this.holder.lost(id))
					.subscribe(null, (ex) -> logger.error("Dispatcher of subscription " + id + " not stopped", ex));
			}
		});
	}

	private Mono<Void> renew() {
		long started = this.nanoTime.getAsLong();
		long until = started + this.properties.ownFor().toNanos();
		// Only the database round trips are timed out: stopping a dispatcher waits for
		// its calls in flight and must not be cut short.
		return this.leases.heartbeat()
			.then(this.leases.renewAll())
			.zipWith(this.leases.liveReplicas())
			.timeout(this.properties.renewEvery())
			.zipWith(this.registry.findAll().collectList())
			.flatMap((tuple) -> rebalance(tuple.getT1().getT1(), tuple.getT1().getT2(), tuple.getT2(), until));
	}

	private Mono<Void> rebalance(Map<String, Long> renewed, long live, List<SubscriptionSettings> settings,
			long until) {
		List<String> subscriptions = settings.stream().map(SubscriptionSettings::id).sorted().toList();
		List<String> lost = new ArrayList<>(this.held.keySet());
		lost.removeAll(renewed.keySet());
		this.tokens.keySet().retainAll(renewed.keySet());
		this.tokens.putAll(renewed);
		renewed.keySet().forEach((id) -> this.held.put(id, until));
		int share = (int) Math.ceil(subscriptions.size() / (double) Math.max(1, live));
		List<String> kept = subscriptions.stream().filter(renewed::containsKey).toList();
		// A subscription that is gone: stop, then drop its lease, so that no row outlives
		// it. Over the fair share (a replica joined): stop, then let the others take it.
		List<String> gone = renewed.keySet().stream().filter((id) -> !subscriptions.contains(id)).toList();
		List<String> release = kept.subList(Math.min(share, kept.size()), kept.size());
		int missing = share - Math.min(share, kept.size());
		Mono<Void> losing = Flux.fromIterable(lost).concatMap(this::lose).then();
		Mono<Void> releasing = Flux.fromIterable(gone)
			.concatMap((id) -> lose(id).then(this.leases.drop(id)))
			.thenMany(Flux.fromIterable(release))
			.concatMap((id) -> lose(id).then(this.leases.release(id)))
			// Housekeeping: should it fail, the next tick tries again.
			.then(this.leases.dropOrphans(subscriptions).onErrorResume((ex) -> Mono.empty()));
		Mono<Void> claiming = (missing <= 0) ? Mono.empty()
				: this.leases.taken()
					.collectList()
					.flatMapMany((taken) -> Flux.fromIterable(subscriptions).filter((id) -> !taken.contains(id)))
					.concatMap((id) -> this.leases.claim(id).doOnNext((token) -> {
						logger.info("Replica " + this.properties.replicaId() + " owns subscription " + id
								+ " (fencing token " + token + ")");
						this.tokens.put(id, token);
						this.held.put(id, until);
					}))
					.take(missing)
					.then();
		// Every tick also re-reads the journal, the settings and the verifies of held
		// subscriptions, the safety net for a notification lost while the listening
		// connection was down. Settings first: a verify applies to the version current.
		return losing.then(releasing)
			.then(claiming)
			.then(Mono.fromRunnable(
					() -> settings.stream().filter((latest) -> owns(latest.id())).forEach(this.holder::settings)))
			.then(applyStoredVerifies())
			.thenMany(Flux.fromIterable(List.copyOf(this.held.keySet())))
			.filter(this::owns)
			.concatMap((id) -> this.holder.gained(id))
			.then(applyStoredCancels());
	}

	/**
	 * The cancels stored for batches of subscriptions held here, applied again at every
	 * renewal until the batch is final: a cancel reaches its owner within one renewal
	 * interval even when its NOTIFY was lost. Applying a cancel twice changes nothing.
	 */
	private Mono<Void> applyStoredCancels() {
		// Its own failure never fails the renewal: the next tick tries again.
		return Mono.defer(() -> this.leases.requestedCancels()
			.filter((cancel) -> owns(cancel.getValue()))
			.concatMap((cancel) -> this.holder.cancel(cancel.getKey()).onErrorResume((ex) -> {
				logger.warn("Stored cancel of batch " + cancel.getKey() + " not applied yet: " + ex.getMessage());
				return Mono.empty();
			}))
			.then()).onErrorResume((ex) -> {
				logger.warn("Stored cancels not read: " + ex.getMessage());
				return Mono.empty();
			});
	}

	/**
	 * The last verify of each subscription held here, applied if this replica has not
	 * applied it yet: a verify made on another replica resumes the owner within one
	 * renewal interval even when its NOTIFY was lost.
	 */
	private Mono<Void> applyStoredVerifies() {
		// Only held subscriptions are remembered: one gained again starts afresh.
		this.verifiesApplied.keySet().retainAll(this.held.keySet());
		// Its own failure never fails the renewal: the next tick tries again.
		return Mono.defer(() -> this.leases.storedVerifies().doOnNext(this::apply).then()).onErrorResume((ex) -> {
			logger.warn("Stored verifies not read: " + ex.getMessage());
			return Mono.empty();
		});
	}

	/**
	 * Hands a verify to the dispatcher of a subscription held here, once: applied again,
	 * a verify would lift a later refusal of the same keys, which it never saw. Whether
	 * the verified version is still the current one is the holder's rule.
	 */
	private void apply(StoredVerify verify) {
		String id = verify.subscriptionId();
		if (!owns(id)) {
			return;
		}
		boolean unseen;
		// The notification and the renewal may bring the same verify at once.
		synchronized (this.verifiesApplied) {
			unseen = verify.number() > this.verifiesApplied.getOrDefault(id, 0L);
			if (unseen) {
				this.verifiesApplied.put(id, verify.number());
			}
		}
		if (unseen) {
			this.holder.verified(id, verify.settingsVersion());
		}
	}

	private Mono<Void> lose(String subscriptionId) {
		this.held.remove(subscriptionId);
		return this.holder.lost(subscriptionId);
	}

	/** Owner of each leased subscription, from the lease table. */
	Flux<Map.Entry<String, String>> owners() {
		return this.leases.owners();
	}

}

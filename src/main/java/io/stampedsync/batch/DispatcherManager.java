package io.stampedsync.batch;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import io.stampedsync.subscription.SubscriptionRegistry;
import io.stampedsync.subscription.SubscriptionSettings;
import io.stampedsync.throttle.Throttles;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import reactor.core.Disposable;
import reactor.core.Disposables;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * Runs one {@link SubscriptionDispatcher} per subscription with work, resumes unfinished
 * batches at start, and lets calls in flight finish at stop.
 */
@Component
public class DispatcherManager implements SmartLifecycle {

	private static final Log logger = LogFactory.getLog(DispatcherManager.class);

	private static final Duration SHUTDOWN_GRACE = Duration.ofSeconds(20);

	private final Map<String, SubscriptionDispatcher> dispatchers = new ConcurrentHashMap<>();

	private final SubscriptionRegistry registry;

	private final Throttles throttles;

	private final DispatcherServices services;

	private final BatchProperties properties;

	private final Ownership ownership;

	private final Disposable.Composite listeners = Disposables.composite();

	private volatile boolean running;

	private final Instant startedAt = Instant.now();

	DispatcherManager(SubscriptionRegistry registry, Throttles throttles, DispatcherServices services,
			BatchProperties properties, ObjectProvider<Ownership> ownership) {
		this.registry = registry;
		this.throttles = throttles;
		this.services = services;
		this.properties = properties;
		this.ownership = ownership.getIfAvailable(Ownership::always);
	}

	@Override
	public void start() {
		this.running = true;
		this.listeners.add(this.registry.changes().subscribe((change) -> {
			SubscriptionDispatcher dispatcher = this.dispatchers.get(change.id());
			if (dispatcher != null && change.deleted() && this.dispatchers.remove(change.id(), dispatcher)) {
				// Its batches are final (the delete waited for them): a subscription
				// made later under this id starts a dispatcher of its own, with its keys.
				dispatcher.stop().subscribe();
			}
			else if (dispatcher != null) {
				dispatcher.settingsChanged(change.settings());
			}
		}));
		this.listeners.add(this.throttles.credentialsAccepted().subscribe((id) -> {
			SubscriptionDispatcher dispatcher = this.dispatchers.get(id);
			if (dispatcher != null) {
				dispatcher.resume();
			}
		}));
		this.listeners.add(this.services.fences().refusals().subscribe(this::fenced));
		this.listeners.add(Flux.interval(Duration.ofMillis(this.properties.progressIntervalMillis()))
			.subscribe((tick) -> this.dispatchers.values().forEach(SubscriptionDispatcher::tick)));
		// Batches whose body never finished arriving before this process started are
		// dropped (a body being received right now is not touched); the others resume
		// where
		// the journal says they are.
		this.services.journal()
			.discardUnacknowledged(this.startedAt.minus(this.ownership.receivingGrace()))
			.thenMany(this.services.journal().subscriptionsWithUnfinishedBatches())
			.filter(this.ownership::owns)
			.concatMap((id) -> this.services.journal().findUnfinished(id))
			.concatMap((batch) -> submit(batch).onErrorResume((ex) -> {
				logger.warn("Batch " + batch.id() + " stays queued: " + ex.getMessage());
				return Mono.empty();
			}))
			.then()
			.block(Duration.ofSeconds(30));
		this.ownership.start(new OwnedDispatchers());
	}

	/**
	 * Hands an accepted batch to its subscription's dispatcher, or tells the owner of the
	 * subscription when another process runs it.
	 */
	public Mono<Void> submit(Batch batch) {
		if (!this.ownership.owns(batch.subscriptionId())) {
			return this.ownership.queued(batch.subscriptionId());
		}
		return dispatcher(batch.subscriptionId()).doOnNext((dispatcher) -> dispatcher.submit(batch)).then();
	}

	/** Cancels a batch this process runs or queues; false when none holds it. */
	public boolean cancel(Batch batch) {
		SubscriptionDispatcher dispatcher = this.dispatchers.get(batch.subscriptionId());
		return dispatcher != null && dispatcher.cancel(batch.id());
	}

	/**
	 * Asks the process that runs the batch's subscription, when it is another, to cancel
	 * it; answers false when none other does.
	 */
	public Mono<Boolean> cancelElsewhere(Batch batch) {
		return this.ownership.cancelElsewhere(batch.subscriptionId(), batch.id());
	}

	/** Live progress of a running batch, or {@code null}. */
	Progress progress(Batch batch) {
		SubscriptionDispatcher dispatcher = this.dispatchers.get(batch.subscriptionId());
		return (dispatcher != null) ? dispatcher.progress(batch.id()) : null;
	}

	/** Why the subscription's batches are paused, or {@code null} when they are not. */
	public String pauseReason(String subscriptionId) {
		SubscriptionDispatcher dispatcher = this.dispatchers.get(subscriptionId);
		return (dispatcher != null) ? dispatcher.pauseReason() : null;
	}

	private Mono<SubscriptionDispatcher> dispatcher(String subscriptionId) {
		SubscriptionDispatcher existing = this.dispatchers.get(subscriptionId);
		if (existing != null) {
			return Mono.just(existing);
		}
		return this.registry.find(subscriptionId)
			.switchIfEmpty(Mono.error(() -> new IllegalStateException("unknown subscription " + subscriptionId)))
			.map((settings) -> this.dispatchers.computeIfAbsent(subscriptionId, (id) -> create(settings)));
	}

	private SubscriptionDispatcher create(SubscriptionSettings settings) {
		SubscriptionDispatcher dispatcher = new SubscriptionDispatcher(settings, this.services,
				this.ownership.fence(settings.id()));
		dispatcher.start();
		return dispatcher;
	}

	// Another process holds the lease now: stop at once rather than at the next renewal.
	// Only the dispatcher that wrote under that fence stops; a newer one (the lease came
	// back with a higher token) runs on.
	private void fenced(Fence fence) {
		SubscriptionDispatcher dispatcher = this.dispatchers.get(fence.subscriptionId());
		if (dispatcher != null && dispatcher.fence().equals(fence)
				&& this.dispatchers.remove(fence.subscriptionId(), dispatcher)) {
			logger.warn("Subscription " + fence.subscriptionId() + " is fenced off (token " + fence.token()
					+ " superseded): its dispatcher stops now");
			dispatcher.halt();
		}
		this.ownership.fenced(fence);
	}

	@Override
	public void stop() {
		this.running = false;
		this.listeners.dispose();
		List<Mono<Void>> stops = this.dispatchers.values().stream().map(SubscriptionDispatcher::stop).toList();
		// Calls in flight finish and their outcomes are stored; what has not started
		// stays
		// queued in the journal and resumes at the next start.
		Mono.when(stops).then(this.services.writer().flush()).then(this.ownership.stop()).block(Duration.ofSeconds(30));
	}

	/** Starts and stops dispatchers as this process gains and loses subscriptions. */
	private final class OwnedDispatchers implements Ownership.Holder {

		@Override
		public Mono<Void> cancel(String batchId) {
			// A batch still only in the journal is handed to the dispatcher first, which
			// then cancels it whether it is queued, starting or running.
			return DispatcherManager.this.services.journal()
				.find(batchId)
				.filter((batch) -> !batch.status().isFinal()
						&& DispatcherManager.this.ownership.owns(batch.subscriptionId()))
				.flatMap((batch) -> submit(batch).then(Mono.fromRunnable(() -> DispatcherManager.this.cancel(batch))))
				.then();
		}

		// A dispatcher still finishing its calls after a loss: a new one for the same
		// subscription waits for it, or both would number the same batch's events.
		private final Map<String, Mono<Void>> stopping = new ConcurrentHashMap<>();

		@Override
		public Mono<Void> gained(String subscriptionId) {
			if (!DispatcherManager.this.running) {
				return Mono.empty();
			}
			// Submitting a batch the dispatcher already holds is a no-op, so a poll may
			// repeat this freely.
			return this.stopping.getOrDefault(subscriptionId, Mono.empty())
				.thenMany(DispatcherManager.this.services.journal().findUnfinished(subscriptionId))
				.concatMap(DispatcherManager.this::submit)
				.then();
		}

		@Override
		public Mono<Void> lost(String subscriptionId) {
			SubscriptionDispatcher dispatcher = DispatcherManager.this.dispatchers.remove(subscriptionId);
			if (dispatcher == null) {
				return this.stopping.getOrDefault(subscriptionId, Mono.empty());
			}
			Mono<Void> stopped = dispatcher.stop()
				.then(DispatcherManager.this.services.writer().flush())
				.doFinally((signal) -> this.stopping.remove(subscriptionId))
				.cache();
			this.stopping.put(subscriptionId, stopped);
			// Runs to the end even if the caller gives up waiting.
			stopped.subscribe();
			return stopped;
		}

	}

	@Override
	public boolean isRunning() {
		return this.running;
	}

	@Override
	public int getPhase() {
		// Stops first, while the web server and the HTTP client resources that calls in
		// flight need are still up; intake meanwhile goes on into the journal.
		return SmartLifecycle.DEFAULT_PHASE;
	}

}

package io.stampedsync.batch;

import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.TreeMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import io.stampedsync.LongLived;
import io.stampedsync.outbound.Direction;
import io.stampedsync.subscription.SubscriptionRegistry;
import io.stampedsync.subscription.SubscriptionSettings;
import io.stampedsync.throttle.Throttles;
import io.stampedsync.transfer.TransferService;
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
 * batches at start, lets calls in flight finish at stop (within a grace period, after
 * which they are dropped and their records stay pending), and watches every dispatcher:
 * one with work that neither calls nor ends a record for {@code stall-after} is reported
 * stalled and restarted.
 */
@Component
public class DispatcherManager implements SmartLifecycle {

	private static final Log logger = LogFactory.getLog(DispatcherManager.class);

	private final Map<String, SubscriptionDispatcher> dispatchers = new ConcurrentHashMap<>();

	private final SubscriptionRegistry registry;

	private final Throttles throttles;

	private final BatchJournal journal;

	private final TransferService transfers;

	private final BatchLog log;

	private final Fences fences;

	private final CallActivity calls;

	private final DispatcherObserver observer;

	private final BatchProperties properties;

	private final Ownership ownership;

	private final Disposable.Composite listeners = Disposables.composite();

	private volatile boolean running;

	private final Instant startedAt = Instant.now();

	DispatcherManager(SubscriptionRegistry registry, Throttles throttles, BatchJournal journal,
			TransferService transfers, BatchLog log, Fences fences, CallActivity calls, BatchProperties properties,
			ObjectProvider<Ownership> ownership, ObjectProvider<DispatcherObserver> observers) {
		this.registry = registry;
		this.throttles = throttles;
		this.journal = journal;
		this.transfers = transfers;
		this.log = log;
		this.fences = fences;
		this.calls = calls;
		this.properties = properties;
		this.ownership = ownership.getIfAvailable(Ownership::always);
		List<DispatcherObserver> all = observers.orderedStream().toList();
		this.observer = new DispatcherObserver() {

			@Override
			public void restarted(String subscriptionId) {
				all.forEach((each) -> each.restarted(subscriptionId));
			}

			@Override
			public void stalled(String subscriptionId) {
				all.forEach((each) -> each.stalled(subscriptionId));
			}

		};
	}

	@Override
	public void start() {
		this.running = true;
		this.listeners
			.add(LongLived.forEach("Subscription changes to the dispatchers", this.registry.changes(), (change) -> {
				SubscriptionDispatcher dispatcher = this.dispatchers.get(change.id());
				if (dispatcher != null && change.deleted()) {
					// Its batches are final (the delete waited for them): a
					// subscription made later under this id starts a dispatcher of
					// its own, with its keys.
					retire(change.id(), dispatcher);
				}
				else if (dispatcher != null) {
					dispatcher.settingsChanged(change.settings());
				}
			}, (change) -> "Change of subscription " + change.id()));
		this.listeners.add(LongLived.forEach("Accepted credentials to the dispatchers",
				this.throttles.credentialsAccepted(), (id) -> {
					SubscriptionDispatcher dispatcher = this.dispatchers.get(id);
					if (dispatcher != null) {
						dispatcher.resume();
					}
				}, (id) -> "Accepted credentials of subscription " + id));
		this.listeners.add(LongLived.forEach("Fenced writes to the dispatchers", this.fences.refusals(), this::fenced,
				(fence) -> "Fence of subscription " + fence.subscriptionId()));
		this.listeners.add(LongLived.forEach("Progress and watchdog ticks",
				Flux.interval(Duration.ofMillis(this.properties.progressIntervalMillis())),
				(tick) -> this.dispatchers.values().forEach(this::tickAndWatch), (tick) -> "Tick " + tick));
		// Batches whose body never finished arriving before this process started are
		// dropped (a body being received right now is not touched); the others resume
		// where
		// the journal says they are.
		this.journal.discardUnacknowledged(this.startedAt.minus(this.ownership.receivingGrace()))
			.thenMany(this.journal.subscriptionsWithUnfinishedBatches())
			.filter(this.ownership::owns)
			.concatMap((id) -> this.journal.findUnfinished(id))
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

	/**
	 * What the watchdog found the subscription's dispatcher waiting for while it does not
	 * move, or {@code null}.
	 */
	public String stalled(String subscriptionId) {
		SubscriptionDispatcher dispatcher = this.dispatchers.get(subscriptionId);
		return (dispatcher != null) ? dispatcher.stalled() : null;
	}

	/** Why the subscription's dispatcher pipeline last failed, or {@code null}. */
	public String lastFailure(String subscriptionId) {
		SubscriptionDispatcher dispatcher = this.dispatchers.get(subscriptionId);
		return (dispatcher != null) ? dispatcher.lastFailure() : null;
	}

	/** How many times the subscription's dispatcher pipeline failed and restarted. */
	public long restarts(String subscriptionId) {
		SubscriptionDispatcher dispatcher = this.dispatchers.get(subscriptionId);
		return (dispatcher != null) ? dispatcher.restarts() : 0;
	}

	/** Records handed to transfers and not back yet, over every dispatcher (tests). */
	public int inFlight() {
		return this.dispatchers.values().stream().mapToInt(SubscriptionDispatcher::inFlight).sum();
	}

	/** Subscriptions with a dispatcher here that holds batches (tests). */
	public List<String> busySubscriptions() {
		return this.dispatchers.values()
			.stream()
			.filter(SubscriptionDispatcher::hasWork)
			.map(SubscriptionDispatcher::subscriptionId)
			.sorted()
			.toList();
	}

	/**
	 * Subscriptions this process holds a dispatcher for, busy or idle, each with whether
	 * it owns the subscription now (tests: no dispatcher is left behind for a deleted
	 * subscription or one whose lease went elsewhere).
	 */
	public Map<String, Boolean> dispatching() {
		Map<String, Boolean> held = new TreeMap<>();
		this.dispatchers.keySet().forEach((id) -> held.put(id, this.ownership.owns(id)));
		return held;
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
		SubscriptionDispatcher dispatcher = new SubscriptionDispatcher(settings, this.ownership.fence(settings.id()),
				this.journal, this.transfers::transfer, this.log, this.properties,
				new SubscriptionDispatcher.DispatcherListener() {

					@Override
					public void fenced(Fence fence) {
						DispatcherManager.this.fences.refused(fence);
					}

					@Override
					public void restarted(String subscriptionId) {
						DispatcherManager.this.observer.restarted(subscriptionId);
					}

					@Override
					public double coolDownSeconds(String subscriptionId) {
						return DispatcherManager.this.coolDownSeconds(subscriptionId);
					}

				}, System::nanoTime);
		dispatcher.start();
		return dispatcher;
	}

	private double coolDownSeconds(String subscriptionId) {
		Instant now = Instant.now();
		return Arrays.stream(Direction.values())
			.map((direction) -> this.throttles.coolDownUntil(subscriptionId, direction))
			.flatMap(Optional::stream)
			.mapToDouble((until) -> Duration.between(now, until).toMillis() / 1000.0)
			.max()
			.orElse(0);
	}

	private void tickAndWatch(SubscriptionDispatcher dispatcher) {
		try {
			dispatcher.tick();
			String id = dispatcher.subscriptionId();
			boolean coolingDown = this.throttles.coolDownUntil(id, Direction.STAMPED).isPresent()
					|| this.throttles.coolDownUntil(id, Direction.IPAAS).isPresent();
			String waitingFor = dispatcher.watch(this.calls.lastCall(id), coolingDown);
			if (waitingFor != null) {
				logger
					.warn("Subscription " + id + " made no call and ended no record for " + this.properties.stallAfter()
							+ " with work to do; restarting its dispatcher. It held: " + waitingFor);
				this.observer.stalled(id);
			}
		}
		catch (RuntimeException ex) {
			// One dispatcher's fault must not stop the ticks of the others.
			logger.error("Progress or watchdog tick of subscription " + dispatcher.subscriptionId() + " failed", ex);
		}
	}

	// A deleted subscription's dispatcher stops (gracefully, within the grace period).
	private void retire(String subscriptionId, SubscriptionDispatcher dispatcher) {
		if (this.dispatchers.remove(subscriptionId, dispatcher)) {
			stopWithin(dispatcher).subscribe();
			this.calls.forget(subscriptionId);
		}
	}

	/**
	 * Stops gracefully; past the grace period, drops what is still out. Always completes.
	 */
	private Mono<Void> stopWithin(SubscriptionDispatcher dispatcher) {
		return dispatcher.stop().timeout(this.properties.stopGrace(), Mono.fromRunnable(() -> {
			logger.warn("Dispatcher of subscription " + dispatcher.subscriptionId() + " still had "
					+ dispatcher.inFlight() + " transfers out after " + this.properties.stopGrace()
					+ "; dropped (their records run again at the next start)");
			dispatcher.halt();
		}));
	}

	/** Waits for the writer, within the grace period. Always completes. */
	private Mono<Void> flushWithin() {
		return this.log.flush().timeout(this.properties.stopGrace()).onErrorResume((ex) -> {
			logger.warn("Journal writes still pending at stop: " + ex);
			return Mono.empty();
		});
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
		List<Mono<Void>> stops = this.dispatchers.values().stream().map(this::stopWithin).toList();
		// Calls in flight finish and their outcomes are stored; what has not started
		// stays queued in the journal and resumes at the next start.
		try {
			Mono.when(stops)
				.then(flushWithin())
				.then(this.ownership.stop())
				.block(this.properties.stopGrace().multipliedBy(2).plusSeconds(10));
		}
		catch (RuntimeException ex) {
			logger.warn("Dispatchers did not stop in time: " + ex.getMessage());
		}
		this.dispatchers.clear();
	}

	/** Starts and stops dispatchers as this process gains and loses subscriptions. */
	private final class OwnedDispatchers implements Ownership.Holder {

		@Override
		public Mono<Void> cancel(String batchId) {
			// A batch still only in the journal is handed to the dispatcher first, which
			// then cancels it whether it is queued, starting or running.
			return DispatcherManager.this.journal.find(batchId)
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
				.thenMany(DispatcherManager.this.journal.findUnfinished(subscriptionId))
				.concatMap(DispatcherManager.this::submit)
				.then();
		}

		// Settings saved through another process: a notification of the change, or the
		// re-read of every lease renewal when that notification was lost. Older or
		// equal versions (this process's own change, seen again) change nothing.
		@Override
		public void settings(SubscriptionSettings latest) {
			SubscriptionDispatcher dispatcher = DispatcherManager.this.dispatchers.get(latest.id());
			if (dispatcher != null && latest.version() > dispatcher.settingsVersion()) {
				dispatcher.settingsChanged(latest);
			}
		}

		// Does what a verify here does: lifts the refusal of the current keys and
		// resumes (resuming twice, when the lane announces the accept, changes nothing).
		@Override
		public void verified(String subscriptionId, long settingsVersion) {
			SubscriptionDispatcher dispatcher = DispatcherManager.this.dispatchers.get(subscriptionId);
			if (dispatcher != null && settingsVersion >= dispatcher.settingsVersion()
					&& DispatcherManager.this.throttles.isCurrent(subscriptionId, settingsVersion)) {
				DispatcherManager.this.throttles.acceptCredentials(subscriptionId, Direction.STAMPED);
				dispatcher.resume();
			}
		}

		@Override
		public Mono<Void> lost(String subscriptionId) {
			SubscriptionDispatcher dispatcher = DispatcherManager.this.dispatchers.remove(subscriptionId);
			if (dispatcher == null) {
				return this.stopping.getOrDefault(subscriptionId, Mono.empty());
			}
			Mono<Void> stopped = stopWithin(dispatcher).then(flushWithin())
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

package io.stampedsync.batch;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.LongSupplier;

import io.stampedsync.batch.Handouts.Ticket;
import io.stampedsync.batch.WorkPlan.Work;
import io.stampedsync.subscription.SubscriptionSettings;
import io.stampedsync.transfer.Outcome;
import io.stampedsync.transfer.TransferResult;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.SignalType;
import reactor.core.publisher.Sinks;
import reactor.util.function.Tuple3;
import reactor.util.retry.Retry;

/**
 * Owns every call to one Stamped.io store (DESIGN.md §2), as one pipeline:
 * {@code source.flatMap(transfer, C).subscribe(outcome)}. The source hands out what the
 * {@link WorkPlan} decides (admission, fairness, per-customer order); every fault of one
 * record becomes that record's outcome inside the transfer; the pipeline itself, should
 * it ever fail, is logged, counted and subscribed again with backoff
 * ({@link Retry#backoff}). Concurrent Connections bounds the transfers taken at once, and
 * the subscription's connection slots bound the calls (outbound {@code ConnectionSlots}):
 * the dispatcher keeps no count of its own. A new C takes effect once the transfers of
 * the previous C have ended: the source completes, the pipeline drains and is subscribed
 * again with the new bound, so no record is lost or sent twice.
 * <p>
 * It keeps the plan and the statuses it journals under one lock, and leaves the rest to
 * its collaborators: {@link RecordTransfer} (one record, every fault an outcome),
 * {@link Handouts} (the records out, by ticket), {@link DispatcherJournal} (batch starts,
 * reads ahead and cancels, retried until they succeed), {@link StallWatch} (the
 * watchdog's memory) and {@link BatchLog} (what is written).
 */
final class SubscriptionDispatcher {

	private static final Log logger = LogFactory.getLog(SubscriptionDispatcher.class);

	private final String subscriptionId;

	private final Fence fence;

	private final DispatcherJournal journal;

	private final RecordTransfer transfers;

	private final BatchLog log;

	private final BatchProperties properties;

	private final DispatcherListener listener;

	private final LongSupplier nanoTime;

	private final Object lock = new Object();

	/** Guarded by {@link #lock}, like {@link #out} and {@link #watch}. */
	private final WorkPlan plan;

	private final Handouts out = new Handouts();

	private final StallWatch watch;

	private final Sinks.Empty<Void> ended = Sinks.empty();

	private volatile SubscriptionSettings settings;

	private volatile WorkSource<Ticket> source;

	private volatile Disposable pipeline;

	private volatile boolean stopping;

	/** Halted: nothing more is written, whatever still comes back. */
	private boolean halted;

	private volatile String lastFailure;

	private volatile long restarts;

	SubscriptionDispatcher(SubscriptionSettings settings, Fence fence, BatchJournal journal, Transfer transfers,
			BatchLog log, BatchProperties properties, DispatcherListener listener, LongSupplier nanoTime) {
		this.subscriptionId = settings.id();
		this.settings = settings;
		this.fence = fence;
		this.journal = new DispatcherJournal(journal);
		this.transfers = new RecordTransfer(this.subscriptionId, fence, transfers);
		this.log = log;
		this.properties = properties;
		this.listener = listener;
		this.nanoTime = nanoTime;
		this.plan = new WorkPlan(settings.concurrentBatchExecutions());
		this.watch = new StallWatch(properties.stallAfter(), nanoTime.getAsLong());
	}

	void start() {
		this.pipeline = Flux.defer(this::subscribeSource)
			.doOnNext(this::outcome)
			// A source completes when C changed (or at stop): drained, it runs again.
			.repeat(() -> !this.stopping)
			.retryWhen(Retry.backoff(Long.MAX_VALUE, this.properties.restartBackoff())
				.maxBackoff(this.properties.restartMaxBackoff())
				.transientErrors(true)
				.doBeforeRetry((signal) -> failed(signal.failure())))
			.subscribe(null, (error) -> {
				// Unreachable with an endless retry; said loudly if it ever happens.
				logger.error("Dispatcher of subscription " + this.subscriptionId + " ended", error);
				this.ended.tryEmitEmpty();
			}, this.ended::tryEmitEmpty);
	}

	// One subscription of the pipeline: a fresh source, bounded by the current C.
	private Flux<Done> subscribeSource() {
		WorkSource<Ticket> fresh = new WorkSource<>(this::next);
		this.source = fresh;
		int connections = this.settings.concurrentConnections();
		return fresh.flux()
			.flatMap(this::transfer, connections, 1)
			// Handed out as the pipeline was being cancelled, and dropped by it: never
			// sent, so it goes again.
			.doOnDiscard(Ticket.class, this::giveBack)
			// Sent and answered, but dropped by the cancel: the call happened, so its
			// answer is its outcome (sending it again would call twice).
			.doOnDiscard(Done.class, this::outcome)
			.doOnSubscribe((s) -> {
				wake();
				if (this.stopping) {
					fresh.complete();
				}
			});
	}

	private Ticket next() {
		synchronized (this.lock) {
			if (this.stopping) {
				return null;
			}
			Work work = this.plan.next();
			if (work == null) {
				return null;
			}
			return this.out.handOut(work);
		}
	}

	private Mono<Done> transfer(Ticket ticket) {
		return Mono.defer(() -> this.transfers.run(this.settings, ticket.work()))
			.map((result) -> new Done(ticket, result))
			// The lease moved: no outcome, the record stays pending for the new owner.
			.onErrorResume(FencedException.class, (ex) -> {
				this.listener.fenced(ex.fence());
				return Mono.just(new Done(ticket, null));
			})
			// Runs once the cancel reached the call (it is dead then): only now may the
			// record go again, so a restart never has it sent twice at once.
			.doFinally((signal) -> transferEnded(ticket, signal));
	}

	private void transferEnded(Ticket ticket, SignalType signal) {
		synchronized (this.lock) {
			ticket.transferEnded();
		}
		if (signal == SignalType.CANCEL) {
			giveBack(ticket);
		}
	}

	private void outcome(Done done) {
		List<Batch> admitted = List.of();
		synchronized (this.lock) {
			Work work = done.ticket().work();
			if (this.halted || !this.out.isCurrent(done.ticket())) {
				// Given back by a restart while its outcome was on its way.
				return;
			}
			this.watch.moved(this.nanoTime.getAsLong());
			TransferResult result = done.result();
			if (result == null) {
				this.out.back(work);
				this.plan.putBack(work);
				this.plan.pause("the subscription passed to another replica");
				return;
			}
			if (result.credentialsRejected() && !work.batch().isCancelled()) {
				// Not a failure of this record: it waits, first in line, for credentials
				// that work. The subscription pauses only if the refused keys are still
				// the current ones: a late answer to superseded keys never pauses the
				// fixed ones, the record simply goes again.
				this.out.back(work);
				this.plan.putBack(work);
				if (usedCurrentSettings(result)) {
					pause("credentials rejected: " + result.errorMessage());
					return;
				}
			}
			else {
				// A cancelled batch's record refused for its keys ends cancelled: the
				// journal left it to us (it was out when the cancel came).
				end(work, result.credentialsRejected() ? TransferResult.ended(Outcome.CANCELLED, null, null) : result);
				admitted = settle();
			}
		}
		startAll(admitted);
		wake();
	}

	/**
	 * Whether the result was reached with the settings current now (0: unknown, so yes).
	 */
	private boolean usedCurrentSettings(TransferResult result) {
		return result.settingsVersion() == 0 || result.settingsVersion() >= this.settings.version();
	}

	// Writes the record's outcome and its event; a fault building them ends it INTERNAL.
	private void end(Work work, TransferResult result) {
		BatchRecord finished;
		BatchEvent event;
		try {
			finished = this.log.finished(work.record(), result);
			event = this.log.recordEvent(work.batch(), finished);
		}
		catch (RuntimeException ex) {
			finished = this.log.finished(work.record(), this.transfers.internal("storing the outcome", ex));
			event = null;
		}
		// Handed to the writer first: should that fail, the record is still out and is
		// given back by the restart that follows.
		this.log.recordDone(this.fence, finished, event);
		this.out.back(work);
		this.plan.done(work, finished.outcome(), finished.attempts());
	}

	// Under the lock: ends the batches with nothing left and admits queued ones.
	private List<Batch> settle() {
		for (RunningBatch batch : this.plan.takeFinished()) {
			Progress last = progressOf(batch, true);
			if (last != null) {
				this.log.progress(this.fence, batch, last);
			}
			BatchStatus end = batch.isCancelled() ? BatchStatus.CANCELLED
					: batch.hasErrors() ? BatchStatus.COMPLETED_WITH_ERRORS : BatchStatus.COMPLETED;
			this.log.status(this.fence, batch, end, null);
		}
		return this.stopping ? List.of() : this.plan.admit();
	}

	// Under the lock, so that statuses are journaled in the order the plan changed.
	private void pause(String reason) {
		if (this.plan.pause(reason)) {
			this.plan.running().forEach((batch) -> this.log.status(this.fence, batch, BatchStatus.PAUSED, reason));
		}
	}

	/** Emits what the plan may now hand out, and reads records ahead where needed. */
	private void wake() {
		WorkSource<Ticket> current = this.source;
		if (current != null) {
			current.wake();
		}
		load();
	}

	// Each page brings its records' customer links too: a transfer then needs no look-up
	// between its calls, unless a save of its customer may have come since the page was
	// read (the link store checks; see LinkStore#find with a PrefetchedLink).
	private void load() {
		List<WorkPlan.Load> loads;
		int page = this.properties.readAhead();
		synchronized (this.lock) {
			loads = this.stopping ? List.of() : this.plan.toLoad(page / 4);
		}
		for (WorkPlan.Load load : loads) {
			this.journal.read(this.subscriptionId, load.batch().batch.id(), load.afterIndex(), page, (records) -> {
				List<Batch> admitted;
				synchronized (this.lock) {
					if (this.halted) {
						return;
					}
					this.plan.loaded(load, records, records.size() < page);
					// The last read may find nothing left: the batch ends here.
					admitted = settle();
				}
				startAll(admitted);
				wake();
			});
		}
	}

	private void startAll(List<Batch> admitted) {
		admitted.forEach(this::start);
	}

	// Loads what the dispatcher must know of a batch to run it. A failed load is tried
	// again with backoff: the batch keeps its slot and is never dropped.
	private void start(Batch batch) {
		this.journal.start(batch, (loaded) -> started(batch, loaded, true));
	}

	private void started(Batch batch, Tuple3<Long, Long, Map<Outcome, Long>> loaded, boolean announce) {
		RunningBatch running = new RunningBatch(batch, loaded.getT1(), loaded.getT2(), loaded.getT3());
		List<Batch> admitted;
		synchronized (this.lock) {
			if (this.halted) {
				// A start retried with backoff past the halt: the batch may be running
				// (or done) under the next owner, and a status from here would undo it.
				return;
			}
			WorkPlan.Start start = this.plan.started(running);
			if (start == WorkPlan.Start.STALE) {
				return;
			}
			if (start == WorkPlan.Start.CANCEL) {
				cancelRunning(running, Set.of());
				return;
			}
			String reason = this.plan.pauseReason();
			BatchStatus status = (reason != null) ? BatchStatus.PAUSED : BatchStatus.RUNNING;
			if (announce && batch.status() != status) {
				this.log.status(this.fence, running, status, reason);
			}
			admitted = settle();
		}
		startAll(admitted);
		wake();
	}

	String subscriptionId() {
		return this.subscriptionId;
	}

	/** The lease this dispatcher's writes land under. */
	Fence fence() {
		return this.fence;
	}

	/** The version of the settings this dispatcher runs with. */
	long settingsVersion() {
		return this.settings.version();
	}

	/** New settings: pacing follows at once, a new C once the transfers out end. */
	void settingsChanged(SubscriptionSettings changed) {
		SubscriptionSettings previous = this.settings;
		this.settings = changed;
		List<Batch> admitted;
		synchronized (this.lock) {
			this.plan.concurrentBatchExecutions(changed.concurrentBatchExecutions());
			admitted = this.stopping ? List.of() : this.plan.admit();
		}
		startAll(admitted);
		if (previous.concurrentConnections() != changed.concurrentConnections()) {
			WorkSource<Ticket> current = this.source;
			if (current != null) {
				current.complete();
			}
		}
		resume();
	}

	/**
	 * Takes a batch: it starts now if a slot is free (or it jumps the queue), else waits.
	 */
	void submit(Batch batch) {
		List<Batch> admitted;
		synchronized (this.lock) {
			// A batch resumed at start may also arrive from its intake: it runs once.
			if (this.stopping || !this.plan.offer(batch)) {
				return;
			}
			admitted = this.plan.admit();
		}
		startAll(admitted);
		if (!admitted.contains(batch)) {
			startIfNothingLeft(batch);
		}
	}

	// A batch left to wait for a slot, although it has nothing left to send (every
	// record refused at intake, or ended before a stop that came before its own end was
	// stored), starts at once and so ends: it would otherwise wait, unfinished, behind
	// batches that may hold their slots for long (paused for wrong keys: until a fix).
	private void startIfNothingLeft(Batch batch) {
		this.journal.countPending(batch.id(), (pending) -> {
			if (pending > 0) {
				return;
			}
			boolean now;
			synchronized (this.lock) {
				now = !this.stopping && this.plan.admitNow(batch.id());
			}
			if (now) {
				// Started out of turn: it never shows running (or paused).
				this.journal.start(batch, (loaded) -> started(batch, loaded, false));
			}
		});
	}

	/** Credentials accepted again: paused batches run on. */
	void resume() {
		synchronized (this.lock) {
			if (this.halted) {
				return;
			}
			this.plan.resume().forEach((batch) -> this.log.status(this.fence, batch, BatchStatus.RUNNING, null));
		}
		wake();
	}

	boolean isPaused() {
		return pauseReason() != null;
	}

	String pauseReason() {
		synchronized (this.lock) {
			return this.plan.pauseReason();
		}
	}

	/**
	 * Cancels a queued, starting or running batch; false when this dispatcher lacks it.
	 */
	boolean cancel(String batchId) {
		WorkPlan.Cancel found;
		synchronized (this.lock) {
			found = this.plan.cancel(batchId);
		}
		if (found instanceof WorkPlan.Cancel.Queued queued) {
			// Started only to be cancelled: its running state numbers the events.
			start(queued.batch());
		}
		else if (found instanceof WorkPlan.Cancel.Running running) {
			cancelRunning(running.batch(), running.out());
		}
		return !(found instanceof WorkPlan.Cancel.NotHeld);
	}

	private void cancelRunning(RunningBatch batch, Set<Integer> outNow) {
		this.journal.cancelPending(batch.batch.id(), outNow, (count) -> {
			List<Batch> admitted;
			synchronized (this.lock) {
				if (this.halted) {
					return;
				}
				batch.cancelledPending(count);
				admitted = settle();
			}
			startAll(admitted);
			wake();
		});
	}

	/**
	 * Stops taking new work; completes when the transfers out have ended (their outcomes
	 * handed to the writer).
	 */
	Mono<Void> stop() {
		this.stopping = true;
		WorkSource<Ticket> current = this.source;
		if (current != null) {
			current.complete();
		}
		return this.ended.asMono();
	}

	/**
	 * Stops at once, dropping the transfers out: their records stay pending in the
	 * journal and run again wherever the subscription runs next.
	 */
	void halt() {
		this.stopping = true;
		synchronized (this.lock) {
			// Waits for an outcome being written now; none is written after.
			this.halted = true;
		}
		Disposable current = this.pipeline;
		if (current != null) {
			current.dispose();
		}
		this.journal.dropStarts();
		this.ended.tryEmitEmpty();
	}

	/** Transfers handed out and not yet back. */
	int inFlight() {
		synchronized (this.lock) {
			return this.out.size();
		}
	}

	/** Whether batches are queued, starting or running here. */
	boolean hasWork() {
		synchronized (this.lock) {
			return this.plan.hasWork();
		}
	}

	/**
	 * Drops what the pipeline holds and subscribes it again: the records out are given
	 * back (they run again, first), batch starts and reads ahead are asked again.
	 */
	void restart() {
		Disposable current = this.pipeline;
		if (current != null) {
			current.dispose();
		}
		this.journal.dropStarts();
		List<Batch> dropped;
		synchronized (this.lock) {
			// The transfers the dispose cancelled gave their records back; one still
			// running (on another thread) gives it back when its cancel lands.
			giveBackEnded();
			dropped = this.plan.starting();
			dropped.forEach(this.plan::startFailed);
			this.plan.resetLoads();
		}
		if (this.stopping) {
			this.ended.tryEmitEmpty();
			return;
		}
		start();
		List<Batch> admitted;
		synchronized (this.lock) {
			// A cancelled batch's record given back ends it: its batch may be done.
			admitted = settle();
		}
		startAll(admitted);
		// A dropped start queued again may be one with nothing left, admitted at once.
		dropped.stream().filter((batch) -> !admitted.contains(batch)).forEach(this::startIfNothingLeft);
	}

	// The pipeline failed (Retry.backoff subscribes it again after this): its transfers
	// were cancelled, so their records go back to the plan.
	private void failed(Throwable error) {
		this.restarts++;
		this.lastFailure = error.getClass().getSimpleName() + ": " + error.getMessage();
		logger.error("Dispatcher pipeline of subscription " + this.subscriptionId + " failed; restarting", error);
		this.listener.restarted(this.subscriptionId);
		List<Batch> admitted;
		synchronized (this.lock) {
			giveBackEnded();
			this.plan.resetLoads();
			// A cancelled batch's record given back ends it: its batch may be done.
			admitted = settle();
		}
		startAll(admitted);
	}

	private void giveBack(Ticket ticket) {
		List<Batch> admitted = List.of();
		synchronized (this.lock) {
			// Never sent, or its call is dead.
			ticket.transferEnded();
			if (!this.halted && this.out.isCurrent(ticket)) {
				giveBack(List.of(ticket.work()));
				// A cancelled batch's record given back ends it: its batch may be done.
				admitted = settle();
			}
		}
		startAll(admitted);
		wake();
	}

	// Records whose transfer ended but whose answer was lost on the way (the pipeline
	// failed while handling it): nothing runs for them, so they go again. A record whose
	// transfer may still be at Stamped.io stays out, its customer busy, until that
	// transfer's own signal says it ended.
	private void giveBackEnded() {
		giveBack(this.out.ended());
	}

	private void giveBack(List<Work> works) {
		for (Work work : works) {
			if (work.batch().isCancelled()) {
				// Out when the cancel came, so the journal left it to us.
				end(work, TransferResult.ended(Outcome.CANCELLED, null, null));
			}
			else {
				this.out.back(work);
				this.plan.putBack(work);
			}
		}
	}

	/**
	 * The watchdog's look: with work, not paused, not cooling down, and no call nor
	 * outcome since {@code stallAfter}, the dispatcher is stalled: answers what it was
	 * waiting for the first time it sees so (and restarts it each time), else null.
	 * @param lastCallNanos nano time of the subscription's latest outbound call
	 * @param coolingDown whether a 429 cool-down holds the subscription now
	 */
	String watch(long lastCallNanos, boolean coolingDown) {
		StallWatch.Restart restart;
		synchronized (this.lock) {
			boolean exempt = this.stopping || !this.plan.hasWork() || this.plan.pauseReason() != null || coolingDown;
			restart = this.watch.look(this.nanoTime.getAsLong(), lastCallNanos, exempt, this.plan::describe);
		}
		if (restart == null) {
			return null;
		}
		restart();
		return restart.firstReport();
	}

	/** What the plan holds, for a log line or a test's report. */
	String describe() {
		synchronized (this.lock) {
			return this.plan.describe();
		}
	}

	/** What the watchdog found this dispatcher waiting for, while it does not move. */
	String stalled() {
		return this.watch.stalled();
	}

	/** Times the pipeline failed and was subscribed again. */
	long restarts() {
		return this.restarts;
	}

	/** Why the pipeline last failed, or null. */
	String lastFailure() {
		return this.lastFailure;
	}

	/** Snapshot for the batch summary of a running batch. */
	Progress progress(String batchId) {
		synchronized (this.lock) {
			RunningBatch batch = this.plan.running(batchId);
			return (batch != null) ? progressOf(batch, false) : null;
		}
	}

	/** Emits a progress event for every running batch that moved since the last tick. */
	void tick() {
		synchronized (this.lock) {
			if (this.halted) {
				return;
			}
			for (RunningBatch batch : this.plan.running()) {
				Progress progress = progressOf(batch, true);
				if (progress != null) {
					this.log.progress(this.fence, batch, progress);
				}
			}
		}
	}

	// Under the lock. Rates and ETA (BatchEta): the batch's share of the store among the
	// running and queued batches, with the cool-down and pause taken into account.
	private Progress progressOf(RunningBatch batch, boolean onlyIfMoved) {
		SubscriptionSettings s = this.settings;
		BatchEta.Store store = new BatchEta.Store((double) s.apiThrottleLimit() / s.apiThrottleSeconds(),
				(double) s.ipaasThrottleLimit() / s.ipaasThrottleSeconds(), s.concurrentConnections(),
				s.concurrentBatchExecutions(), this.plan.pauseReason() != null,
				this.listener.coolDownSeconds(this.subscriptionId));
		List<BatchEta.Load> others = this.plan.running()
			.stream()
			.filter((other) -> other != batch)
			.map(RunningBatch::load)
			.toList();
		List<Long> queued = this.plan.queuedTotals();
		return onlyIfMoved ? batch.takeProgress(store, others, queued) : batch.progress(store, others, queued);
	}

	/** A transfer back from the pipeline; {@code result} null when the lease moved. */
	private record Done(Ticket ticket, TransferResult result) {
	}

	/** What the dispatcher tells its manager about. */
	interface DispatcherListener {

		/** A write found the lease moved on. */
		void fenced(Fence fence);

		/** The pipeline failed and is subscribed again. */
		void restarted(String subscriptionId);

		/**
		 * Seconds left in the subscription's cool-down after a 429 (either side), 0 when
		 * none.
		 */
		default double coolDownSeconds(String subscriptionId) {
			return 0;
		}

	}

}

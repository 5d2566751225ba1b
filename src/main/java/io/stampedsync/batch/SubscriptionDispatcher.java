package io.stampedsync.batch;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.concurrent.atomic.AtomicInteger;

import io.stampedsync.subscription.SubscriptionSettings;
import io.stampedsync.transfer.TransferRequest;
import io.stampedsync.transfer.TransferResult;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.FluxSink;
import reactor.core.publisher.Mono;

/**
 * Owns every call to one Stamped.io store (DESIGN.md §2). It merges the records of the
 * subscription's running batches (at most Concurrent Batch Executions, the rest FIFO),
 * round-robin between batches, and runs transfers through one {@code flatMap} whose live
 * cap is Concurrent Connections: because a single pipeline carries all batches, the cap
 * holds across batches, not just within one. Two records of one customer never run at
 * once.
 */
final class SubscriptionDispatcher {

	private static final Log logger = LogFactory.getLog(SubscriptionDispatcher.class);

	/** The flatMap's own bound; the live cap below it follows the settings. */
	static final int MAX_CONNECTIONS = 64;

	private static final Comparator<Work> BY_PLACE = Comparator
		.<Work>comparingLong((work) -> work.batch().batch.acceptSeq())
		.thenComparingInt((work) -> work.record().index());

	private final String subscriptionId;

	private final DispatcherServices services;

	private final Fence fence;

	private final Object lock = new Object();

	private final List<RunningBatch> running = new ArrayList<>();

	private final PriorityQueue<Batch> queued = new PriorityQueue<>(
			Comparator.comparingInt(Batch::priority).reversed().thenComparingLong(Batch::acceptSeq));

	/**
	 * Customers with a record in flight or ready, and their records waiting behind it.
	 */
	private final Map<String, PriorityQueue<Work>> busyCustomers = new HashMap<>();

	/** Batches cancelled while their running state was being loaded. */
	private final java.util.Set<String> cancelWhenStarted = new java.util.HashSet<>();

	/** Ids of the batches this dispatcher has queued or run. */
	private final java.util.Set<String> known = new java.util.HashSet<>();

	/** Records released by their customer's previous record, served before new ones. */
	private final Deque<Work> ready = new ArrayDeque<>();

	private final AtomicInteger wip = new AtomicInteger();

	private volatile SubscriptionSettings settings;

	private int inFlight;

	/** Batches admitted whose running state is still being loaded: they hold a slot. */
	private int starting;

	private int roundRobin;

	private boolean paused;

	private String pauseReason;

	private boolean stopping;

	private FluxSink<Work> sink;

	private Disposable pipeline;

	private boolean halted;

	SubscriptionDispatcher(SubscriptionSettings settings, DispatcherServices services, Fence fence) {
		this.subscriptionId = settings.id();
		this.settings = settings;
		this.services = services;
		this.fence = fence;
	}

	void start() {
		this.pipeline = Flux.<Work>create((sink) -> {
			this.sink = sink;
			sink.onRequest((n) -> drain());
		}).flatMap(this::run, MAX_CONNECTIONS, 1).subscribe();
	}

	String subscriptionId() {
		return this.subscriptionId;
	}

	/** The lease this dispatcher's writes land under. */
	Fence fence() {
		return this.fence;
	}

	/** New settings: a new cap and pacing apply to the work already running. */
	void settingsChanged(SubscriptionSettings settings) {
		this.settings = settings;
		resume();
	}

	/**
	 * Takes a batch: it runs now if a slot is free (or it jumps the queue), else it
	 * queues.
	 */
	void submit(Batch batch) {
		synchronized (this.lock) {
			// A batch resumed at start may also arrive from its intake: it runs once.
			if (!this.known.add(batch.id())) {
				return;
			}
			this.queued.add(batch);
		}
		admit();
	}

	/** Credentials accepted again: paused batches run on. */
	void resume() {
		List<RunningBatch> resumed = List.of();
		synchronized (this.lock) {
			if (this.paused) {
				this.paused = false;
				this.pauseReason = null;
				resumed = List.copyOf(this.running);
			}
		}
		resumed.forEach((batch) -> status(batch, BatchStatus.RUNNING, null));
		drain();
	}

	boolean isPaused() {
		synchronized (this.lock) {
			return this.paused;
		}
	}

	String pauseReason() {
		synchronized (this.lock) {
			return this.pauseReason;
		}
	}

	/**
	 * Cancels a running or queued batch; answers false if this dispatcher does not hold
	 * it.
	 */
	boolean cancel(String batchId) {
		RunningBatch target = null;
		Batch waiting = null;
		synchronized (this.lock) {
			for (RunningBatch batch : this.running) {
				if (batch.batch.id().equals(batchId)) {
					target = batch;
				}
			}
			if (target == null) {
				waiting = this.queued.stream().filter((b) -> b.id().equals(batchId)).findFirst().orElse(null);
				if (waiting == null) {
					if (!this.known.contains(batchId)) {
						return false;
					}
					// Admitted and still loading: cancelled as soon as it has started.
					this.cancelWhenStarted.add(batchId);
					return true;
				}
				this.queued.remove(waiting);
			}
		}
		if (waiting != null) {
			this.services.startBatch(this.fence, waiting, BatchStatus.RUNNING, null)
				.subscribe((batch) -> cancelRunning(batch, true));
			return true;
		}
		cancelRunning(target, false);
		return true;
	}

	private void cancelRunning(RunningBatch batch, boolean adopt) {
		java.util.Set<Integer> inFlightNow;
		synchronized (this.lock) {
			if (adopt) {
				this.running.add(batch);
			}
			inFlightNow = batch.cancel();
		}
		this.services.journal().cancelPending(batch.batch.id(), inFlightNow).subscribe((count) -> {
			synchronized (this.lock) {
				batch.cancelledPending(count);
			}
			finishIfDone(batch);
		});
	}

	/** Stops taking new work; completes when the calls in flight have ended. */
	Mono<Void> stop() {
		synchronized (this.lock) {
			this.stopping = true;
			if (this.halted) {
				return Mono.empty();
			}
		}
		return Flux.interval(java.time.Duration.ofMillis(20))
			.filter((tick) -> inFlight() == 0)
			.next()
			.then(Mono.fromRunnable(() -> this.pipeline.dispose()));
	}

	/**
	 * Stops at once, cancelling the calls in flight: the subscription's lease moved on,
	 * so nothing this dispatcher still does could be stored.
	 */
	void halt() {
		synchronized (this.lock) {
			this.stopping = true;
			this.halted = true;
		}
		this.pipeline.dispose();
	}

	int inFlight() {
		synchronized (this.lock) {
			return this.inFlight;
		}
	}

	/** Snapshot for the batch summary of a running batch. */
	Progress progress(String batchId) {
		synchronized (this.lock) {
			for (RunningBatch batch : this.running) {
				if (batch.batch.id().equals(batchId)) {
					return progressOf(batch, false);
				}
			}
			return null;
		}
	}

	/** Emits a progress event for every running batch that moved since the last tick. */
	void tick() {
		List<Map.Entry<RunningBatch, Progress>> moved = new ArrayList<>();
		synchronized (this.lock) {
			for (RunningBatch batch : this.running) {
				Progress progress = progressOf(batch, true);
				if (progress != null) {
					moved.add(Map.entry(batch, progress));
				}
			}
		}
		moved.forEach((entry) -> emitProgress(entry.getKey(), entry.getValue()));
	}

	// Rates and ETA (BatchEta): the batch's share among the running and queued batches.
	private Progress progressOf(RunningBatch batch, boolean onlyIfMoved) {
		synchronized (this.lock) {
			SubscriptionSettings s = this.settings;
			BatchEta.Store store = new BatchEta.Store((double) s.apiThrottleLimit() / s.apiThrottleSeconds(),
					(double) s.ipaasThrottleLimit() / s.ipaasThrottleSeconds(), s.concurrentConnections(),
					s.concurrentBatchExecutions(), this.paused, this.services.coolDownSeconds(this.subscriptionId));
			List<BatchEta.Load> others = this.running.stream()
				.filter((b) -> b != batch)
				.map(RunningBatch::load)
				.toList();
			List<Long> queued = this.queued.stream()
				.sorted(this.queued.comparator())
				.map((b) -> (long) b.total())
				.toList();
			return onlyIfMoved ? batch.takeProgress(store, others, queued) : batch.progress(store, others, queued);
		}
	}

	// Moves queued batches to running while slots are free; a batch with priority (a
	// debug
	// Manual Sync) is admitted even when every slot is taken, so it jumps the queue.
	private void admit() {
		List<Batch> admitted = new ArrayList<>();
		synchronized (this.lock) {
			// A batch whose running state is still loading holds its slot: without it,
			// two
			// admissions close together could both see the slot free.
			while (!this.queued.isEmpty() && (this.running.size() + this.starting + admitted.size() < this.settings
				.concurrentBatchExecutions() || this.queued.peek().priority() > 0)) {
				admitted.add(this.queued.poll());
			}
			this.starting += admitted.size();
		}
		String reason = pauseReason();
		for (Batch batch : admitted) {
			this.services
				.startBatch(this.fence, batch, (reason != null) ? BatchStatus.PAUSED : BatchStatus.RUNNING, reason)
				.subscribe((runningBatch) -> {
					boolean cancel;
					synchronized (this.lock) {
						this.starting--;
						this.running.add(runningBatch);
						cancel = this.cancelWhenStarted.remove(batch.id());
					}
					if (cancel) {
						cancelRunning(runningBatch, false);
					}
					else if (!finishIfDone(runningBatch)) {
						drain();
					}
				}, (error) -> {
					synchronized (this.lock) {
						this.starting--;
					}
					logger.error("Could not start batch " + batch.id(), error);
				});
		}
	}

	// The classic work-in-progress loop: one thread at a time emits, others leave a mark.
	private void drain() {
		if (this.wip.getAndIncrement() != 0) {
			return;
		}
		do {
			while (this.sink != null && this.sink.requestedFromDownstream() > 0) {
				Work work = nextWork();
				if (work == null) {
					break;
				}
				this.sink.next(work);
			}
			refill();
		}
		while (this.wip.decrementAndGet() != 0);
	}

	private Work nextWork() {
		synchronized (this.lock) {
			if (this.paused || this.stopping || this.inFlight >= this.settings.concurrentConnections()) {
				return null;
			}
			Work work = this.ready.pollFirst();
			while (work != null && work.batch().isCancelled()) {
				// Cancelled while it waited behind its customer: the journal already
				// ended it.
				release(work);
				work = this.ready.pollFirst();
			}
			if (work == null) {
				work = pickFromBatches();
			}
			if (work != null) {
				this.inFlight++;
				work.batch().started(work.record());
			}
			return work;
		}
	}

	// Batches with priority (a debug Manual Sync) are served first; the others take
	// turns.
	private Work pickFromBatches() {
		Work work = pick(true);
		return (work != null) ? work : pick(false);
	}

	private Work pick(boolean prioritised) {
		int size = this.running.size();
		for (int turn = 0; turn < size; turn++) {
			int position = (this.roundRobin + turn) % size;
			RunningBatch batch = this.running.get(position);
			if ((batch.batch.priority() > 0) != prioritised) {
				continue;
			}
			BatchRecord record;
			while ((record = batch.poll()) != null) {
				Work work = new Work(batch, record);
				PriorityQueue<Work> waiting = this.busyCustomers.get(record.ipaasCustomerId());
				if (waiting != null) {
					waiting.add(work);
					continue;
				}
				this.busyCustomers.put(record.ipaasCustomerId(), new PriorityQueue<>(BY_PLACE));
				this.roundRobin = (position + 1) % size;
				return work;
			}
		}
		return null;
	}

	private void refill() {
		List<RunningBatch> toLoad = new ArrayList<>();
		int page = this.services.readAhead();
		synchronized (this.lock) {
			for (RunningBatch batch : this.running) {
				if (batch.wantsRecords(page / 4)) {
					toLoad.add(batch);
				}
			}
		}
		for (RunningBatch batch : toLoad) {
			int after;
			synchronized (this.lock) {
				after = batch.startLoading();
			}
			this.services.journal().pending(batch.batch.id(), after, page).collectList().subscribe((records) -> {
				synchronized (this.lock) {
					batch.loaded(records, records.size() < page);
				}
				drain();
			}, (error) -> {
				logger.warn("Could not read records of batch " + batch.batch.id() + ": " + error);
				synchronized (this.lock) {
					batch.loadFailed();
				}
			});
		}
	}

	private Mono<Void> run(Work work) {
		BatchRecord record = work.record();
		Batch batch = work.batch().batch;
		TransferRequest request = new TransferRequest(record.ipaasCustomerId(), record.payload(), batch.acceptSeq(),
				record.index(), batch.force(), false, batch.debug());
		return this.services.transfers()
			.transfer(this.settings, request)
			.doOnNext((result) -> done(work, result))
			.then()
			.contextWrite(work.batch().calls::into)
			// The link write found the lease held by another token: stop everything.
			.onErrorResume(FencedException.class, (ex) -> {
				// No outcome: the record stays pending for the new owner. The call is
				// over,
				// so a graceful stop already under way does not wait for it.
				synchronized (this.lock) {
					this.inFlight--;
				}
				this.services.fences().refused(ex.fence());
				return Mono.empty();
			})
			.contextWrite(this.fence::into);
	}

	private void done(Work work, TransferResult result) {
		boolean pausedNow = false;
		synchronized (this.lock) {
			this.inFlight--;
			if (result.credentialsRejected()) {
				// Not a failure of this record: it waits, first in line, for credentials
				// that
				// work. Its customer stays busy, so nothing of that customer overtakes
				// it.
				work.batch().notStarted(work.record());
				this.ready.addFirst(work);
				pausedNow = !this.paused;
				this.paused = true;
				this.pauseReason = "credentials rejected: " + result.errorMessage();
			}
			else {
				release(work);
				work.batch().finished(work.record(), result.outcome(), result.attempts());
			}
		}
		if (result.credentialsRejected()) {
			if (pausedNow) {
				pauseAll();
			}
			return;
		}
		BatchRecord finished = this.services.finished(work.record(), result);
		synchronized (this.lock) {
			this.services.writer()
				.recordDone(this.fence, finished,
						this.services.events().record(work.batch().batch, work.batch().nextSeq(), finished));
		}
		if (!finishIfDone(work.batch())) {
			drain();
		}
	}

	private void release(Work work) {
		String customer = work.record().ipaasCustomerId();
		PriorityQueue<Work> waiting = this.busyCustomers.get(customer);
		Work next = (waiting != null) ? waiting.poll() : null;
		if (next != null) {
			this.ready.addLast(next);
		}
		else {
			this.busyCustomers.remove(customer);
		}
	}

	private void pauseAll() {
		List<RunningBatch> batches;
		String reason;
		synchronized (this.lock) {
			batches = List.copyOf(this.running);
			reason = this.pauseReason;
		}
		batches.forEach((batch) -> status(batch, BatchStatus.PAUSED, reason));
	}

	private boolean finishIfDone(RunningBatch batch) {
		synchronized (this.lock) {
			if (!batch.isDone() || !this.running.remove(batch)) {
				return false;
			}
		}
		Progress last = progressOf(batch, true);
		if (last != null) {
			emitProgress(batch, last);
		}
		BatchStatus end = batch.isCancelled() ? BatchStatus.CANCELLED
				: batch.hasErrors() ? BatchStatus.COMPLETED_WITH_ERRORS : BatchStatus.COMPLETED;
		status(batch, end, null);
		admit();
		drain();
		return true;
	}

	// Events are numbered and handed to the writer under the lock, so that each batch's
	// log
	// is written, and published, in the order of its sequence numbers.
	private void status(RunningBatch batch, BatchStatus status, String reason) {
		synchronized (this.lock) {
			this.services.writer()
				.statusChanged(this.fence, batch.batch.id(), status, reason,
						this.services.events().status(batch.batch, batch.nextSeq(), status, reason));
		}
	}

	private void emitProgress(RunningBatch batch, Progress progress) {
		synchronized (this.lock) {
			this.services.writer()
				.event(this.fence, this.services.events().progress(batch.batch, batch.nextSeq(), progress));
		}
	}

	record Work(RunningBatch batch, BatchRecord record) {
	}

}

package io.stampedsync.batch;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Set;

import io.stampedsync.transfer.Outcome;
import io.stampedsync.transfer.PrefetchedLink;

/**
 * Decides what a subscription's dispatcher runs next (DESIGN.md §2), as plain state with
 * no I/O and no threads, so it can be tested alone:
 * <ul>
 * <li>admission: queued batches start in order (priority first, then accept order) while
 * fewer than Concurrent Batch Executions run or start; a batch with priority (a debug
 * Manual Sync) starts even when every slot is taken, and so does one with nothing left to
 * send ({@link #admitNow});</li>
 * <li>fairness: records of batches with priority are served first, the others take turns
 * round-robin, one record per turn;</li>
 * <li>per-customer order: at most one record of a customer is out at a time; the others
 * wait behind it, the older first, and are served before new records once it ends.</li>
 * </ul>
 * Not thread-safe: its dispatcher guards it with one lock and does the I/O it asks for
 * (start a batch, read records ahead, write outcomes).
 */
final class WorkPlan {

	/** How many finished batch ids are remembered to ignore a late re-submit. */
	static final int RECENTLY_FINISHED = 1024;

	private static final Comparator<Work> BY_PLACE = Comparator
		.<Work>comparingLong((work) -> work.batch().batch.acceptSeq())
		.thenComparingInt((work) -> work.record().index());

	private final PriorityQueue<Batch> queued = new PriorityQueue<>(
			Comparator.comparingInt(Batch::priority).reversed().thenComparingLong(Batch::acceptSeq));

	/** Admitted batches whose running state is being loaded: they hold a slot. */
	private final Map<String, Batch> starting = new LinkedHashMap<>();

	/** Batches cancelled while starting: cancelled as soon as they run. */
	private final Set<String> cancelWhenStarted = new HashSet<>();

	private final List<RunningBatch> running = new ArrayList<>();

	/** Customers with a record out, and their records waiting behind it. */
	private final Map<String, PriorityQueue<Work>> busyCustomers = new HashMap<>();

	/** Records whose customer is free again (or sent back), served before new ones. */
	private final Deque<Work> ready = new ArrayDeque<>();

	/** Bounded: a batch finished here and re-submitted late (a poll) runs no twice. */
	private final Set<String> recentlyFinished = new LinkedHashSet<>();

	private int concurrentBatchExecutions;

	/**
	 * The position in {@link #running} of the batch whose turn comes next, kept past the
	 * end (not wrapped) so a batch that joins, appended at the end, is next in line; it
	 * is wrapped only when read, and moved back when an earlier batch leaves.
	 */
	private int roundRobin;

	private int out;

	private String pauseReason;

	WorkPlan(int concurrentBatchExecutions) {
		this.concurrentBatchExecutions = concurrentBatchExecutions;
	}

	// Admission

	/**
	 * Queues a batch; false when it is already queued, starting, running or just ended.
	 */
	boolean offer(Batch batch) {
		String id = batch.id();
		if (holds(id) || this.recentlyFinished.contains(id)) {
			return false;
		}
		this.queued.add(batch);
		return true;
	}

	/** Whether the batch is queued, starting or running here. */
	boolean holds(String batchId) {
		return this.starting.containsKey(batchId) || running(batchId) != null
				|| this.queued.stream().anyMatch((batch) -> batch.id().equals(batchId));
	}

	void concurrentBatchExecutions(int concurrentBatchExecutions) {
		this.concurrentBatchExecutions = concurrentBatchExecutions;
	}

	/** The sizes of the queued batches, in the order they will start. */
	List<Long> queuedTotals() {
		return this.queued.stream().sorted(this.queued.comparator()).map((batch) -> (long) batch.total()).toList();
	}

	/** Moves the queued batches that may start now to starting, and answers them. */
	List<Batch> admit() {
		List<Batch> admitted = new ArrayList<>();
		while (!this.queued.isEmpty() && (this.running.size() + this.starting.size() < this.concurrentBatchExecutions
				|| this.queued.peek().priority() > 0)) {
			Batch batch = this.queued.poll();
			this.starting.put(batch.id(), batch);
			admitted.add(batch);
		}
		return admitted;
	}

	/**
	 * Starts a queued batch now, whatever the slots: one with nothing left to send ends
	 * as soon as it starts, so it needs no slot and must not wait behind batches that
	 * hold them (paused for their keys, perhaps). False when it is no longer queued.
	 */
	boolean admitNow(String batchId) {
		for (Batch waiting : this.queued) {
			if (waiting.id().equals(batchId)) {
				this.queued.remove(waiting);
				this.starting.put(batchId, waiting);
				return true;
			}
		}
		return false;
	}

	/** What became of a batch whose running state was loaded. */
	enum Start {

		/** It runs. */
		RUN,

		/**
		 * It was cancelled while starting: it is cancelled now, and the caller cancels
		 * its pending records in the journal.
		 */
		CANCEL,

		/**
		 * The start had been given up (a restart queued the batch again): this state is
		 * dropped, the batch starts anew.
		 */
		STALE

	}

	/** A starting batch's running state is loaded. */
	Start started(RunningBatch batch) {
		if (this.starting.remove(batch.batch.id()) == null) {
			return Start.STALE;
		}
		this.running.add(batch);
		if (!this.cancelWhenStarted.remove(batch.batch.id())) {
			return Start.RUN;
		}
		// Nothing of it went out: every pending record is the journal's to cancel.
		batch.cancel();
		return Start.CANCEL;
	}

	/**
	 * A batch that could not start (its start was dropped) goes back to its place in the
	 * queue; a cancel noted for it still applies.
	 */
	void startFailed(Batch batch) {
		if (this.starting.remove(batch.id()) != null) {
			this.queued.add(batch);
		}
	}

	/** Batches starting now. */
	List<Batch> starting() {
		return List.copyOf(this.starting.values());
	}

	// Reading ahead

	/**
	 * Running batches whose read-ahead is at or below {@code lowWater} records and that
	 * have more in the journal; each is marked loading until {@link #loaded} or
	 * {@link #resetLoads}.
	 */
	List<Load> toLoad(int lowWater) {
		List<Load> load = new ArrayList<>();
		for (RunningBatch batch : this.running) {
			if (batch.wantsRecords(lowWater)) {
				int after = batch.lastLoadedIndex();
				load.add(new Load(batch, after, batch.startLoading()));
			}
		}
		return load;
	}

	/** The records a {@link Load} read; {@code last} when the journal has no more. */
	void loaded(Load load, List<PendingRecord> records, boolean last) {
		load.batch().loaded(records, last, load.token());
	}

	/** Forgets every load under way (their reads were dropped): they are asked again. */
	void resetLoads() {
		this.running.forEach(RunningBatch::loadFailed);
	}

	// Work

	/** The next record to send, marked out; null when nothing may go now. */
	Work next() {
		if (this.pauseReason != null) {
			return null;
		}
		Work work;
		while ((work = this.ready.pollFirst()) != null) {
			if (!work.batch().isCancelled()) {
				return out(work);
			}
			// Cancelled while it waited behind its customer: the journal ended it.
			release(work);
		}
		work = pick(true);
		if (work == null) {
			work = pick(false);
		}
		return (work != null) ? out(work) : null;
	}

	private Work out(Work work) {
		work.batch().started(work.record());
		this.out++;
		return work;
	}

	// Batches with priority (a debug Manual Sync) are served first; the others take
	// turns, one record each.
	private Work pick(boolean prioritised) {
		int size = this.running.size();
		for (int turn = 0; turn < size; turn++) {
			int position = (this.roundRobin % size + turn) % size;
			RunningBatch batch = this.running.get(position);
			if ((batch.batch.priority() > 0) != prioritised) {
				continue;
			}
			PendingRecord pending;
			while ((pending = batch.poll()) != null) {
				BatchRecord record = pending.record();
				Work work = new Work(batch, record, pending.link());
				PriorityQueue<Work> waiting = this.busyCustomers.get(record.ipaasCustomerId());
				if (waiting != null) {
					waiting.add(work);
					continue;
				}
				this.busyCustomers.put(record.ipaasCustomerId(), new PriorityQueue<>(BY_PLACE));
				this.roundRobin = position + 1;
				return work;
			}
		}
		return null;
	}

	/** A record out ended with {@code outcome}: its customer's next record may go. */
	void done(Work work, Outcome outcome, int attempts) {
		this.out--;
		release(work);
		work.batch().finished(work.record(), outcome, attempts);
	}

	/**
	 * A record out came back without an outcome (credentials rejected, or its transfer
	 * was dropped by a restart): it goes again first, and its customer stays busy, so no
	 * later record of that customer overtakes it.
	 */
	void putBack(Work work) {
		this.out--;
		work.batch().notStarted(work.record());
		this.ready.addFirst(work);
	}

	/** Records out now. */
	int out() {
		return this.out;
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

	// Pause

	/** Stops handing out records; true when it was not paused yet. */
	boolean pause(String reason) {
		boolean newly = this.pauseReason == null;
		this.pauseReason = reason;
		return newly;
	}

	/** Hands out records again; answers the running batches when it was paused. */
	List<RunningBatch> resume() {
		if (this.pauseReason == null) {
			return List.of();
		}
		this.pauseReason = null;
		return List.copyOf(this.running);
	}

	String pauseReason() {
		return this.pauseReason;
	}

	// Cancel and finish

	/** What a cancel found. */
	sealed interface Cancel {

		/** The batch is not here. */
		record NotHeld() implements Cancel {
		}

		/**
		 * Nothing left to do: it is starting (and is cancelled once started), or ended.
		 */
		record Noted() implements Cancel {
		}

		/** It was queued: it now starts, only to be cancelled. */
		record Queued(Batch batch) implements Cancel {
		}

		/** It runs: records not out must be cancelled in the journal. */
		record Running(RunningBatch batch, Set<Integer> out) implements Cancel {
		}

	}

	Cancel cancel(String batchId) {
		RunningBatch batch = running(batchId);
		if (batch != null) {
			return new Cancel.Running(batch, batch.cancel());
		}
		if (this.starting.containsKey(batchId)) {
			this.cancelWhenStarted.add(batchId);
			return new Cancel.Noted();
		}
		for (Batch waiting : this.queued) {
			if (waiting.id().equals(batchId)) {
				this.queued.remove(waiting);
				this.starting.put(batchId, waiting);
				this.cancelWhenStarted.add(batchId);
				return new Cancel.Queued(waiting);
			}
		}
		return this.recentlyFinished.contains(batchId) ? new Cancel.Noted() : new Cancel.NotHeld();
	}

	/** Running batches with nothing left, removed from the plan. */
	List<RunningBatch> takeFinished() {
		List<RunningBatch> finished = new ArrayList<>();
		for (RunningBatch batch : List.copyOf(this.running)) {
			if (batch.isDone() && (batch.isCancelled() || !waits(batch))) {
				int position = this.running.indexOf(batch);
				this.running.remove(position);
				if (position < this.roundRobin) {
					// The batches after it moved down one place: the turn stays theirs.
					this.roundRobin--;
				}
				finished.add(batch);
				remember(batch.batch.id());
			}
		}
		return finished;
	}

	// Whether a record of the batch waits here, put back or behind its customer (a
	// cancelled batch's are the journal's, and are dropped when their turn comes).
	private boolean waits(RunningBatch batch) {
		return this.ready.stream().anyMatch((work) -> work.batch() == batch) || this.busyCustomers.values()
			.stream()
			.anyMatch((waiting) -> waiting.stream().anyMatch((work) -> work.batch() == batch));
	}

	private void remember(String batchId) {
		this.recentlyFinished.add(batchId);
		if (this.recentlyFinished.size() > RECENTLY_FINISHED) {
			this.recentlyFinished.remove(this.recentlyFinished.iterator().next());
		}
	}

	RunningBatch running(String batchId) {
		for (RunningBatch batch : this.running) {
			if (batch.batch.id().equals(batchId)) {
				return batch;
			}
		}
		return null;
	}

	List<RunningBatch> running() {
		return List.copyOf(this.running);
	}

	/** Whether any batch is queued, starting or running. */
	boolean hasWork() {
		return !this.queued.isEmpty() || !this.starting.isEmpty() || !this.running.isEmpty();
	}

	/** What the plan holds, for a log line. */
	String describe() {
		int waiting = this.busyCustomers.values().stream().mapToInt(PriorityQueue::size).sum();
		return this.queued.size() + " batches queued, " + this.starting.size() + " starting, " + this.running.size()
				+ " running (" + this.running.stream().filter(RunningBatch::isLoading).count()
				+ " reading records ahead), " + this.out + " records out, " + this.ready.size() + " ready, " + waiting
				+ " waiting behind their customer" + ((this.pauseReason != null) ? ", paused" : "")
				+ this.running.stream().map((batch) -> "; " + batch.describe()).reduce("", String::concat);
	}

	/**
	 * Records to read ahead for a batch.
	 *
	 * @param batch the running batch
	 * @param afterIndex read records after this index
	 * @param token brought back to {@link #loaded}
	 */
	record Load(RunningBatch batch, int afterIndex, long token) {
	}

	/**
	 * One record to send, with its batch.
	 *
	 * @param batch the running batch
	 * @param record the record
	 * @param link its customer's link as its page found it, or {@code null}; kept when
	 * the record is put back, since the link store checks it when it is used
	 */
	record Work(RunningBatch batch, BatchRecord record, PrefetchedLink link) {
	}

}

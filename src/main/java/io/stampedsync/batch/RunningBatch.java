package io.stampedsync.batch;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

import io.stampedsync.transfer.Outcome;

/**
 * The in-memory side of a batch its dispatcher is running: a small window of records read
 * ahead from the journal, the records out, and running counts for progress. Guarded by
 * its dispatcher's lock.
 */
final class RunningBatch {

	final Batch batch;

	/** The calls of this batch's records, counted by the clients through the context. */
	final CallRate calls = new CallRate(System::nanoTime);

	private final Deque<PendingRecord> buffer = new ArrayDeque<>();

	/** Records in flight by index, with when they went out (nanoTime). */
	private final Map<Integer, Long> inFlight = new HashMap<>();

	private final Map<Outcome, Long> counts = new EnumMap<>(Outcome.class);

	private final AtomicLong seq;

	private int lastLoadedIndex = -1;

	private boolean loading;

	private long loadToken;

	private boolean exhausted;

	private long remaining;

	private long finishedHere;

	/**
	 * Time the records finished here held a connection slot, from dispatch to outcome.
	 */
	private long busyNanos;

	private boolean dirty = true;

	private boolean cancelled;

	/** The journal cancelled the records that were not out. */
	private boolean cancelSettled;

	RunningBatch(Batch batch, long lastSeq, long remaining, Map<Outcome, Long> counts) {
		this.batch = batch;
		this.seq = new AtomicLong(lastSeq);
		this.remaining = remaining;
		this.counts.putAll(counts);
	}

	long nextSeq() {
		return this.seq.incrementAndGet();
	}

	/** Whether the read-ahead window should be refilled from the journal now. */
	boolean wantsRecords(int lowWater) {
		return !this.loading && !this.exhausted && !this.cancelled && this.buffer.size() <= lowWater;
	}

	/**
	 * Marks a read under way; answers its token, which {@link #loaded} must bring back.
	 */
	long startLoading() {
		this.loading = true;
		return ++this.loadToken;
	}

	/** Index of the last record read ahead, -1 before the first. */
	int lastLoadedIndex() {
		return this.lastLoadedIndex;
	}

	boolean isLoading() {
		return this.loading;
	}

	/**
	 * Records read ahead; ignored when the read was forgotten since
	 * ({@link #loadFailed}).
	 */
	void loaded(Iterable<PendingRecord> records, boolean last, long token) {
		if (token != this.loadToken) {
			return;
		}
		for (PendingRecord record : records) {
			this.buffer.addLast(record);
			this.lastLoadedIndex = Math.max(this.lastLoadedIndex, record.record().index());
		}
		this.loading = false;
		this.exhausted = last;
	}

	/** Forgets the read under way: a later answer to it is ignored. */
	void loadFailed() {
		this.loading = false;
		this.loadToken++;
	}

	PendingRecord poll() {
		return this.cancelled ? null : this.buffer.pollFirst();
	}

	/** A record that went out but came back without an outcome (credentials rejected). */
	void notStarted(BatchRecord record) {
		this.inFlight.remove(record.index());
	}

	void started(BatchRecord record) {
		this.inFlight.put(record.index(), System.nanoTime());
	}

	void finished(BatchRecord record, Outcome outcome, int attempts) {
		Long started = this.inFlight.remove(record.index());
		if (started != null) {
			this.busyNanos += System.nanoTime() - started;
		}
		this.counts.merge(outcome, 1L, Long::sum);
		this.finishedHere++;
		this.remaining--;
		this.dirty = true;
	}

	/** Records not started are being cancelled: nothing more leaves this batch. */
	Set<Integer> cancel() {
		this.cancelled = true;
		this.buffer.clear();
		return Set.copyOf(this.inFlight.keySet());
	}

	void cancelledPending(long count) {
		this.counts.merge(Outcome.CANCELLED, count, Long::sum);
		this.remaining -= count;
		this.cancelSettled = true;
		this.dirty = true;
	}

	/** Where it stands, for the watchdog's log line. */
	String describe() {
		return this.batch.id() + ": " + this.buffer.size() + " read ahead, out " + this.inFlight
				+ (this.loading ? ", reading" : "") + (this.exhausted ? ", all read" : "")
				+ (this.cancelled ? (this.cancelSettled ? ", cancelled" : ", cancelling") : "");
	}

	boolean isCancelled() {
		return this.cancelled;
	}

	/**
	 * Whether nothing of it is left here: derived from what it holds, never from the
	 * running count (a snapshot of the journal taken at start, which a write landing
	 * after it makes wrong). Running: the journal had nothing more to read and nothing
	 * read is left or out (its plan also checks none waits behind a customer). Cancelled:
	 * the journal cancelled what was not out, and nothing is out.
	 */
	boolean isDone() {
		if (this.cancelled) {
			return this.cancelSettled && this.inFlight.isEmpty();
		}
		return this.exhausted && !this.loading && this.buffer.isEmpty() && this.inFlight.isEmpty();
	}

	/**
	 * Its counts per outcome as the journal holds them once it has ended here, or
	 * {@code null} when they may differ. They are the journal's counts at start plus each
	 * outcome ended here: every record counted here was read without an outcome after
	 * that count, and a record has its outcome once, so nothing is counted twice. They
	 * can only miss outcomes that landed after that count (a write of an earlier owner,
	 * or a cancel whose status a crash lost, see BatchJournal#intakeCounts): when they
	 * add up to the batch's total, nothing is missing. A cancel is left out: the journal
	 * cancels records whose outcome ended here and is still on its way (then counted
	 * twice until that outcome lands).
	 */
	Map<Outcome, Long> finalCounts() {
		long counted = this.counts.values().stream().mapToLong(Long::longValue).sum();
		return (!this.cancelled && counted == this.batch.total()) ? Map.copyOf(this.counts) : null;
	}

	boolean hasErrors() {
		return this.counts.getOrDefault(Outcome.FAILED, 0L) + this.counts.getOrDefault(Outcome.REJECTED, 0L) > 0;
	}

	/** Progress since the last call, or {@code null} when nothing changed. */
	Progress takeProgress(BatchEta.Store store, List<BatchEta.Load> others, List<Long> queued) {
		if (!this.dirty) {
			return null;
		}
		this.dirty = false;
		return progress(store, others, queued);
	}

	/** The records left and what one of them costs, from this batch's calls so far. */
	BatchEta.Load load() {
		CallRate.Snapshot calls = this.calls.snapshot();
		if (this.finishedHere == 0) {
			return new BatchEta.Load(this.remaining, BatchEta.Cost.UNKNOWN);
		}
		double stamped = (double) calls.stampedTotal() / this.finishedHere;
		double ipaas = (double) calls.ipaasTotal() / this.finishedHere;
		// A record holds its connection slot from dispatch to outcome: its calls, and the
		// gateway's own work (link look-up and save) between them.
		return new BatchEta.Load(this.remaining,
				new BatchEta.Cost(stamped, ipaas, stamped * calls.stampedSeconds() + ipaas * calls.ipaasSeconds(),
						this.busyNanos / 1e9 / this.finishedHere));
	}

	Progress progress(BatchEta.Store store, List<BatchEta.Load> others, List<Long> queued) {
		long done = this.counts.values().stream().mapToLong(Long::longValue).sum();
		CallRate.Snapshot calls = this.calls.snapshot();
		BatchEta.Estimate estimate = (this.remaining > 0) ? BatchEta.estimate(load(), others, queued, store) : null;
		return new Progress(Map.copyOf(this.counts), done, calls.stampedPerMinute() + calls.ipaasPerMinute(),
				(estimate != null) ? estimate.etaSeconds() : null, calls.stampedPerMinute(), calls.ipaasPerMinute(),
				(estimate != null) ? estimate.limit().tag() : null);
	}

}

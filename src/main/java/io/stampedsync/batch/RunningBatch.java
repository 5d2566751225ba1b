package io.stampedsync.batch;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.EnumMap;
import java.util.HashSet;
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

	private final Deque<BatchRecord> buffer = new ArrayDeque<>();

	private final Set<Integer> inFlight = new HashSet<>();

	private final Map<Outcome, Long> counts = new EnumMap<>(Outcome.class);

	private final AtomicLong seq;

	private final long startedNanos;

	private int lastLoadedIndex = -1;

	private boolean loading;

	private long loadToken;

	private boolean exhausted;

	private long remaining;

	private long calls;

	private boolean dirty = true;

	private boolean cancelled;

	/** The journal cancelled the records that were not out. */
	private boolean cancelSettled;

	RunningBatch(Batch batch, long lastSeq, long remaining, Map<Outcome, Long> counts, long startedNanos) {
		this.batch = batch;
		this.seq = new AtomicLong(lastSeq);
		this.remaining = remaining;
		this.counts.putAll(counts);
		this.startedNanos = startedNanos;
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
	void loaded(Iterable<BatchRecord> records, boolean last, long token) {
		if (token != this.loadToken) {
			return;
		}
		for (BatchRecord record : records) {
			this.buffer.addLast(record);
			this.lastLoadedIndex = Math.max(this.lastLoadedIndex, record.index());
		}
		this.loading = false;
		this.exhausted = last;
	}

	/** Forgets the read under way: a later answer to it is ignored. */
	void loadFailed() {
		this.loading = false;
		this.loadToken++;
	}

	BatchRecord poll() {
		return this.cancelled ? null : this.buffer.pollFirst();
	}

	/** A record that went out but came back without an outcome (credentials rejected). */
	void notStarted(BatchRecord record) {
		this.inFlight.remove(record.index());
	}

	void started(BatchRecord record) {
		this.inFlight.add(record.index());
	}

	void finished(BatchRecord record, Outcome outcome, int attempts) {
		this.inFlight.remove(record.index());
		this.counts.merge(outcome, 1L, Long::sum);
		this.calls += attempts;
		this.remaining--;
		this.dirty = true;
	}

	/** Records not started are being cancelled: nothing more leaves this batch. */
	Set<Integer> cancel() {
		this.cancelled = true;
		this.buffer.clear();
		return Set.copyOf(this.inFlight);
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

	boolean hasErrors() {
		return this.counts.getOrDefault(Outcome.FAILED, 0L) + this.counts.getOrDefault(Outcome.REJECTED, 0L) > 0;
	}

	/** Progress since the last call, or {@code null} when nothing changed. */
	Progress takeProgress(long nowNanos, double permittedCallsPerSecond) {
		if (!this.dirty) {
			return null;
		}
		this.dirty = false;
		return progress(nowNanos, permittedCallsPerSecond);
	}

	Progress progress(long nowNanos, double permittedCallsPerSecond) {
		long done = this.counts.values().stream().mapToLong(Long::longValue).sum();
		double minutes = Math.max(1e-9, (nowNanos - this.startedNanos) / 60e9);
		double callsPerMinute = this.calls / minutes;
		long transferred = done - this.counts.getOrDefault(Outcome.REJECTED, 0L);
		double callsPerRecord = (transferred > 0) ? (double) this.calls / transferred : 1.0;
		double observedPerSecond = callsPerMinute / 60;
		double rate = (observedPerSecond > 0) ? Math.min(observedPerSecond, permittedCallsPerSecond)
				: permittedCallsPerSecond;
		// The running count only feeds the estimate: done-ness never depends on it.
		Long eta = (this.remaining <= 0) ? null
				: (rate > 0) ? Math.round(this.remaining * callsPerRecord / rate) : null;
		return new Progress(Map.copyOf(this.counts), done, Math.round(callsPerMinute * 10) / 10.0, eta);
	}

}

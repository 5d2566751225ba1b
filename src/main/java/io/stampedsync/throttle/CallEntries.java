package io.stampedsync.throttle;

/**
 * The log of a {@link SlidingLogLimiter}: one entry per call, in call order, each the
 * latest time (in nanoseconds) the remote can have received that call, or
 * {@link #UNKNOWN} while the call has not started. Calls are numbered from 0 in the order
 * they were appended; entries too old to matter are dropped from the head. A ring that
 * grows as needed; not thread-safe: the limiter guards it with its own lock.
 */
final class CallEntries {

	/** The entry of a call that has not started: it bounds nothing yet. */
	static final long UNKNOWN = Long.MAX_VALUE;

	/** Entries in call order: {@code entries[head]} is call {@code firstSeq}. */
	private long[] entries = new long[16];

	private int head;

	private int size;

	private long firstSeq;

	/** Logs the next call with {@code bound}; answers its number. */
	long append(long bound) {
		if (this.size == this.entries.length) {
			long[] grown = new long[this.entries.length * 2];
			for (int i = 0; i < this.size; i++) {
				grown[i] = entry(i);
			}
			this.entries = grown;
			this.head = 0;
		}
		this.entries[(this.head + this.size) % this.entries.length] = bound;
		this.size++;
		return this.firstSeq + this.size - 1;
	}

	/** Sets the entry of call {@code seq}, if it is still in the log. */
	void set(long seq, long bound) {
		long index = seq - this.firstSeq;
		if (index >= 0 && index < this.size) {
			this.entries[(int) ((this.head + index) % this.entries.length)] = bound;
		}
	}

	/** Takes back the last {@code count} calls appended. */
	void removeLast(int count) {
		this.size -= count;
	}

	/**
	 * Drops ended entries at the head older than {@code horizon} before {@code now}: they
	 * can no longer hold back any call.
	 */
	void dropOlderThan(long now, long horizon) {
		while (this.size > 0 && this.entries[this.head] != UNKNOWN && now - this.entries[this.head] >= horizon) {
			this.head = (this.head + 1) % this.entries.length;
			this.size--;
			this.firstSeq++;
		}
	}

	/**
	 * The latest ended entry among calls up to {@code lastSeq}, or {@code Long.MIN_VALUE}
	 * when none has ended. The latest, not the one at {@code lastSeq}: a call can reach
	 * the remote after a later one.
	 */
	long latestEndUpTo(long lastSeq) {
		long latest = Long.MIN_VALUE;
		for (long s = this.firstSeq; s <= lastSeq; s++) {
			long entry = entry((int) (s - this.firstSeq));
			if (entry != UNKNOWN) {
				latest = Math.max(latest, entry);
			}
		}
		return latest;
	}

	/** Whether a call up to {@code lastSeq} has not started yet. */
	boolean unknownUpTo(long lastSeq) {
		for (long s = this.firstSeq; s <= lastSeq; s++) {
			if (entry((int) (s - this.firstSeq)) == UNKNOWN) {
				return true;
			}
		}
		return false;
	}

	/** How many entries are later than {@code since} (calls not started included). */
	int countAfter(long since) {
		int counted = 0;
		for (int i = 0; i < this.size; i++) {
			if (entry(i) > since) {
				counted++;
			}
		}
		return counted;
	}

	private long entry(int index) {
		return this.entries[(this.head + index) % this.entries.length];
	}

}

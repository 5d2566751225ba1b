package io.stampedsync.throttle;

import java.util.Arrays;

/**
 * The round trips (start to answer, in nanoseconds) of a lane's last {@link #CAPACITY}
 * answered calls, for the shortest of them and their median. Not thread-safe: the limiter
 * guards it with its own lock.
 */
final class RoundTrips {

	/**
	 * How many round trips are kept: more than the most connections a subscription may
	 * have (64), so that the first call on each of its connections (a cold one, slow to
	 * arrive) never fills the history alone.
	 */
	static final int CAPACITY = 128;

	/**
	 * How many round trips beyond the most calls ever in flight at once the history needs
	 * before its shortest is trusted: enough that one of them went to the remote at once.
	 */
	static final int WARM = 16;

	private final long[] nanos = new long[CAPACITY];

	/** Room to sort a copy of the round trips in, reused. */
	private final long[] sorted = new long[CAPACITY];

	private int next;

	private int count;

	/** Adds the round trip of a call answered just now. */
	void add(long roundTrip) {
		this.nanos[this.next] = Math.max(0, roundTrip);
		this.next = (this.next + 1) % CAPACITY;
		this.count = Math.min(this.count + 1, CAPACITY);
	}

	/** How many round trips are kept (at most {@link #CAPACITY}). */
	int count() {
		return this.count;
	}

	/**
	 * The median of the round trips kept (the upper one of an even count), or
	 * {@code Long.MAX_VALUE} when none is.
	 */
	long median() {
		if (this.count == 0) {
			return Long.MAX_VALUE;
		}
		System.arraycopy(this.nanos, 0, this.sorted, 0, this.count);
		Arrays.sort(this.sorted, 0, this.count);
		return this.sorted[this.count / 2];
	}

	/** The shortest round trip kept, or {@code Long.MAX_VALUE} when none is. */
	long shortest() {
		long shortest = Long.MAX_VALUE;
		for (int i = 0; i < this.count; i++) {
			shortest = Math.min(shortest, this.nanos[i]);
		}
		return shortest;
	}

}

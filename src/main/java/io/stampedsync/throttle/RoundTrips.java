package io.stampedsync.throttle;

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

	/** Room to partition a copy of the round trips in, reused. */
	private final long[] scratch = new long[CAPACITY];

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
		System.arraycopy(this.nanos, 0, this.scratch, 0, this.count);
		return select(this.scratch, this.count, this.count / 2);
	}

	/**
	 * The {@code k}-th smallest of the first {@code n} values of {@code values} (which it
	 * reorders): a selection by partitions, linear on average, where a sort of the 128
	 * round trips on every answer was a few percent of an event loop's time.
	 */
	static long select(long[] values, int n, int k) {
		int low = 0;
		int high = n - 1;
		while (low < high) {
			long pivot = values[(low + high) >>> 1];
			int i = low;
			int j = high;
			while (i <= j) {
				while (values[i] < pivot) {
					i++;
				}
				while (values[j] > pivot) {
					j--;
				}
				if (i <= j) {
					long swapped = values[i];
					values[i++] = values[j];
					values[j--] = swapped;
				}
			}
			// Now low..j hold values ≤ pivot, i..high values ≥ pivot, and any between
			// equal the pivot.
			if (k <= j) {
				high = j;
			}
			else if (k >= i) {
				low = i;
			}
			else {
				return values[k];
			}
		}
		return values[k];
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

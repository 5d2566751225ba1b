package io.stampedsync.pacing;

import java.time.Duration;
import java.util.List;

import io.stampedsync.sandbox.CallRecord;
import io.stampedsync.sandbox.StampedSimulator;

/**
 * Arrival times from a simulator's call log, and the figures the pacing tests hold them
 * to.
 *
 * @param nanos arrival times, in order
 */
record Arrivals(List<Long> nanos) {

	static Arrivals of(StampedSimulator simulator) {
		return new Arrivals(simulator.stats().callLog().stream().map(CallRecord::arrivalNanos).sorted().toList());
	}

	/** The arrivals at or after {@code fromNanos}. */
	Arrivals from(long fromNanos) {
		return new Arrivals(this.nanos.stream().filter((t) -> t >= fromNanos).toList());
	}

	int count() {
		return this.nanos.size();
	}

	/** From the first arrival to the last. */
	Duration span() {
		return Duration.ofNanos(this.nanos.get(this.nanos.size() - 1) - this.nanos.get(0));
	}

	/**
	 * The most arrivals in any window of {@code window}, counted like the simulator's
	 * strict sliding window: {@code t} and {@code u} share a window when
	 * {@code u - t < W}.
	 */
	int maxInWindow(Duration window) {
		long w = window.toNanos();
		int most = 0;
		int first = 0;
		for (int last = 0; last < this.nanos.size(); last++) {
			while (this.nanos.get(last) - this.nanos.get(first) >= w) {
				first++;
			}
			most = Math.max(most, last - first + 1);
		}
		return most;
	}

	/**
	 * Calls made over calls permitted: n arrivals from the first to the last, over the
	 * L·S/W calls that L per W permits in that span S. The sliding-window log lets an
	 * idle lane's first L calls go at once and then a burst every W + d (d the answer
	 * time), so over a few windows the figure lies above W/(W+d), and above 1 when the
	 * span ends just after a burst.
	 */
	double quotaUse(int limit, Duration window) {
		double permitted = limit * (double) span().toNanos() / window.toNanos();
		return count() / permitted;
	}

}

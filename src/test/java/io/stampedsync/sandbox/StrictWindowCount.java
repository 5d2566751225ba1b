package io.stampedsync.sandbox;

import java.time.Duration;
import java.util.List;

/**
 * Counts arrivals the way the Stamped.io simulator does ({@link SlidingWindow}), for
 * tests of the pacing outside the sandbox package.
 */
public final class StrictWindowCount {

	private StrictWindowCount() {
	}

	/**
	 * The most of {@code arrivals} (nano times, in order) that the simulator's strict
	 * sliding window of {@code window} ever holds at once.
	 */
	public static int max(List<Long> arrivals, Duration window) {
		long[] now = new long[1];
		SlidingWindow counted = new SlidingWindow(() -> now[0], window);
		for (long arrival : arrivals) {
			now[0] = arrival;
			counted.record();
		}
		return counted.max();
	}

}

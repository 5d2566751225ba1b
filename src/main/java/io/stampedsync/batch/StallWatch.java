package io.stampedsync.batch;

import java.time.Duration;
import java.util.function.Supplier;

/**
 * The watchdog's memory of one dispatcher: when it last moved (a call made or a record
 * ended), what it was last found waiting for, and when it was last restarted for it. It
 * decides; the dispatcher restarts. Not thread-safe: the dispatcher guards it with its
 * lock ({@link #stalled()} may be read without).
 */
final class StallWatch {

	private final long stallAfterNanos;

	private long lastActivityNanos;

	private long lastRestartNanos;

	/** What it was found waiting for; null while it moves. */
	private volatile String stalled;

	StallWatch(Duration stallAfter, long nowNanos) {
		this.stallAfterNanos = stallAfter.toNanos();
		this.lastActivityNanos = nowNanos;
	}

	/** A record ended: the dispatcher moves. */
	void moved(long nowNanos) {
		this.lastActivityNanos = nowNanos;
		this.stalled = null;
	}

	/**
	 * One look: stalled when not {@code exempt} (no work, paused, cooling down, stopping)
	 * and neither a call nor an outcome since {@code stall-after}. Answers the restart to
	 * make, at most one per {@code stall-after}, or null.
	 * @param lastCallNanos nano time of the subscription's latest outbound call
	 * @param describe what the dispatcher holds, asked only when stalled
	 */
	Restart look(long nowNanos, long lastCallNanos, boolean exempt, Supplier<String> describe) {
		long last = Math.max(this.lastActivityNanos, lastCallNanos);
		if (exempt || nowNanos - last < this.stallAfterNanos) {
			this.stalled = null;
			return null;
		}
		String waitingFor = describe.get();
		boolean first = this.stalled == null;
		this.stalled = waitingFor;
		if (!first && nowNanos - this.lastRestartNanos < this.stallAfterNanos) {
			return null;
		}
		this.lastRestartNanos = nowNanos;
		return new Restart(first ? waitingFor : null);
	}

	/** What the dispatcher was found waiting for while it does not move, or null. */
	String stalled() {
		return this.stalled;
	}

	/**
	 * A restart the watchdog asks for.
	 *
	 * @param firstReport what it waited for, the first time this stall is seen (to log
	 * and count once); null for a stall already reported
	 */
	record Restart(String firstReport) {
	}

}

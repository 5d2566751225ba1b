package io.stampedsync.monitoring;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Records, calls and errors per subscription and minute over the last {@value #MINUTES}
 * minutes, in memory: a ring of one slot per minute per subscription, so memory stays
 * bounded (about 24 KB a subscription) whatever the traffic. Time comes from an injected
 * clock.
 */
final class ThroughputHistory {

	/** 24 hours of minutes. */
	static final int MINUTES = 24 * 60;

	private final Clock clock;

	private final Map<String, Ring> rings = new ConcurrentHashMap<>();

	ThroughputHistory(Clock clock) {
		this.clock = clock;
	}

	/** Adds what ended at {@code at}; older than the kept window, it is ignored. */
	void add(String subscriptionId, Instant at, long records, long calls, long errors) {
		long minute = Math.floorDiv(at.getEpochSecond(), 60);
		if (minute <= currentMinute() - MINUTES) {
			return;
		}
		this.rings.computeIfAbsent(subscriptionId, (id) -> new Ring()).add(minute, records, calls, errors);
	}

	/**
	 * One point per minute, oldest first, the last being the current (still filling)
	 * minute; minutes without work are zero.
	 */
	List<ThroughputPoint> points(String subscriptionId, int minutes) {
		int count = Math.max(1, Math.min(MINUTES, minutes));
		long newest = currentMinute();
		Ring ring = this.rings.get(subscriptionId);
		List<ThroughputPoint> points = new ArrayList<>(count);
		for (long minute = newest - count + 1; minute <= newest; minute++) {
			points.add((ring != null) ? ring.point(minute) : empty(minute));
		}
		return points;
	}

	/**
	 * The minutes of a subscription that changed after {@code version} (oldest first),
	 * and the version they bring it to; {@code null} when nothing changed.
	 */
	Changes changedSince(String subscriptionId, long version) {
		Ring ring = this.rings.get(subscriptionId);
		return (ring != null) ? ring.changedSince(version) : null;
	}

	/** How many changes a subscription's history has seen, 0 for none. */
	long version(String subscriptionId) {
		Ring ring = this.rings.get(subscriptionId);
		return (ring != null) ? ring.version() : 0;
	}

	Set<String> subscriptions() {
		return Set.copyOf(this.rings.keySet());
	}

	/** Forgets subscriptions no longer there. */
	void retain(Set<String> subscriptionIds) {
		this.rings.keySet().retainAll(subscriptionIds);
	}

	private long currentMinute() {
		return Math.floorDiv(this.clock.instant().getEpochSecond(), 60);
	}

	private static ThroughputPoint empty(long minute) {
		return new ThroughputPoint(Instant.ofEpochSecond(minute * 60), 0, 0, 0);
	}

	/**
	 * Minutes that changed.
	 *
	 * @param points their current values, oldest first
	 * @param version the subscription's version now (it grows by one with every change)
	 */
	record Changes(List<ThroughputPoint> points, long version) {
	}

	/** One subscription's minutes. */
	private static final class Ring {

		private final long[] minutes = new long[MINUTES];

		private final long[] records = new long[MINUTES];

		private final long[] calls = new long[MINUTES];

		private final long[] errors = new long[MINUTES];

		/** The ring's version at each slot's last change. */
		private final long[] versions = new long[MINUTES];

		private long version;

		Ring() {
			java.util.Arrays.fill(this.minutes, Long.MIN_VALUE);
		}

		synchronized void add(long minute, long records, long calls, long errors) {
			int slot = (int) Math.floorMod(minute, MINUTES);
			if (this.minutes[slot] != minute) {
				if (this.minutes[slot] > minute) {
					// The slot already holds a newer minute: this one fell out of the
					// window.
					return;
				}
				this.minutes[slot] = minute;
				this.records[slot] = 0;
				this.calls[slot] = 0;
				this.errors[slot] = 0;
			}
			this.records[slot] += records;
			this.calls[slot] += calls;
			this.errors[slot] += errors;
			this.version++;
			this.versions[slot] = this.version;
		}

		synchronized ThroughputPoint point(long minute) {
			int slot = (int) Math.floorMod(minute, MINUTES);
			if (this.minutes[slot] != minute) {
				return empty(minute);
			}
			return new ThroughputPoint(Instant.ofEpochSecond(minute * 60), this.records[slot], this.calls[slot],
					this.errors[slot]);
		}

		synchronized long version() {
			return this.version;
		}

		synchronized Changes changedSince(long since) {
			if (this.version <= since) {
				return null;
			}
			List<ThroughputPoint> changed = new ArrayList<>();
			for (int slot = 0; slot < MINUTES; slot++) {
				if (this.versions[slot] > since) {
					changed.add(new ThroughputPoint(Instant.ofEpochSecond(this.minutes[slot] * 60), this.records[slot],
							this.calls[slot], this.errors[slot]));
				}
			}
			changed.sort(java.util.Comparator.comparing(ThroughputPoint::at));
			return new Changes(changed, this.version);
		}

	}

}

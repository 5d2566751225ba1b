package io.stampedsync.monitoring;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Records, calls and errors per subscription and minute over the last {@value #MINUTES}
 * minutes, in all and per direction of the calls, in memory: a ring of one slot per
 * minute per subscription, so memory stays bounded (about 125 KB a subscription) whatever
 * the traffic. Time comes from an injected clock.
 */
final class ThroughputHistory {

	/** 24 hours of minutes. */
	static final int MINUTES = 24 * 60;

	private final Clock clock;

	private final Map<String, Ring> rings = new ConcurrentHashMap<>();

	ThroughputHistory(Clock clock) {
		this.clock = clock;
	}

	/**
	 * Adds a record that ended at {@code at}; older than the kept window, it is ignored.
	 */
	void add(String subscriptionId, Instant at, Work work) {
		long minute = Math.floorDiv(at.getEpochSecond(), 60);
		if (minute <= currentMinute() - MINUTES) {
			return;
		}
		this.rings.computeIfAbsent(subscriptionId, (id) -> new Ring()).add(minute, work);
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
			points.add((ring != null) ? ring.point(minute) : ThroughputPoint.empty(start(minute)));
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

	private static Instant start(long minute) {
		return Instant.ofEpochSecond(minute * 60);
	}

	/**
	 * What one record did.
	 *
	 * @param stampedCalls its calls to Stamped.io, retries included
	 * @param ipaasCalls its calls to iPaaS.com, retries included
	 * @param error whether it ended {@code failed} or {@code rejected}
	 */
	record Work(long stampedCalls, long ipaasCalls, boolean error) {
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

		private final Lane all = new Lane();

		private final Lane stamped = new Lane();

		private final Lane ipaas = new Lane();

		/** The ring's version at each slot's last change. */
		private final long[] versions = new long[MINUTES];

		private long version;

		Ring() {
			Arrays.fill(this.minutes, Long.MIN_VALUE);
		}

		synchronized void add(long minute, Work work) {
			int slot = (int) Math.floorMod(minute, MINUTES);
			if (this.minutes[slot] != minute) {
				if (this.minutes[slot] > minute) {
					// The slot already holds a newer minute: this one fell out of the
					// window.
					return;
				}
				this.minutes[slot] = minute;
				this.all.clear(slot);
				this.stamped.clear(slot);
				this.ipaas.clear(slot);
			}
			this.all.add(slot, work.stampedCalls() + work.ipaasCalls(), work.error());
			if (work.stampedCalls() > 0) {
				this.stamped.add(slot, work.stampedCalls(), work.error());
			}
			if (work.ipaasCalls() > 0) {
				this.ipaas.add(slot, work.ipaasCalls(), work.error());
			}
			this.version++;
			this.versions[slot] = this.version;
		}

		synchronized ThroughputPoint point(long minute) {
			int slot = (int) Math.floorMod(minute, MINUTES);
			return (this.minutes[slot] != minute) ? ThroughputPoint.empty(start(minute)) : at(slot);
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
					changed.add(at(slot));
				}
			}
			changed.sort(Comparator.comparing(ThroughputPoint::at));
			return new Changes(changed, this.version);
		}

		private ThroughputPoint at(int slot) {
			ThroughputPoint.Counts total = this.all.counts(slot);
			return new ThroughputPoint(start(this.minutes[slot]), total.records(), total.calls(), total.errors(),
					new ThroughputPoint.Directions(this.stamped.counts(slot), this.ipaas.counts(slot)));
		}

	}

	/** Records, calls and errors of one direction (or all) per slot. */
	private static final class Lane {

		private final long[] records = new long[MINUTES];

		private final long[] calls = new long[MINUTES];

		private final long[] errors = new long[MINUTES];

		void clear(int slot) {
			this.records[slot] = 0;
			this.calls[slot] = 0;
			this.errors[slot] = 0;
		}

		void add(int slot, long calls, boolean error) {
			this.records[slot]++;
			this.calls[slot] += calls;
			this.errors[slot] += error ? 1 : 0;
		}

		ThroughputPoint.Counts counts(int slot) {
			return new ThroughputPoint.Counts(this.records[slot], this.calls[slot], this.errors[slot]);
		}

	}

}

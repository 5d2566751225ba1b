package io.stampedsync.monitoring;

import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

import io.stampedsync.outbound.CallObserver;
import io.stampedsync.outbound.Direction;
import io.stampedsync.outbound.OutboundCall;
import reactor.util.context.ContextView;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;

/**
 * Calls per subscription and direction in the current window of W seconds, for the
 * monitoring view ("calls in the window against L"), and in the last minute whatever W.
 * Each lane is a ring of {@value CallWindow#BUCKETS} buckets of
 * W/{@value CallWindow#BUCKETS}: bounded memory whatever L, exact to one bucket. The
 * minute lane has one-second buckets on the same clock as a batch's calls per minute
 * ({@code batch.CallRate}), so the batches of a subscription never count more calls in a
 * minute than the subscription, whatever its W.
 */
@Component
class CallWindows implements CallObserver {

	/** W assumed for a lane until the monitoring view tells the real one. */
	private static final int DEFAULT_WINDOW_SECONDS = 60;

	private final LongSupplier nanoTime;

	private static final Duration MINUTE = Duration.ofSeconds(60);

	private final Map<Lane, CallWindow> lanes = new ConcurrentHashMap<>();

	private final Map<Lane, CallWindow> minutes = new ConcurrentHashMap<>();

	@Autowired
	CallWindows() {
		this(System::nanoTime);
	}

	CallWindows(LongSupplier nanoTime) {
		this.nanoTime = nanoTime;
	}

	@Override
	public void onCall(OutboundCall call, ContextView context) {
		Lane key = new Lane(call.subscriptionId(), call.direction());
		long now = this.nanoTime.getAsLong();
		this.lanes.computeIfAbsent(key, (lane) -> new CallWindow(Duration.ofSeconds(DEFAULT_WINDOW_SECONDS)))
			.record(now);
		this.minutes.computeIfAbsent(key, (lane) -> new CallWindow(MINUTE)).record(now);
	}

	/** Calls in the last minute, whatever the lane's W. */
	long perMinute(String subscriptionId, Direction direction) {
		CallWindow lane = this.minutes.get(new Lane(subscriptionId, direction));
		return (lane != null) ? lane.count(this.nanoTime.getAsLong()) : 0;
	}

	/**
	 * Calls in the last {@code windowSeconds}; a lane kept with another W starts over
	 * with this one (its counts cannot be re-bucketed).
	 */
	long count(String subscriptionId, Direction direction, int windowSeconds) {
		Duration window = Duration.ofSeconds(windowSeconds);
		Lane key = new Lane(subscriptionId, direction);
		CallWindow lane = this.lanes.get(key);
		if (lane == null) {
			return 0;
		}
		if (!lane.window().equals(window)) {
			this.lanes.replace(key, lane, new CallWindow(window));
			return lane.count(this.nanoTime.getAsLong());
		}
		return lane.count(this.nanoTime.getAsLong());
	}

	/** Forgets lanes of subscriptions no longer there. */
	void retain(Set<String> subscriptionIds) {
		this.lanes.keySet().removeIf((lane) -> !subscriptionIds.contains(lane.subscriptionId()));
		this.minutes.keySet().removeIf((lane) -> !subscriptionIds.contains(lane.subscriptionId()));
	}

	private record Lane(String subscriptionId, Direction direction) {
	}

	/** One lane's ring of buckets. */
	static final class CallWindow {

		static final int BUCKETS = 60;

		private final Duration window;

		private final long bucketNanos;

		private final long[] slots = new long[BUCKETS];

		private final long[] counts = new long[BUCKETS];

		CallWindow(Duration window) {
			this.window = window;
			this.bucketNanos = Math.max(1, window.toNanos() / BUCKETS);
			java.util.Arrays.fill(this.slots, Long.MIN_VALUE);
		}

		Duration window() {
			return this.window;
		}

		// Synchronized rather than lock-free: a few instructions under an uncontended
		// monitor, and the counts stay exact.
		synchronized void record(long nanos) {
			long bucket = Math.floorDiv(nanos, this.bucketNanos);
			int slot = (int) Math.floorMod(bucket, BUCKETS);
			if (this.slots[slot] != bucket) {
				this.slots[slot] = bucket;
				this.counts[slot] = 0;
			}
			this.counts[slot]++;
		}

		/** Calls in the buckets of the last window, the current one included. */
		synchronized long count(long nanos) {
			long current = Math.floorDiv(nanos, this.bucketNanos);
			long total = 0;
			for (int i = 0; i < BUCKETS; i++) {
				if (this.slots[i] > current - BUCKETS && this.slots[i] <= current) {
					total += this.counts[i];
				}
			}
			return total;
		}

	}

}

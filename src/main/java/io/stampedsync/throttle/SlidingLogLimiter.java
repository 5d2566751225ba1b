package io.stampedsync.throttle;

import java.time.Duration;
import java.util.Map;
import java.util.function.LongSupplier;

import io.github.resilience4j.ratelimiter.RateLimiter;
import io.github.resilience4j.ratelimiter.RateLimiterConfig;
import io.github.resilience4j.ratelimiter.event.RateLimiterOnDrainedEvent;
import io.github.resilience4j.ratelimiter.event.RateLimiterOnFailureEvent;
import io.github.resilience4j.ratelimiter.event.RateLimiterOnSuccessEvent;
import io.github.resilience4j.ratelimiter.internal.RateLimiterEventProcessor;

/**
 * A Resilience4j {@link RateLimiter} that keeps L calls per W as a sliding-window log
 * (DESIGN.md §2): each permit is handed out no sooner than the permit L places back plus
 * W plus a small margin. An idle lane's first L permits are immediate, and a busy one
 * runs at W/(W+margin) of L/W. Any L+1 consecutive permits span at least W + margin, so
 * no window of W that the store counts with sees more than L calls as long as each call
 * reaches the store within the margin of the next L-th one (the margin absorbs the jitter
 * between a permit and its arrival).
 * <p>
 * Why not {@code AtomicRateLimiter}: its fixed cycles need a permit per W/(L-1) to be
 * safe against a sliding window, which caps use at (L-1)/L (0.95 at L = 20).
 * <p>
 * The log keeps the permit times of the last W + margin (reserved ones lie ahead of now),
 * so L and W can change in place ({@link #change}) and the new L holds at once. A
 * reservation is never refused: callers are bounded by the dispatcher's concurrency, and
 * a timeout would only turn a short wait into a failed record.
 */
public final class SlidingLogLimiter implements RateLimiter {

	private final String name;

	private final LongSupplier nanoTime;

	private final long marginNanos;

	private final RateLimiterEventProcessor events = new RateLimiterEventProcessor();

	private volatile RateLimiterConfig config;

	private int limit;

	private long windowNanos;

	/** The longest window seen: entries younger than it plus the margin are kept. */
	private long horizonNanos;

	/** Permit times in order, as a ring: {@code times[head]} is the oldest kept. */
	private long[] times = new long[16];

	private int head;

	private int size;

	/**
	 * A limiter of L per W.
	 * @param name the name (metrics, events)
	 * @param limit L, at least 1
	 * @param window W, positive
	 * @param margin added to W between a permit and the one L places before it
	 * @param nanoTime the time source
	 */
	public SlidingLogLimiter(String name, int limit, Duration window, Duration margin, LongSupplier nanoTime) {
		if (margin.isNegative()) {
			throw new IllegalArgumentException("margin must not be negative");
		}
		this.name = name;
		this.nanoTime = nanoTime;
		this.marginNanos = margin.toNanos();
		change(limit, window);
	}

	/**
	 * Applies a new L and W; the log is kept, so the new limit holds from the next
	 * permit.
	 */
	public synchronized void change(int limit, Duration window) {
		if (limit < 1 || window.isZero() || window.isNegative()) {
			throw new IllegalArgumentException("limit must be at least 1 and window positive");
		}
		this.limit = limit;
		this.windowNanos = window.toNanos();
		this.horizonNanos = Math.max(this.horizonNanos, this.windowNanos);
		this.config = RateLimiterConfig.custom()
			.limitForPeriod(limit)
			.limitRefreshPeriod(window)
			.timeoutDuration(Duration.ofDays(3650))
			.build();
	}

	/** Whether this limiter already keeps L per W. */
	public synchronized boolean limits(int limit, Duration window) {
		return this.limit == limit && this.windowNanos == window.toNanos();
	}

	/** L. */
	public synchronized int limit() {
		return this.limit;
	}

	/** W. */
	public synchronized Duration window() {
		return Duration.ofNanos(this.windowNanos);
	}

	/** The margin added to W. */
	public Duration margin() {
		return Duration.ofNanos(this.marginNanos);
	}

	/**
	 * Reserves {@code permits} permits, one after the other, and answers the nanoseconds
	 * until the last of them may be used (0: now).
	 */
	@Override
	public long reservePermission(int permits) {
		long wait;
		synchronized (this) {
			long now = this.nanoTime.getAsLong();
			long at = now;
			for (int i = 0; i < permits; i++) {
				at = earliest(now);
				append(at);
			}
			wait = at - now;
		}
		publishSuccess(permits);
		return wait;
	}

	/** Takes the permits only if all of them are free now. */
	@Override
	public boolean acquirePermission(int permits) {
		boolean acquired;
		synchronized (this) {
			long now = this.nanoTime.getAsLong();
			int appended = 0;
			acquired = true;
			for (; appended < permits; appended++) {
				if (earliest(now) > now) {
					acquired = false;
					break;
				}
				append(now);
			}
			if (!acquired) {
				this.size -= appended;
			}
		}
		if (acquired) {
			publishSuccess(permits);
		}
		else if (this.events.hasConsumers()) {
			this.events.consumeEvent(new RateLimiterOnFailureEvent(this.name, permits));
		}
		return acquired;
	}

	/**
	 * Uses up the current window: the next permit comes no sooner than W plus the margin
	 * from now (or from the last reserved permit).
	 */
	@Override
	public void drainPermissions() {
		int drained;
		synchronized (this) {
			long now = this.nanoTime.getAsLong();
			drained = Math.max(0, available(now));
			long at = (this.size > 0) ? Math.max(now, newest()) : now;
			for (int i = 0; i < drained; i++) {
				append(at);
			}
		}
		if (this.events.hasConsumers()) {
			this.events.consumeEvent(new RateLimiterOnDrainedEvent(this.name, drained));
		}
	}

	@Override
	public void changeTimeoutDuration(Duration timeoutDuration) {
		// Reservations are never refused (see the class comment): nothing to change.
	}

	@Override
	public synchronized void changeLimitForPeriod(int limitForPeriod) {
		change(limitForPeriod, window());
	}

	@Override
	public String getName() {
		return this.name;
	}

	@Override
	public RateLimiterConfig getRateLimiterConfig() {
		return this.config;
	}

	@Override
	public Map<String, String> getTags() {
		return Map.of();
	}

	@Override
	public Metrics getMetrics() {
		return new Metrics() {

			@Override
			public int getNumberOfWaitingThreads() {
				return waiting();
			}

			@Override
			public int getAvailablePermissions() {
				return available();
			}

		};
	}

	@Override
	public EventPublisher getEventPublisher() {
		return this.events;
	}

	/** Permits reserved for a time still ahead. */
	synchronized int waiting() {
		long now = this.nanoTime.getAsLong();
		int count = 0;
		for (int i = this.size - 1; i >= 0 && at(i) > now; i--) {
			count++;
		}
		return count;
	}

	/** Permits that could be taken now without waiting (negative when reserved ahead). */
	synchronized int available() {
		return available(this.nanoTime.getAsLong());
	}

	private int available(long now) {
		int recent = 0;
		for (int i = this.size - 1; i >= 0 && now - at(i) < this.windowNanos + this.marginNanos; i--) {
			recent++;
		}
		return this.limit - recent;
	}

	/** The earliest time of the next permit: L places back plus W plus the margin. */
	private long earliest(long now) {
		prune(now);
		long at = now;
		if (this.size > 0) {
			// Permits stay in order, so "L places back" is an index.
			at = Math.max(at, newest());
		}
		if (this.size >= this.limit) {
			at = Math.max(at, at(this.size - this.limit) + this.windowNanos + this.marginNanos);
		}
		return at;
	}

	private void prune(long now) {
		while (this.size > 0 && now - this.times[this.head] >= this.horizonNanos + this.marginNanos) {
			this.head = (this.head + 1) % this.times.length;
			this.size--;
		}
	}

	private long at(int index) {
		return this.times[(this.head + index) % this.times.length];
	}

	private long newest() {
		return at(this.size - 1);
	}

	private void append(long time) {
		if (this.size == this.times.length) {
			long[] grown = new long[this.times.length * 2];
			for (int i = 0; i < this.size; i++) {
				grown[i] = at(i);
			}
			this.times = grown;
			this.head = 0;
		}
		this.times[(this.head + this.size) % this.times.length] = time;
		this.size++;
	}

	private void publishSuccess(int permits) {
		if (this.events.hasConsumers()) {
			this.events.consumeEvent(new RateLimiterOnSuccessEvent(this.name, permits));
		}
	}

}

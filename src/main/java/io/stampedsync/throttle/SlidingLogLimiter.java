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
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;

/**
 * A Resilience4j {@link RateLimiter} that keeps L calls per W as a sliding-window log
 * (DESIGN.md §2). Each call has an entry: the latest time the remote can have received
 * it. A call L places after another goes no sooner than W after that entry, so any L+1
 * calls reach the remote at least W apart and no sliding window of W, however the remote
 * counts it, sees more than L. An idle lane's first L calls go at once.
 * <p>
 * The entry of a call is the arrival of its answer (or of its failure): a hard bound, so
 * no jitter between the permit and the request's arrival (a cold connection, a late
 * timer, a starved event loop) can squeeze a call into a window. A call still in flight
 * bounds nothing yet: the call L places after it waits for its answer. A call abandoned
 * mid-flight counts at its end plus the margin; one abandoned before it was made, at its
 * end. A busy lane thus runs at W/(W+d) of L/W for an answer time d (0.990 at W = 2 s and
 * d = 20 ms).
 * <p>
 * Calls are tracked through {@link #permit()}. The plain {@code RateLimiter} methods
 * (used by code that cannot report the answer) log the permit time plus the margin: the
 * margin then stands for the jitter between a permit and its arrival.
 * <p>
 * Why not {@code AtomicRateLimiter}: its fixed cycles need a permit per W/(L-1) to be
 * safe against a sliding window, which caps use at (L-1)/L (0.95 at L = 20). L and W
 * change in place ({@link #change}) and hold from the next call. A reservation is never
 * refused: callers are bounded by the dispatcher's concurrency.
 */
public final class SlidingLogLimiter implements RateLimiter {

	private final String name;

	private final LongSupplier nanoTime;

	private final long marginNanos;

	private final RateLimiterEventProcessor events = new RateLimiterEventProcessor();

	private volatile RateLimiterConfig config;

	private int limit;

	private long windowNanos;

	/** The longest window seen: older entries can no longer hold back any call. */
	private long horizonNanos;

	private final CallEntries log = new CallEntries();

	/** Permits handed out whose call has not started. */
	private int waiting;

	/** Completes at the next end of a call (then replaced). */
	private Sinks.Empty<Void> ends = Sinks.empty();

	/**
	 * A limiter of L per W.
	 * @param name the name (metrics, events)
	 * @param limit L, at least 1
	 * @param window W, positive
	 * @param margin added to the end of a call abandoned mid-flight, and to a permit
	 * taken without reporting its call
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

	/** Applies a new L and W; the log is kept, so they hold from the next call. */
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

	/** The margin. */
	public Duration margin() {
		return Duration.ofNanos(this.marginNanos);
	}

	/**
	 * A permit for one call whose end will be reported: apply it with
	 * {@code RateLimiterOperator.of(permit)} (it is a {@link RateLimiter} of its own),
	 * then wait for {@link Permit#due()} before calling.
	 */
	public Permit permit() {
		return new Permit();
	}

	/**
	 * Reserves {@code permits} permits, one after the other, logged at their permit time
	 * plus the margin, and answers the nanoseconds until the last may be used.
	 */
	@Override
	public long reservePermission(int permits) {
		long wait = 0;
		synchronized (this) {
			long now = this.nanoTime.getAsLong();
			for (int i = 0; i < permits; i++) {
				long seq = this.log.append(CallEntries.IN_FLIGHT);
				long at = now + Math.max(0, estimate(seq, now));
				this.log.set(seq, at + this.marginNanos);
				wait = at - now;
			}
		}
		publishSuccess(permits);
		return wait;
	}

	/**
	 * Takes the permits, logged like {@link #reservePermission}, only if all are free
	 * now.
	 */
	@Override
	public boolean acquirePermission(int permits) {
		boolean acquired = true;
		synchronized (this) {
			long now = this.nanoTime.getAsLong();
			int appended = 0;
			for (; appended < permits; appended++) {
				long seq = this.log.append(now + this.marginNanos);
				if (estimate(seq, now) > 0) {
					acquired = false;
					appended++;
					break;
				}
			}
			if (!acquired) {
				this.log.removeLast(appended);
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

	/** Uses up the current window: the next L calls wait W from now. */
	@Override
	public void drainPermissions() {
		int drained;
		synchronized (this) {
			long now = this.nanoTime.getAsLong();
			drained = Math.max(0, available(now));
			for (int i = 0; i < this.limit; i++) {
				this.log.append(now);
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
		change(limitForPeriod, Duration.ofNanos(this.windowNanos));
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

	/** Permits handed out whose call has not started. */
	synchronized int waiting() {
		return this.waiting;
	}

	/** Calls that could start now without waiting (negative when more are taken). */
	synchronized int available() {
		return available(this.nanoTime.getAsLong());
	}

	private int available(long now) {
		return this.limit - this.log.countAfter(now - this.windowNanos);
	}

	/**
	 * Nanoseconds until call {@code seq} may go: 0 now, -1 unknown (a call L places
	 * before it, or earlier, is still in flight).
	 */
	private long nanosToWait(long seq, long now) {
		this.log.dropOlderThan(now, this.horizonNanos);
		if (this.log.inFlightUpTo(seq - this.limit)) {
			return -1;
		}
		return waitAfter(this.log.latestEndUpTo(seq - this.limit), now);
	}

	/** Like {@link #nanosToWait} but reading a call in flight as answered now. */
	private long estimate(long seq, long now) {
		this.log.dropOlderThan(now, this.horizonNanos);
		long latest = this.log.latestEndUpTo(seq - this.limit);
		return waitAfter(this.log.inFlightUpTo(seq - this.limit) ? Math.max(latest, now) : latest, now);
	}

	private long waitAfter(long latest, long now) {
		return (latest == Long.MIN_VALUE) ? 0 : Math.max(0, latest + this.windowNanos - now);
	}

	private void publishSuccess(int permits) {
		if (this.events.hasConsumers()) {
			this.events.consumeEvent(new RateLimiterOnSuccessEvent(this.name, permits));
		}
	}

	/**
	 * The permit of one call, as a {@link RateLimiter} for {@code RateLimiterOperator}:
	 * its {@code reservePermission} logs the call (in flight) and answers the estimated
	 * wait, its {@code onResult}/{@code onError} log the answer. Names, config, metrics
	 * and events are those of the lane's limiter.
	 */
	public final class Permit implements RateLimiter {

		private long seq = -1;

		private boolean started;

		private boolean ended;

		private Permit() {
		}

		@Override
		public long reservePermission(int permits) {
			long wait;
			synchronized (SlidingLogLimiter.this) {
				if (this.seq >= 0) {
					throw new IllegalStateException("A call permit is reserved once");
				}
				long now = SlidingLogLimiter.this.nanoTime.getAsLong();
				this.seq = SlidingLogLimiter.this.log.append(CallEntries.IN_FLIGHT);
				SlidingLogLimiter.this.waiting++;
				wait = estimate(this.seq, now);
			}
			publishSuccess(1);
			return wait;
		}

		/**
		 * Nanoseconds until the call may start (0: now, and it counts as started), or -1
		 * while a call it depends on is in flight (ask again after a while).
		 */
		public long nanosToWait() {
			synchronized (SlidingLogLimiter.this) {
				long wait = SlidingLogLimiter.this.nanosToWait(this.seq, SlidingLogLimiter.this.nanoTime.getAsLong());
				if (wait == 0 && !this.started) {
					this.started = true;
					SlidingLogLimiter.this.waiting--;
				}
				return wait;
			}
		}

		/**
		 * One look at whether the call may start: true (and it counts as started) when it
		 * may now; otherwise empty after a pause, when it is worth looking again: the
		 * known wait, or the next end of a call when one it depends on is in flight.
		 */
		public Mono<Boolean> due() {
			return Mono.defer(() -> {
				long wait;
				Mono<Void> nextEnd;
				synchronized (SlidingLogLimiter.this) {
					wait = nanosToWait();
					// Taken under the lock: an end after the look above completes it.
					nextEnd = SlidingLogLimiter.this.ends.asMono();
				}
				if (wait == 0) {
					return Mono.just(Boolean.TRUE);
				}
				Mono<?> pause = (wait > 0) ? Mono.delay(Duration.ofNanos(wait)) : nextEnd;
				return pause.then(Mono.empty());
			});
		}

		/** The call's answer (or failure) has arrived. */
		public void answered() {
			end(0);
		}

		/**
		 * The call was given up: mid-flight its request may still arrive, so it counts
		 * until the margin has passed; before it started it never will.
		 */
		public void abandoned() {
			synchronized (SlidingLogLimiter.this) {
				end(this.started ? SlidingLogLimiter.this.marginNanos : 0);
			}
		}

		private void end(long extra) {
			synchronized (SlidingLogLimiter.this) {
				if (this.ended || this.seq < 0) {
					return;
				}
				this.ended = true;
				if (!this.started) {
					SlidingLogLimiter.this.waiting--;
				}
				SlidingLogLimiter.this.log.set(this.seq, SlidingLogLimiter.this.nanoTime.getAsLong() + extra);
				Sinks.Empty<Void> ended = SlidingLogLimiter.this.ends;
				SlidingLogLimiter.this.ends = Sinks.empty();
				ended.tryEmitEmpty();
			}
		}

		@Override
		public void onResult(Object result) {
			answered();
		}

		@Override
		public void onError(Throwable throwable) {
			answered();
		}

		@Override
		public void onSuccess() {
			answered();
		}

		@Override
		public boolean acquirePermission(int permits) {
			return reservePermission(permits) == 0;
		}

		@Override
		public void drainPermissions() {
			SlidingLogLimiter.this.drainPermissions();
		}

		@Override
		public void changeTimeoutDuration(Duration timeoutDuration) {
		}

		@Override
		public void changeLimitForPeriod(int limitForPeriod) {
			SlidingLogLimiter.this.changeLimitForPeriod(limitForPeriod);
		}

		@Override
		public String getName() {
			return SlidingLogLimiter.this.getName();
		}

		@Override
		public RateLimiterConfig getRateLimiterConfig() {
			return SlidingLogLimiter.this.getRateLimiterConfig();
		}

		@Override
		public Map<String, String> getTags() {
			return SlidingLogLimiter.this.getTags();
		}

		@Override
		public Metrics getMetrics() {
			return SlidingLogLimiter.this.getMetrics();
		}

		@Override
		public EventPublisher getEventPublisher() {
			return SlidingLogLimiter.this.getEventPublisher();
		}

	}

}

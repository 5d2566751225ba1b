package io.stampedsync.throttle;

import java.time.Duration;
import java.util.Map;
import java.util.function.LongSupplier;

import io.github.resilience4j.ratelimiter.RateLimiter;
import io.github.resilience4j.ratelimiter.RateLimiterConfig;
import io.github.resilience4j.ratelimiter.internal.AtomicRateLimiter;

/**
 * One limiter that paces a lane at L calls per W seconds, smoothly: one permit per
 * interval instead of L per window (DESIGN.md §2, PITFALLS 2.1).
 * <p>
 * Resilience4j counts fixed cycles from the limiter's creation and hands out at most
 * {@code limitForPeriod} permits per cycle, reserved ones at the start of their cycle and
 * immediate ones anywhere in it. With one permit per cycle of length P, L+1 permits span
 * L cycle boundaries, and the first may come at the very end of its cycle: they can be as
 * close as (L-1)·P. So P = W/(L-1) is the shortest interval for which no sliding window
 * of W ever sees L+1 calls (at P = W/L a strict window does). For L = 1 no interval is
 * safe (two permits can straddle a boundary), so each call takes two permits of a W/2
 * cycle: never immediate, always at a cycle start, two cycles (W) apart.
 *
 * @param limit L
 * @param windowSeconds W
 * @param limiter the Resilience4j limiter, one permit per cycle
 * @param permitsPerCall permits one call reserves (2 when L = 1, else 1)
 */
record Pacing(int limit, int windowSeconds, RateLimiter limiter, int permitsPerCall) {

	/**
	 * A reservation is never refused: callers are bounded by the dispatcher's flatMap
	 * concurrency, so queues stay short, and a timeout would only turn a short wait into
	 * a failed record (PITFALLS 2.1, "default timeoutDuration is 5 s").
	 */
	private static final Duration NEVER_REFUSE = Duration.ofDays(3650);

	/**
	 * A pacing for L per W.
	 * @param name the limiter's name (for metrics)
	 * @param limit L, at least 1
	 * @param windowSeconds W, at least 1
	 * @param nanoTime the time source
	 * @param drained whether the new limiter starts without its first permit, so that a
	 * replacement does not hand one out right after its predecessor did
	 */
	static Pacing of(String name, int limit, int windowSeconds, LongSupplier nanoTime, boolean drained) {
		int permitsPerCall = (limit == 1) ? 2 : 1;
		Duration interval = interval(limit, windowSeconds);
		RateLimiterConfig config = RateLimiterConfig.custom()
			.limitForPeriod(1)
			.limitRefreshPeriod(interval)
			.timeoutDuration(NEVER_REFUSE)
			.build();
		RateLimiter limiter = new AtomicRateLimiter(name, config, Map.of(), nanoTime::getAsLong);
		if (drained) {
			limiter.drainPermissions();
		}
		return new Pacing(limit, windowSeconds, limiter, permitsPerCall);
	}

	/** The limiter's cycle: W/(L-1) for L > 1, W/2 for L = 1 (rounded up to a nano). */
	static Duration interval(int limit, int windowSeconds) {
		long window = Duration.ofSeconds(windowSeconds).toNanos();
		long divisor = (limit == 1) ? 2 : limit - 1;
		return Duration.ofNanos((window + divisor - 1) / divisor);
	}

	/** The spacing between two calls of a busy lane: W/(L-1), or W when L = 1. */
	static Duration spacing(int limit, int windowSeconds) {
		return interval(limit, windowSeconds).multipliedBy((limit == 1) ? 2 : 1);
	}

	/** Whether this pacing already enforces L per W. */
	boolean paces(int limit, int windowSeconds) {
		return this.limit == limit && this.windowSeconds == windowSeconds;
	}

}

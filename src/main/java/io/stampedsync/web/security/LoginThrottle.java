package io.stampedsync.web.security;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Counts failed authentications (logins, Bearer tokens, webhook keys) per client address
 * in a sliding minute: once an address has failed {@code limit} times within the last
 * minute, its next calls are refused (429) until the oldest failure is a minute old, so
 * tokens and keys cannot be guessed at speed. Applied by {@link FailedAuthentications}.
 */
final class LoginThrottle {

	static final Duration WINDOW = Duration.ofMinutes(1);

	/** Addresses kept before stale ones are swept, to bound memory under a spray. */
	private static final int SWEEP_ABOVE = 10_000;

	private final Map<String, Deque<Instant>> failures = new ConcurrentHashMap<>();

	private final Clock clock;

	private final int limit;

	LoginThrottle(Clock clock, int limit) {
		this.clock = clock;
		this.limit = limit;
	}

	/** Whether {@code address} must wait; how long, or {@link Duration#ZERO}. */
	Duration retryAfter(String address) {
		Deque<Instant> recent = this.failures.get(address);
		if (recent == null) {
			return Duration.ZERO;
		}
		Instant now = this.clock.instant();
		synchronized (recent) {
			prune(recent, now);
			if (recent.size() < this.limit) {
				return Duration.ZERO;
			}
			return Duration.between(now, recent.peekFirst().plus(WINDOW));
		}
	}

	/** Records a failed login from {@code address}. */
	void failed(String address) {
		Instant now = this.clock.instant();
		if (this.failures.size() > SWEEP_ABOVE) {
			this.failures.values().removeIf((recent) -> {
				synchronized (recent) {
					prune(recent, now);
					return recent.isEmpty();
				}
			});
		}
		Deque<Instant> recent = this.failures.computeIfAbsent(address, (key) -> new ArrayDeque<>());
		synchronized (recent) {
			prune(recent, now);
			recent.addLast(now);
			while (recent.size() > this.limit) {
				recent.removeFirst();
			}
		}
	}

	private static void prune(Deque<Instant> recent, Instant now) {
		Instant horizon = now.minus(WINDOW);
		while (!recent.isEmpty() && !recent.peekFirst().isAfter(horizon)) {
			recent.removeFirst();
		}
	}

}

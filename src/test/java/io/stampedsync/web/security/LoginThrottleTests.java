package io.stampedsync.web.security;

import java.time.Duration;
import java.time.Instant;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class LoginThrottleTests {

	final SessionStoreTests.MutableClock clock = new SessionStoreTests.MutableClock(
			Instant.parse("2026-01-01T00:00:00Z"));

	final LoginThrottle throttle = new LoginThrottle(this.clock, 3);

	@Test
	void refusesAnAddressAfterTheLimitOfFailuresWithinAMinute() {
		for (int i = 0; i < 2; i++) {
			this.throttle.failed("10.0.0.1");
			this.clock.advance(Duration.ofSeconds(10));
		}
		assertThat(this.throttle.retryAfter("10.0.0.1")).isZero();
		this.throttle.failed("10.0.0.1");
		// The oldest failure (20 s ago) leaves the window in 40 s.
		assertThat(this.throttle.retryAfter("10.0.0.1")).isEqualTo(Duration.ofSeconds(40));
		assertThat(this.throttle.retryAfter("10.0.0.2")).isZero();
	}

	@Test
	void forgetsFailuresOlderThanAMinute() {
		for (int i = 0; i < 3; i++) {
			this.throttle.failed("10.0.0.1");
		}
		assertThat(this.throttle.retryAfter("10.0.0.1")).isPositive();
		this.clock.advance(Duration.ofMinutes(1));
		assertThat(this.throttle.retryAfter("10.0.0.1")).isZero();
	}

}

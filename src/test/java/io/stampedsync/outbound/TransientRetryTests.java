package io.stampedsync.outbound;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;
import reactor.util.retry.Retry;

import org.springframework.util.unit.DataSize;

import static org.assertj.core.api.Assertions.assertThat;

@Timeout(60)
class TransientRetryTests {

	private static final OutboundProperties PROPERTIES = new OutboundProperties(Duration.ofSeconds(5),
			Duration.ofSeconds(30), 5, Duration.ofMillis(200), Duration.ofSeconds(1), 0.5, Duration.ofSeconds(120),
			Duration.ofSeconds(60), Duration.ofSeconds(30), 1000, Duration.ofSeconds(60), DataSize.ofMegabytes(2),
			Duration.ofSeconds(60));

	@Test
	void retriesTransientFailuresUpToMaxAttemptsAndReportsTheAttempts() {
		AtomicInteger calls = new AtomicInteger();
		Mono<String> call = failing(calls, ErrorCode.STAMPED_UNAVAILABLE, null);
		StepVerifier.withVirtualTime(() -> call.retryWhen(TransientRetry.of(PROPERTIES, () -> 0.5)))
			.thenAwait(Duration.ofMinutes(1))
			.expectErrorSatisfies((error) -> {
				assertThat(error).isInstanceOf(OutboundCallException.class);
				assertThat(((OutboundCallException) error).attempts()).isEqualTo(5);
				assertThat(((OutboundCallException) error).code()).isEqualTo(ErrorCode.STAMPED_UNAVAILABLE);
			})
			.verify();
		assertThat(calls).hasValue(5);
	}

	@Test
	void doesNotRetryPermanentFailures() {
		AtomicInteger calls = new AtomicInteger();
		Mono<String> call = failing(calls, ErrorCode.STAMPED_VALIDATION, null);
		StepVerifier.create(call.retryWhen(TransientRetry.of(PROPERTIES)))
			.expectErrorSatisfies((error) -> assertThat(((OutboundCallException) error).attempts()).isEqualTo(1))
			.verify();
		assertThat(calls).hasValue(1);
	}

	@Test
	void passesOtherErrorsThroughUnretried() {
		AtomicInteger calls = new AtomicInteger();
		Mono<String> call = Mono.defer(() -> {
			calls.incrementAndGet();
			return Mono.error(new IllegalArgumentException("not ours"));
		});
		StepVerifier.create(call.retryWhen(TransientRetry.of(PROPERTIES)))
			.expectError(IllegalArgumentException.class)
			.verify();
		assertThat(calls).hasValue(1);
	}

	@Test
	void waitsTheRetryAfterTheServerAskedFor() {
		AtomicInteger calls = new AtomicInteger();
		Mono<String> call = Mono.defer(() -> (calls.incrementAndGet() == 1)
				? Mono.error(failure(ErrorCode.STAMPED_RATE_LIMITED, Duration.ofSeconds(7))) : Mono.just("ok"));
		StepVerifier.withVirtualTime(() -> call.retryWhen(TransientRetry.of(PROPERTIES)))
			.expectSubscription()
			.expectNoEvent(Duration.ofMillis(6999))
			.thenAwait(Duration.ofMillis(1))
			.expectNext("ok")
			.verifyComplete();
	}

	@Test
	void capsTheRetryAfterAtMaxRetryAfter() {
		Retry retry = TransientRetry.of(PROPERTIES);
		AtomicInteger calls = new AtomicInteger();
		Mono<String> call = Mono.defer(() -> (calls.incrementAndGet() == 1)
				? Mono.error(failure(ErrorCode.STAMPED_RATE_LIMITED, Duration.ofHours(1))) : Mono.just("ok"));
		// An hour asked, 120 s waited: not less (a cap of 0 would retry at once), not
		// more.
		StepVerifier.withVirtualTime(() -> call.retryWhen(retry))
			.expectSubscription()
			.expectNoEvent(Duration.ofSeconds(120).minusMillis(1))
			.thenAwait(Duration.ofMillis(1))
			.expectNext("ok")
			.verifyComplete();
		assertThat(calls).hasValue(2);
	}

	@Test
	void backoffDoublesWithinJitterAndStopsAtMaxBackoff() {
		for (double random : new double[] { 0.0, 0.5, 0.999 }) {
			TransientRetry delays = TransientRetry.delays(PROPERTIES, () -> random);
			for (int attempt = 1; attempt <= 8; attempt++) {
				long base = Math.min(1000, 200L << (attempt - 1));
				Duration delay = delays.backoff(attempt);
				assertThat(delay.toMillis()).as("attempt %d random %s", attempt, random)
					.isBetween(Math.max(200, base / 2), Math.min(1000, base + base / 2));
			}
		}
		assertThat(TransientRetry.delays(PROPERTIES, () -> 0.0).backoff(1)).isEqualTo(Duration.ofMillis(200));
		assertThat(TransientRetry.delays(PROPERTIES, () -> 0.0).backoff(3)).isEqualTo(Duration.ofMillis(400));
		assertThat(TransientRetry.delays(PROPERTIES, () -> 0.999).backoff(30)).isBetween(Duration.ofMillis(500),
				Duration.ofSeconds(1));
	}

	private static Mono<String> failing(AtomicInteger calls, ErrorCode code, Duration retryAfter) {
		return Mono.defer(() -> {
			calls.incrementAndGet();
			return Mono.error(failure(code, retryAfter));
		});
	}

	private static OutboundCallException failure(ErrorCode code, Duration retryAfter) {
		return new OutboundCallException(code, 500, "Customer create or update failed: HTTP 500", retryAfter, null);
	}

}

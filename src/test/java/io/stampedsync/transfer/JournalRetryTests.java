package io.stampedsync.transfer;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

import org.apache.commons.logging.LogFactory;
import org.junit.jupiter.api.Test;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;
import reactor.util.retry.Retry;

import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.DataIntegrityViolationException;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link JournalRetry#retried} makes the attempts {@code retryWhen} makes, and builds the
 * retry only once an access has failed.
 */
class JournalRetryTests {

	private final Retry forever = JournalRetry.forever(LogFactory.getLog(JournalRetryTests.class), "Test access");

	private final AtomicInteger accesses = new AtomicInteger();

	@Test
	void anAccessThatSucceedsAtOnceNeverBuildsTheRetry() {
		CountingRetry retry = new CountingRetry(this.forever);
		StepVerifier.create(JournalRetry.retried(access(0), retry)).expectNext("saved").verifyComplete();
		assertThat(this.accesses).hasValue(1);
		assertThat(retry.companions).hasValue(0);
	}

	@Test
	void aTransientFailureIsWaitedOutWithTheBackoffOfRetryWhen() {
		CountingRetry retry = new CountingRetry(this.forever);
		// Backoff doubling from 100 ms, jitter up to half of it but never under 100 ms:
		// three waits of at least 100 + 100 + 200 ms and at most 150 + 300 + 600 ms.
		StepVerifier.withVirtualTime(() -> JournalRetry.retried(access(3), retry))
			.expectSubscription()
			.expectNoEvent(Duration.ofMillis(399))
			.thenAwait(Duration.ofMillis(1200))
			.expectNext("saved")
			.verifyComplete();
		assertThat(this.accesses).hasValue(4);
		assertThat(retry.companions).hasValue(1);
	}

	@Test
	void aFailureAnotherAttemptCannotCureEndsAtOnceAsItself() {
		DataIntegrityViolationException refused = new DataIntegrityViolationException("never fits");
		Mono<String> access = Mono.defer(() -> {
			this.accesses.incrementAndGet();
			return Mono.error(refused);
		});
		StepVerifier.create(JournalRetry.retried(access, this.forever))
			.expectErrorMatches((ex) -> ex == refused)
			.verify();
		assertThat(this.accesses).hasValue(1);
	}

	/** Fails {@code failures} times (as a journal restarting), then succeeds. */
	private Mono<String> access(int failures) {
		return Mono.defer(() -> (this.accesses.incrementAndGet() <= failures)
				? Mono.error(new DataAccessResourceFailureException("journal restarting")) : Mono.just("saved"));
	}

	/** A retry that counts the companions built. */
	private static final class CountingRetry extends Retry {

		private final Retry delegate;

		private final AtomicInteger companions = new AtomicInteger();

		CountingRetry(Retry delegate) {
			this.delegate = delegate;
		}

		@Override
		public Publisher<?> generateCompanion(Flux<RetrySignal> signals) {
			this.companions.incrementAndGet();
			return this.delegate.generateCompanion(signals);
		}

	}

}

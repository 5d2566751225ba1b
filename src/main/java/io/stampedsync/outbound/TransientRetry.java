package io.stampedsync.outbound;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.DoubleSupplier;

import org.reactivestreams.Publisher;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.util.retry.Retry;

/**
 * The retry of every outbound call: only {@link OutboundCallException}s whose code is
 * transient (429, 5xx, timeouts, resets), at most {@code maxAttempts} attempts,
 * exponential backoff with jitter capped at {@code maxBackoff}, and the server's
 * Retry-After (capped) as the delay when it sent one. Apply it outside the permit
 * ({@code attempt.transform(permit).retryWhen(spec)}) so that every attempt takes one.
 * <p>
 * Reactor's {@code Retry.backoff} is not used: it retries every error, 4xx included, and
 * has no per-error delay for Retry-After (PITFALLS 2.4). The failure that ends the
 * retries is the last attempt's own, with {@link OutboundCallException#attempts()} set.
 * <p>
 * The clients do not use it through {@code retryWhen}: that subscribes a companion (a
 * sink and its operators) on every call, and nearly every call succeeds at once.
 * {@link HttpAttempts} asks {@link #after} only once an attempt has failed.
 */
public final class TransientRetry extends Retry {

	private final OutboundProperties properties;

	private final DoubleSupplier random;

	private TransientRetry(OutboundProperties properties, DoubleSupplier random) {
		this.properties = properties;
		this.random = random;
	}

	/** The retry for these settings. */
	public static TransientRetry of(OutboundProperties properties) {
		return of(properties, () -> ThreadLocalRandom.current().nextDouble());
	}

	/** The retry with a chosen random source in [0, 1) (for tests). */
	static TransientRetry of(OutboundProperties properties, DoubleSupplier random) {
		return new TransientRetry(properties, random);
	}

	/** The delays of these settings with a chosen random source (for tests). */
	static TransientRetry delays(OutboundProperties properties, DoubleSupplier random) {
		return new TransientRetry(properties, random);
	}

	@Override
	public Publisher<?> generateCompanion(Flux<RetrySignal> signals) {
		return signals.concatMap(
				(signal) -> after(signal.failure(), (int) Math.min(Integer.MAX_VALUE - 1, signal.totalRetries() + 1))
					.thenReturn(signal.totalRetries()));
	}

	/**
	 * What follows the failure of attempt {@code attemptsMade}: the wait before the next
	 * attempt (it completes empty), or the failure that ends the call.
	 * @param failure how the attempt failed
	 * @param attemptsMade attempts made so far, the failed one included
	 * @return the wait, or the final failure
	 */
	public Mono<Void> after(Throwable failure, int attemptsMade) {
		if (!(failure instanceof OutboundCallException outbound)) {
			return Mono.error(failure);
		}
		if (!outbound.isTransient() || attemptsMade >= this.properties.maxAttempts()) {
			return Mono.error(outbound.withAttempts(attemptsMade));
		}
		return Mono.delay(delayAfter(outbound, attemptsMade)).then();
	}

	/** The delay before attempt {@code attemptsMade + 1}. */
	Duration delayAfter(OutboundCallException failure, int attemptsMade) {
		Duration retryAfter = failure.retryAfter();
		if (retryAfter != null) {
			return min(retryAfter, this.properties.maxRetryAfter());
		}
		return backoff(attemptsMade);
	}

	/**
	 * {@code minBackoff · 2^(n-1)} with a random offset of ±jitter around it, kept within
	 * [minBackoff, maxBackoff], as Reactor's RetryBackoffSpec does.
	 */
	Duration backoff(int attemptsMade) {
		long min = this.properties.minBackoff().toNanos();
		long max = Math.max(min, this.properties.maxBackoff().toNanos());
		int shift = Math.min(attemptsMade - 1, 62);
		long base = (min > (max >> shift)) ? max : Math.min(max, min << shift);
		long offset = (long) (base * this.properties.jitter());
		long low = Math.max(min - base, -offset);
		long high = Math.min(max - base, offset);
		long jitter = (high > low) ? low + (long) (this.random.getAsDouble() * (high - low)) : 0;
		return Duration.ofNanos(base + jitter);
	}

	private static Duration min(Duration a, Duration b) {
		return (a.compareTo(b) <= 0) ? a : b;
	}

}

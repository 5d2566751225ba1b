package io.stampedsync.throttle;

import java.util.concurrent.atomic.AtomicBoolean;

import io.github.resilience4j.ratelimiter.RateLimiter;
import io.github.resilience4j.reactor.ratelimiter.operator.RateLimiterOperator;
import reactor.core.publisher.BaseSubscriber;
import reactor.core.publisher.Mono;
import reactor.core.publisher.MonoSink;
import reactor.util.context.Context;

/**
 * Applies a limiter through Resilience4j's {@link RateLimiterOperator}, guarded against
 * its one gap: when the permit lies ahead, the operator waits with a detached
 * {@code Mono.delay} and hands its subscriber a subscription only after the wait, so a
 * caller cancelled meanwhile cannot reach it and the operator would still subscribe to
 * the call (PITFALLS 2.1). Here the caller gets a subscription at once; cancelling it
 * marks the wait as abandoned, and the call, deferred behind that mark, is then never
 * made. The permit the abandoned wait reserved stays used (the limiter has no way to give
 * it back), which only ever errs on the safe side.
 */
final class PermitGuard {

	private PermitGuard() {
	}

	/** {@code call} once {@code limiter} gives a permit, unless cancelled before. */
	static <T> Mono<T> limit(Mono<T> call, RateLimiter limiter) {
		return limit(call, limiter, () -> {
		});
	}

	/**
	 * {@code call} once {@code permit} is given, unless cancelled before; a cancellation
	 * (before or during the call) is told to the permit.
	 */
	static <T> Mono<T> limit(Mono<T> call, SlidingLogLimiter.Permit permit) {
		return limit(call, permit, permit::abandoned);
	}

	private static <T> Mono<T> limit(Mono<T> call, RateLimiter limiter, Runnable onCancel) {
		return Mono.create((sink) -> {
			AtomicBoolean cancelled = new AtomicBoolean();
			Relay<T> relay = new Relay<>(sink);
			sink.onCancel(() -> {
				cancelled.set(true);
				relay.dispose();
				onCancel.run();
			});
			Mono.defer(() -> cancelled.get() ? Mono.<T>empty() : call)
				.transformDeferred(RateLimiterOperator.of(limiter))
				.subscribe(relay);
		});
	}

	/**
	 * Passes the outcome to the caller's sink. A {@link BaseSubscriber} rather than a
	 * lambda subscriber: it may be disposed before the operator has handed it a
	 * subscription (the lambda one throws there).
	 */
	private static final class Relay<T> extends BaseSubscriber<T> {

		private final MonoSink<T> sink;

		Relay(MonoSink<T> sink) {
			this.sink = sink;
		}

		@Override
		public Context currentContext() {
			return Context.of(this.sink.contextView());
		}

		@Override
		protected void hookOnNext(T value) {
			this.sink.success(value);
		}

		@Override
		protected void hookOnComplete() {
			this.sink.success();
		}

		@Override
		protected void hookOnError(Throwable error) {
			this.sink.error(error);
		}

	}

}

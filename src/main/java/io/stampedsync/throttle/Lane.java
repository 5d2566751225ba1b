package io.stampedsync.throttle;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.reactor.ratelimiter.operator.RateLimiterOperator;
import io.stampedsync.outbound.Direction;
import io.stampedsync.outbound.ErrorCode;
import io.stampedsync.outbound.OutboundCallException;
import io.stampedsync.subscription.SubscriptionSettings;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Signal;
import reactor.core.publisher.SignalType;

/**
 * The throttle state of one subscription in one direction: its limiter (a sliding-window
 * log), its cool-down and its credentials breaker.
 */
final class Lane {

	private final String subscriptionId;

	private final Direction direction;

	private final String name;

	private final Clock clock;

	private final LongSupplier nanoTime;

	private final ThrottleProperties pacing;

	private final AtomicReference<SlidingLogLimiter> limiter = new AtomicReference<>();

	private final AtomicReference<Instant> coolDownUntil = new AtomicReference<>(Instant.MIN);

	/**
	 * Forced open while the credentials are rejected. A circuit breaker rather than a
	 * flag so that its state and not-permitted calls show up with the other Resilience4j
	 * metrics.
	 */
	private final CircuitBreaker credentials;

	Lane(String subscriptionId, Direction direction, Clock clock, LongSupplier nanoTime, ThrottleProperties pacing) {
		this.subscriptionId = subscriptionId;
		this.direction = direction;
		this.name = subscriptionId + "-" + direction.tag();
		this.clock = clock;
		this.nanoTime = nanoTime;
		this.pacing = pacing;
		this.credentials = CircuitBreaker.ofDefaults(this.name + "-credentials");
	}

	/**
	 * Subscribes to {@code call} when the caller may call: credentials not rejected (when
	 * checked), no cool-down, and a permit of the lane's limiter taken through
	 * Resilience4j's {@link RateLimiterOperator} ({@link PermitGuard} keeps a cancelled
	 * caller from calling).
	 * @param settings the latest settings of the subscription, read again after each wait
	 * @param checkCredentials whether rejected credentials fail the caller
	 * @param call the call, subscribed once the permit is taken
	 */
	<T> Mono<T> permitted(Supplier<SubscriptionSettings> settings, boolean checkCredentials, Mono<T> call) {
		return Mono.defer(() -> {
			if (checkCredentials && rejected()) {
				return Mono.error(rejectedFailure());
			}
			// Compared before any Duration is made: without a cool-down the end is
			// Instant.MIN, whose distance from now overflows a Duration's nanoseconds,
			// and Duration.between handles that by throwing and catching an
			// ArithmeticException. That was every call's cost: compiled by C2, it
			// deoptimized at each call (thousands of deoptimizations per second in a
			// flight recording of the cost benchmark).
			Instant now = this.clock.instant();
			Instant until = coolDownUntil();
			if (until.isAfter(now)) {
				return Mono.delay(Duration.between(now, until)).then(permitted(settings, checkCredentials, call));
			}
			SubscriptionSettings current = settings.get();
			SlidingLogLimiter.Permit permit = limiter(limit(current, this.direction), window(current, this.direction))
				.permit();
			// A 401/403 (or a failed verify) during the wait for the permit stops the
			// call,
			// and a 429 during it starts a cool-down that this caller must wait out too
			// (with a new permit after it).
			Mono<T> afterPermit = Mono.defer(() -> {
				if (checkCredentials && rejected()) {
					permit.abandoned();
					return Mono.error(rejectedFailure());
				}
				if (coolDownUntil().isAfter(this.clock.instant())) {
					permit.abandoned();
					return permitted(settings, checkCredentials, call);
				}
				return whenDue(permit, call);
			});
			return PermitGuard.limit(afterPermit, permit);
		});
	}

	/**
	 * Calls once the permit is due by what is known now: the operator waited for the
	 * estimate, which read the calls not yet started as starting at once; a later start
	 * postpones this one. The call's end is logged: its answer as its first signal
	 * arrives, before anything downstream runs (a later mark would only hold the next
	 * calls back), or its abandonment. A failure that came without an answer (refused,
	 * reset, timed out) is logged as an abandonment too: nothing came back, so its
	 * request may reach the remote as late as the failure or later, and the round-trip
	 * credit, which dates an answered call's arrival before its answer, would not hold.
	 */
	private <T> Mono<T> whenDue(SlidingLogLimiter.Permit permit, Mono<T> call) {
		Mono<T> logged = call.doOnEach((signal) -> ended(permit, signal)).doFinally((signal) -> {
			if (signal == SignalType.CANCEL) {
				permit.abandoned();
			}
		});
		return Mono.defer(() -> {
			// Due at once, as every call below the limit is: called without the wait's
			// loop, whose assembly (a repeat with its companion and counter) was about a
			// quarter of the permit's CPU time on the path from one call's answer to the
			// connection's next call.
			if (permit.nanosToWait() == 0) {
				return logged;
			}
			// repeatWhenEmpty rather than recursion: a wait may take many looks.
			return permit.due().repeatWhenEmpty(Integer.MAX_VALUE, (looks) -> looks).then(logged);
		});
	}

	private static void ended(SlidingLogLimiter.Permit permit, Signal<?> signal) {
		if (signal.isOnError() && !answered(signal.getThrowable())) {
			permit.abandoned();
		}
		else {
			permit.answered();
		}
	}

	/**
	 * Whether a failed call had an answer: every failure but a classified one without an
	 * HTTP status (a 404 for a customer id is an answer too).
	 */
	private static boolean answered(Throwable failure) {
		return !(failure instanceof OutboundCallException outbound) || outbound.httpStatus() != 0;
	}

	/**
	 * The limiter for L per W: created on first use, changed in place when L or W changed
	 * (its log is kept, so a new L holds from the next permit).
	 */
	SlidingLogLimiter limiter(int limit, int windowSeconds) {
		SlidingLogLimiter current = this.limiter.get();
		Duration window = Duration.ofSeconds(windowSeconds);
		if (current == null) {
			this.limiter.compareAndSet(null,
					new SlidingLogLimiter(this.name, limit, window, this.pacing, this.nanoTime));
			current = this.limiter.get();
		}
		if (!current.limits(limit, window)) {
			current.change(limit, window);
		}
		return current;
	}

	/** The limiter if one was created. */
	SlidingLogLimiter limiter() {
		return this.limiter.get();
	}

	Instant coolDownUntil() {
		return this.coolDownUntil.get();
	}

	/**
	 * Extends the cool-down to {@code until} (never shortens it). The limiter is not
	 * drained: every caller waits until the cool-down ends anyway, and draining would add
	 * a whole W after a short Retry-After.
	 */
	void coolDown(Instant until) {
		this.coolDownUntil.accumulateAndGet(until, (a, b) -> a.isAfter(b) ? a : b);
	}

	boolean rejected() {
		return this.credentials.getState() == CircuitBreaker.State.FORCED_OPEN;
	}

	/**
	 * Opens the breaker if {@code current} says the rejected credentials are still the
	 * current ones; true when the breaker is open afterwards because of them.
	 */
	synchronized boolean reject(BooleanSupplier current) {
		if (!current.getAsBoolean()) {
			return false;
		}
		if (!rejected()) {
			this.credentials.transitionToForcedOpenState();
		}
		return true;
	}

	/** Closes the breaker; true when it was open. */
	synchronized boolean accept() {
		if (!rejected()) {
			return false;
		}
		this.credentials.transitionToClosedState();
		return true;
	}

	private OutboundCallException rejectedFailure() {
		boolean stamped = this.direction == Direction.STAMPED;
		String message = (stamped ? "Stamped.io" : "iPaaS.com") + " rejected the credentials of subscription "
				+ this.subscriptionId + "; calls are paused until its settings change or verify succeeds"
				+ (stamped ? " (check API Public Key, API Private Key and API Store Hash)" : "");
		return new OutboundCallException(stamped ? ErrorCode.STAMPED_AUTH : ErrorCode.IPAAS_AUTH, 0, message, null,
				null);
	}

	/** L of a direction. */
	static int limit(SubscriptionSettings settings, Direction direction) {
		return (direction == Direction.STAMPED) ? settings.apiThrottleLimit() : settings.ipaasThrottleLimit();
	}

	/** W of a direction, in seconds. */
	static int window(SubscriptionSettings settings, Direction direction) {
		return (direction == Direction.STAMPED) ? settings.apiThrottleSeconds() : settings.ipaasThrottleSeconds();
	}

}

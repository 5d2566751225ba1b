package io.stampedsync.throttle;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.stampedsync.outbound.Direction;
import io.stampedsync.outbound.ErrorCode;
import io.stampedsync.outbound.OutboundCallException;
import io.stampedsync.subscription.SubscriptionSettings;
import reactor.core.publisher.Mono;

/**
 * The throttle state of one subscription in one direction: its pacing, its cool-down and
 * its credentials breaker.
 */
final class Lane {

	private final String subscriptionId;

	private final Direction direction;

	private final String name;

	private final Clock clock;

	private final LongSupplier nanoTime;

	private final AtomicReference<Pacing> pacing = new AtomicReference<>();

	private final AtomicReference<Instant> coolDownUntil = new AtomicReference<>(Instant.MIN);

	/** Nano time of the latest permit handed out (a reserved one lies in the future). */
	private final AtomicLong lastPermitNanos = new AtomicLong(Long.MIN_VALUE);

	/**
	 * Forced open while the credentials are rejected. A circuit breaker rather than a
	 * flag so that its state and not-permitted calls show up with the other Resilience4j
	 * metrics.
	 */
	private final CircuitBreaker credentials;

	Lane(String subscriptionId, Direction direction, Clock clock, LongSupplier nanoTime) {
		this.subscriptionId = subscriptionId;
		this.direction = direction;
		this.name = subscriptionId + "-" + direction.tag();
		this.clock = clock;
		this.nanoTime = nanoTime;
		this.credentials = CircuitBreaker.ofDefaults(this.name + "-credentials");
	}

	/**
	 * Completes when the caller may call: credentials not rejected (when checked), no
	 * cool-down, and a permit taken. Waits with Mono.delay, so a cancelled caller neither
	 * waits on nor calls (unlike RateLimiterOperator, whose delayed subscription cannot
	 * be cancelled, PITFALLS 2.1).
	 * @param settings the latest settings of the subscription, read again after each wait
	 * @param checkCredentials whether rejected credentials fail the caller
	 */
	Mono<Void> turn(Supplier<SubscriptionSettings> settings, boolean checkCredentials) {
		return Mono.defer(() -> {
			if (checkCredentials && rejected()) {
				return Mono.error(rejectedFailure());
			}
			Duration coolDown = Duration.between(this.clock.instant(), coolDownUntil());
			if (coolDown.compareTo(Duration.ZERO) > 0) {
				return Mono.delay(coolDown).then(turn(settings, checkCredentials));
			}
			SubscriptionSettings current = settings.get();
			Pacing pacing = pacing(limit(current, this.direction), window(current, this.direction));
			long now = this.nanoTime.getAsLong();
			long reserved = pacing.limiter().reservePermission(pacing.permitsPerCall());
			if (reserved < 0) {
				return Mono.error(new IllegalStateException("Permit refused by " + this.name));
			}
			long wait = permitted(now + reserved, Pacing.spacing(pacing.limit(), pacing.windowSeconds()).toNanos())
					- now;
			if (wait <= 0) {
				return Mono.empty();
			}
			// A 429 during the wait starts a cool-down that this reserved permit must
			// respect too, and a 401/403 (or a failed verify) during the wait stops it.
			return Mono.delay(Duration.ofNanos(wait)).then(Mono.defer(() -> {
				if (checkCredentials && rejected()) {
					return Mono.error(rejectedFailure());
				}
				return coolDownUntil().isAfter(this.clock.instant()) ? turn(settings, checkCredentials) : Mono.empty();
			}));
		});
	}

	/**
	 * The pacing for L per W: created on first use, replaced when L or W changed.
	 */
	Pacing pacing(int limit, int windowSeconds) {
		Pacing current = this.pacing.get();
		if (current != null && current.paces(limit, windowSeconds)) {
			return current;
		}
		if (current == null) {
			this.pacing.compareAndSet(null, Pacing.of(this.name, limit, windowSeconds, this.nanoTime, false));
		}
		repace(limit, windowSeconds);
		return this.pacing.get();
	}

	/** The pacing if one was created. */
	Pacing pacing() {
		return this.pacing.get();
	}

	/**
	 * New limits: swaps in a new limiter (the refresh period of a Resilience4j limiter
	 * cannot change, PITFALLS 2.1). The new one starts drained, and its first permit,
	 * like every permit, fires no sooner than one new spacing after the last permit of
	 * the old one ({@link #permitted}), so the change never squeezes in an extra call.
	 */
	void repace(int limit, int windowSeconds) {
		this.pacing.updateAndGet((old) -> (old == null || old.paces(limit, windowSeconds)) ? old
				: Pacing.of(this.name, limit, windowSeconds, this.nanoTime, true));
	}

	/**
	 * A permit was reserved for {@code nanos}: answers when it may fire, at least one
	 * spacing after the permit before it. The limiter alone lets an immediate permit at
	 * the very end of an idle cycle be followed by the next cycle's permit a moment
	 * later: safe on paper (L+1 permits still span W), but with no room at all for the
	 * jitter between a permit and the request's arrival. With one full spacing between
	 * any two permits, L+1 of them span W plus a spacing.
	 */
	private long permitted(long nanos, long spacingNanos) {
		return this.lastPermitNanos
			.updateAndGet((last) -> (last == Long.MIN_VALUE) ? nanos : Math.max(nanos, last + spacingNanos));
	}

	Instant coolDownUntil() {
		return this.coolDownUntil.get();
	}

	/**
	 * Extends the cool-down to {@code until} (never shortens it) and drains the limiter.
	 */
	void coolDown(Instant until) {
		this.coolDownUntil.accumulateAndGet(until, (a, b) -> a.isAfter(b) ? a : b);
		Pacing current = this.pacing.get();
		if (current != null) {
			current.limiter().drainPermissions();
		}
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

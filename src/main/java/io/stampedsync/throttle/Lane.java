package io.stampedsync.throttle;

import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.LongSupplier;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.stampedsync.outbound.Direction;

/**
 * The throttle state of one subscription in one direction: its pacing, its cool-down and
 * its credentials breaker.
 */
final class Lane {

	private final String name;

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

	Lane(String subscriptionId, Direction direction, LongSupplier nanoTime) {
		this.name = subscriptionId + "-" + direction.tag();
		this.nanoTime = nanoTime;
		this.credentials = CircuitBreaker.ofDefaults(this.name + "-credentials");
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
			this.pacing.compareAndSet(null,
					Pacing.of(this.name, limit, windowSeconds, this.nanoTime, Long.MIN_VALUE, false));
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
	 * cannot change, PITFALLS 2.1). The new one starts drained and not before one
	 * interval after the last permit of the old one, so the change never squeezes in an
	 * extra call.
	 */
	void repace(int limit, int windowSeconds) {
		this.pacing.updateAndGet((old) -> {
			if (old == null || old.paces(limit, windowSeconds)) {
				return old;
			}
			long last = this.lastPermitNanos.get();
			long notBefore = (last == Long.MIN_VALUE) ? Long.MIN_VALUE
					: last + Pacing.interval(limit, windowSeconds).toNanos();
			return Pacing.of(this.name, limit, windowSeconds, this.nanoTime, notBefore, true);
		});
	}

	/** A permit was handed out that fires at {@code nanos}. */
	void permitted(long nanos) {
		this.lastPermitNanos.accumulateAndGet(nanos, Math::max);
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

	synchronized void reject() {
		if (!rejected()) {
			this.credentials.transitionToForcedOpenState();
		}
	}

	/** Closes the breaker; true when it was open. */
	synchronized boolean accept() {
		if (!rejected()) {
			return false;
		}
		this.credentials.transitionToClosedState();
		return true;
	}

	CircuitBreaker credentials() {
		return this.credentials;
	}

}

package io.stampedsync.throttle;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

import io.github.resilience4j.reactor.ratelimiter.operator.RateLimiterOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import reactor.core.Disposable;
import reactor.core.publisher.BaseSubscriber;
import reactor.core.publisher.Mono;
import reactor.test.scheduler.VirtualTimeScheduler;

import static org.assertj.core.api.Assertions.assertThat;

/** The limiter through Resilience4j's RateLimiterOperator, on virtual time. */
class PermitGuardTests {

	private VirtualTimeScheduler time;

	private SlidingLogLimiter limiter;

	@BeforeEach
	void setUp() {
		this.time = VirtualTimeScheduler.getOrSet();
		// A lag of 20 ms (0.2 % of W): a plain permit counts until its time plus that.
		this.limiter = new SlidingLogLimiter("lane", 1, Duration.ofSeconds(10), Duration.ofMillis(20), 0.002,
				() -> this.time.now(TimeUnit.NANOSECONDS));
		this.limiter.reservePermission();
	}

	@AfterEach
	void tearDown() {
		VirtualTimeScheduler.reset();
	}

	@Test
	void shouldNotCallWhenTheCallerWasCancelledWhileWaitingForItsPermit() {
		AtomicBoolean called = new AtomicBoolean();
		Disposable waiting = PermitGuard.limit(subscribed(called), this.limiter).subscribe();
		this.time.advanceTimeBy(Duration.ofSeconds(1));
		waiting.dispose();
		this.time.advanceTimeBy(Duration.ofSeconds(60));
		assertThat(called).isFalse();
	}

	@Test
	void shouldNeedTheGuardBecauseTheBareOperatorSubscribesToTheCallForACancelledCaller() {
		// Documents the gap the guard closes: if this starts failing, the operator has
		// learnt to honour cancellation and PermitGuard can go. (A lambda subscriber
		// cannot even be disposed here: it has no subscription yet and throws.)
		AtomicBoolean called = new AtomicBoolean();
		BaseSubscriber<Object> waiting = new BaseSubscriber<>() {
		};
		subscribed(called).transformDeferred(RateLimiterOperator.of(this.limiter)).subscribe(waiting);
		this.time.advanceTimeBy(Duration.ofSeconds(1));
		waiting.dispose();
		this.time.advanceTimeBy(Duration.ofSeconds(60));
		assertThat(called).isTrue();
	}

	/** A call that counts as made once subscribed (an HTTP exchange starts there). */
	private static Mono<Object> subscribed(AtomicBoolean called) {
		return Mono.defer(() -> {
			called.set(true);
			return Mono.empty();
		});
	}

	@Test
	void shouldCallWhenThePermitComesWithTheCallersContext() {
		AtomicReference<Object> result = new AtomicReference<>();
		PermitGuard.limit(Mono.deferContextual((context) -> Mono.just(context.get("trace"))), this.limiter)
			.contextWrite((context) -> context.put("trace", "t-1"))
			.subscribe(result::set);
		this.time.advanceTimeBy(Duration.ofMillis(10_019));
		assertThat(result.get()).isNull();
		this.time.advanceTimeBy(Duration.ofMillis(1));
		assertThat(result.get()).isEqualTo("t-1");
	}

	@Test
	void shouldPassTheCallsErrorAndEmptiness() {
		AtomicReference<Object> result = new AtomicReference<>();
		this.time.advanceTimeBy(Duration.ofSeconds(11));
		PermitGuard.limit(Mono.error(new IllegalStateException("boom")), this.limiter)
			.subscribe(result::set, result::set);
		assertThat(result.get()).isInstanceOf(IllegalStateException.class);
		this.time.advanceTimeBy(Duration.ofSeconds(11));
		AtomicBoolean completed = new AtomicBoolean();
		PermitGuard.limit(Mono.empty(), this.limiter).subscribe(null, null, () -> completed.set(true));
		assertThat(completed).isTrue();
	}

}

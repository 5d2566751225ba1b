package io.stampedsync.throttle;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.PriorityQueue;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import io.github.resilience4j.ratelimiter.event.RateLimiterEvent;
import io.stampedsync.sandbox.StrictWindowCount;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The sliding-window log on an explicit clock: a busy lane at C = 2 and 20 ms latency,
 * its permits counted the way the strict simulator counts arrivals.
 */
class SlidingLogLimiterTests {

	private static final Duration MARGIN = ThrottleProperties.DEFAULT_MARGIN;

	private final AtomicLong now = new AtomicLong();

	@ParameterizedTest
	@CsvSource({ "20, 2, 0.99", "30, 3, 0.99", "500, 60, 0.998" })
	void shouldUseTheQuotaByConstructionWithoutAWindowOverTheLimit(int limit, int windowSeconds, double least) {
		Duration window = Duration.ofSeconds(windowSeconds);
		SlidingLogLimiter limiter = new SlidingLogLimiter("lane", limit, window, MARGIN, this.now::get);
		long horizon = window.plus(MARGIN).multipliedBy(10).toNanos() + 7_777_777;

		List<Long> permits = busyLane(limiter, 2, Duration.ofMillis(20), horizon);

		double use = permits.size() * (double) window.toNanos() / (limit * (double) horizon);
		assertThat(use).isGreaterThanOrEqualTo(least)
			.isGreaterThanOrEqualTo(window.toNanos() / (double) window.plus(MARGIN).toNanos());
		assertThat(StrictWindowCount.max(permits, window)).isEqualTo(limit);
		assertThat(permits.subList(0, 2)).as("an idle lane's first calls leave at once").containsOnly(0L);
	}

	@ParameterizedTest
	@CsvSource({ "20, 2", "30, 3", "500, 60", "1, 1" })
	void shouldKeepEveryWindowAtTheLimitWhenArrivalsLagTheirPermitsByUpToTheMargin(int limit, int windowSeconds) {
		Duration window = Duration.ofSeconds(windowSeconds);
		SlidingLogLimiter limiter = new SlidingLogLimiter("lane", limit, window, MARGIN, this.now::get);
		List<Long> permits = busyLane(limiter, 8, Duration.ofMillis(5), window.multipliedBy(12).toNanos());
		Random random = new Random(limit);
		List<Long> arrivals = new ArrayList<>();
		for (long permit : permits) {
			arrivals.add(permit + (long) (random.nextDouble() * MARGIN.toNanos()));
		}
		Collections.sort(arrivals);
		List<Long> late = new ArrayList<>(permits);
		// The worst case: every L-th call arrives a whole margin late, the others at
		// once.
		for (int i = 0; i < late.size(); i += limit + 1) {
			late.set(i, late.get(i) + MARGIN.toNanos());
		}
		Collections.sort(late);

		assertThat(StrictWindowCount.max(arrivals, window)).isLessThanOrEqualTo(limit);
		assertThat(StrictWindowCount.max(late, window)).isLessThanOrEqualTo(limit);
	}

	@Test
	void shouldGiveAnIdleLaneItsFirstLimitPermitsAtOnceAndTheNextOneWindowPlusMarginLater() {
		SlidingLogLimiter limiter = new SlidingLogLimiter("lane", 20, Duration.ofSeconds(2), MARGIN, this.now::get);
		this.now.set(5_000_000_000L);
		for (int i = 0; i < 20; i++) {
			assertThat(limiter.reservePermission()).as("permit %d", i).isZero();
		}
		assertThat(limiter.reservePermission()).isEqualTo(Duration.ofMillis(2020).toNanos());
		assertThat(limiter.getMetrics().getAvailablePermissions()).isEqualTo(-1);
		assertThat(limiter.getMetrics().getNumberOfWaitingThreads()).isEqualTo(1);
		this.now.addAndGet(Duration.ofMillis(2020).toNanos());
		assertThat(limiter.getMetrics().getNumberOfWaitingThreads()).isZero();
		assertThat(limiter.getMetrics().getAvailablePermissions()).as("the first 20 have left the window")
			.isEqualTo(19);
	}

	@Test
	void shouldAcquireAllOrNothing() {
		SlidingLogLimiter limiter = new SlidingLogLimiter("lane", 2, Duration.ofSeconds(1), MARGIN, this.now::get);
		assertThat(limiter.acquirePermission()).isTrue();
		assertThat(limiter.acquirePermission(2)).isFalse();
		assertThat(limiter.getMetrics().getAvailablePermissions()).isEqualTo(1);
		assertThat(limiter.acquirePermission()).isTrue();
		assertThat(limiter.acquirePermission()).isFalse();
	}

	@Test
	void shouldForgetPermitsOlderThanTheWindowPlusMargin() {
		SlidingLogLimiter limiter = new SlidingLogLimiter("lane", 3, Duration.ofSeconds(1), MARGIN, this.now::get);
		for (int round = 0; round < 1000; round++) {
			for (int i = 0; i < 3; i++) {
				assertThat(limiter.reservePermission()).isZero();
			}
			this.now.addAndGet(Duration.ofMillis(1020).toNanos());
		}
		assertThat(limiter.getMetrics().getAvailablePermissions()).isEqualTo(3);
	}

	@Test
	void shouldApplyANewLimitFromTheNextPermit() {
		SlidingLogLimiter limiter = new SlidingLogLimiter("lane", 10, Duration.ofSeconds(1), MARGIN, this.now::get);
		for (int i = 0; i < 6; i++) {
			limiter.reservePermission();
		}
		limiter.change(4, Duration.ofSeconds(2));
		assertThat(limiter.reservePermission()).isEqualTo(Duration.ofMillis(2020).toNanos());
		assertThat(limiter.getRateLimiterConfig().getLimitForPeriod()).isEqualTo(4);
		limiter.changeLimitForPeriod(20);
		assertThat(limiter.reservePermission()).as("stays behind the reserved one").isEqualTo(2020_000_000L);
		assertThat(limiter.limits(20, Duration.ofSeconds(2))).isTrue();
	}

	@Test
	void shouldPublishResilience4jEvents() {
		SlidingLogLimiter limiter = new SlidingLogLimiter("acme-stamped", 1, Duration.ofSeconds(1), MARGIN,
				this.now::get);
		List<RateLimiterEvent.Type> events = new ArrayList<>();
		AtomicInteger permits = new AtomicInteger();
		limiter.getEventPublisher().onEvent((event) -> {
			events.add(event.getEventType());
			permits.addAndGet(event.getNumberOfPermits());
		});
		limiter.acquirePermission();
		limiter.acquirePermission();
		limiter.drainPermissions();
		assertThat(events).containsExactly(RateLimiterEvent.Type.SUCCESSFUL_ACQUIRE,
				RateLimiterEvent.Type.FAILED_ACQUIRE, RateLimiterEvent.Type.DRAINED);
		assertThat(limiter.getName()).isEqualTo("acme-stamped");
	}

	/**
	 * Callers that each hold one of {@code connections} and take the next permit as soon
	 * as their call (of {@code latency}) has answered; returns the permit times before
	 * {@code horizonNanos}, in order.
	 */
	private List<Long> busyLane(SlidingLogLimiter limiter, int connections, Duration latency, long horizonNanos) {
		PriorityQueue<Long> free = new PriorityQueue<>();
		for (int i = 0; i < connections; i++) {
			free.add(0L);
		}
		List<Long> permits = new ArrayList<>();
		while (true) {
			long at = free.poll();
			this.now.set(at);
			long permit = at + limiter.reservePermission();
			if (permit >= horizonNanos) {
				break;
			}
			permits.add(permit);
			free.add(permit + latency.toNanos());
		}
		Collections.sort(permits);
		return permits;
	}

}

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
 * The sliding-window log on an explicit clock: busy lanes simulated event by event (C
 * connections, answer time d), their calls counted the way the strict simulator counts
 * arrivals.
 */
class SlidingLogLimiterTests {

	private static final Duration MARGIN = ThrottleProperties.DEFAULT_MARGIN;

	private static final Duration D = Duration.ofMillis(20);

	private final AtomicLong now = new AtomicLong();

	@ParameterizedTest
	@CsvSource({ "20, 2, 0.99", "30, 3, 0.99", "500, 60, 0.998" })
	void shouldUseTheQuotaByConstructionWithoutAWindowOverTheLimit(int limit, int windowSeconds, double least) {
		Duration window = Duration.ofSeconds(windowSeconds);
		SlidingLogLimiter limiter = new SlidingLogLimiter("lane", limit, window, MARGIN, this.now::get);
		long horizon = window.plus(D).multipliedBy(10).toNanos() + 7_777_777;

		Lane lane = busyLane(limiter, 2, D, horizon, new Random(limit), 0);

		double use = lane.calls.size() * (double) window.toNanos() / (limit * (double) horizon);
		assertThat(use).isGreaterThanOrEqualTo(least)
			.isGreaterThanOrEqualTo(window.toNanos() / (double) window.plus(D).toNanos());
		assertThat(StrictWindowCount.max(lane.calls, window)).isEqualTo(limit);
		assertThat(lane.calls.subList(0, 2)).as("an idle lane's first calls go at once").containsOnly(0L);
	}

	@ParameterizedTest
	@CsvSource({ "20, 2, 2", "30, 3, 2", "500, 60, 8", "1, 1, 2", "3, 1, 8" })
	void shouldKeepEveryWindowAtTheLimitWhereverBetweenCallAndAnswerTheRequestArrives(int limit, int windowSeconds,
			int connections) {
		Duration window = Duration.ofSeconds(windowSeconds);
		SlidingLogLimiter limiter = new SlidingLogLimiter("lane", limit, window, MARGIN, this.now::get);
		// Answer times from 1 to 300 ms: some calls overtake others.
		Lane lane = busyLane(limiter, connections, Duration.ofMillis(300), window.multipliedBy(12).toNanos(),
				new Random(limit), 1);
		assertThat(lane.calls.size()).isGreaterThan(limit * 10);

		Random random = new Random(windowSeconds);
		List<Long> anywhere = new ArrayList<>();
		List<Long> atTheAnswer = new ArrayList<>();
		List<Long> mixed = new ArrayList<>();
		for (int i = 0; i < lane.calls.size(); i++) {
			long call = lane.calls.get(i);
			long answer = lane.answers.get(i);
			anywhere.add(call + (long) (random.nextDouble() * (answer - call)));
			atTheAnswer.add(answer);
			mixed.add((i % (limit + 1) == 0) ? answer : call);
		}

		assertThat(StrictWindowCount.max(sorted(anywhere), window)).isLessThanOrEqualTo(limit);
		assertThat(StrictWindowCount.max(sorted(atTheAnswer), window)).isLessThanOrEqualTo(limit);
		assertThat(StrictWindowCount.max(sorted(mixed), window)).isLessThanOrEqualTo(limit);
		assertThat(StrictWindowCount.max(sorted(new ArrayList<>(lane.calls)), window)).isLessThanOrEqualTo(limit);
	}

	@Test
	void shouldHoldTheCallLPlacesAfterACallInFlightUntilItsAnswerPlusTheWindow() {
		SlidingLogLimiter limiter = new SlidingLogLimiter("lane", 2, Duration.ofSeconds(1), MARGIN, this.now::get);
		SlidingLogLimiter.Permit first = started(limiter);
		SlidingLogLimiter.Permit second = started(limiter);
		SlidingLogLimiter.Permit third = limiter.permit();

		assertThat(third.reservePermission(1)).as("estimated as if the first answered now")
			.isEqualTo(Duration.ofSeconds(1).toNanos());
		this.now.set(Duration.ofSeconds(1).toNanos());
		assertThat(third.nanosToWait()).as("the first is still in flight").isEqualTo(-1);
		this.now.set(Duration.ofMillis(1500).toNanos());
		first.answered();
		second.answered();
		assertThat(third.nanosToWait()).isEqualTo(Duration.ofSeconds(1).toNanos());
		this.now.set(Duration.ofMillis(2500).toNanos());
		assertThat(third.nanosToWait()).isZero();
		assertThat(limiter.getMetrics().getNumberOfWaitingThreads()).isZero();
	}

	@Test
	void shouldCountACallAbandonedMidFlightUntilTheMarginHasPassed() {
		SlidingLogLimiter limiter = new SlidingLogLimiter("lane", 1, Duration.ofSeconds(1), MARGIN, this.now::get);
		SlidingLogLimiter.Permit given = started(limiter);
		SlidingLogLimiter.Permit never = limiter.permit();
		this.now.set(Duration.ofMillis(300).toNanos());
		given.abandoned();
		assertThat(never.reservePermission(1)).isEqualTo(Duration.ofMillis(1100).toNanos());
		assertThat(limiter.getMetrics().getNumberOfWaitingThreads()).isEqualTo(1);
		never.abandoned();
		assertThat(limiter.getMetrics().getNumberOfWaitingThreads()).isZero();

		SlidingLogLimiter other = new SlidingLogLimiter("other", 1, Duration.ofSeconds(1), MARGIN, this.now::get);
		SlidingLogLimiter.Permit unused = other.permit();
		unused.reservePermission(1);
		unused.abandoned();
		assertThat(other.permit().reservePermission(1)).as("a call never made counts at its end, without margin")
			.isEqualTo(Duration.ofMillis(1000).toNanos());
	}

	@Test
	void shouldGiveAnIdleLaneItsFirstLimitPermitsAtOnceThroughThePlainInterface() {
		SlidingLogLimiter limiter = new SlidingLogLimiter("lane", 20, Duration.ofSeconds(2), MARGIN, this.now::get);
		this.now.set(5_000_000_000L);
		for (int i = 0; i < 20; i++) {
			assertThat(limiter.reservePermission()).as("permit %d", i).isZero();
		}
		assertThat(limiter.reservePermission()).as("plain permits count their time plus the margin")
			.isEqualTo(Duration.ofSeconds(2).plus(MARGIN).toNanos());
		assertThat(limiter.getMetrics().getAvailablePermissions()).isEqualTo(-1);
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
	void shouldForgetCallsThatCanNoLongerHoldAnyBack() {
		SlidingLogLimiter limiter = new SlidingLogLimiter("lane", 3, Duration.ofSeconds(1), MARGIN, this.now::get);
		for (int round = 0; round < 1000; round++) {
			for (int i = 0; i < 3; i++) {
				SlidingLogLimiter.Permit permit = limiter.permit();
				assertThat(permit.reservePermission(1)).isZero();
				assertThat(permit.nanosToWait()).isZero();
				permit.answered();
			}
			this.now.addAndGet(Duration.ofSeconds(1).toNanos());
		}
		assertThat(limiter.getMetrics().getAvailablePermissions()).isEqualTo(3);
	}

	@Test
	void shouldApplyANewLimitFromTheNextCall() {
		SlidingLogLimiter limiter = new SlidingLogLimiter("lane", 10, Duration.ofSeconds(1), MARGIN, this.now::get);
		for (int i = 0; i < 6; i++) {
			started(limiter).answered();
		}
		limiter.change(4, Duration.ofSeconds(2));
		assertThat(limiter.permit().reservePermission(1)).isEqualTo(Duration.ofSeconds(2).toNanos());
		assertThat(limiter.getRateLimiterConfig().getLimitForPeriod()).isEqualTo(4);
		assertThat(limiter.limits(4, Duration.ofSeconds(2))).isTrue();
	}

	@Test
	void shouldPublishResilience4jEventsUnderTheLanesName() {
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
		limiter.permit().reservePermission(1);
		assertThat(events).containsExactly(RateLimiterEvent.Type.SUCCESSFUL_ACQUIRE,
				RateLimiterEvent.Type.FAILED_ACQUIRE, RateLimiterEvent.Type.DRAINED,
				RateLimiterEvent.Type.SUCCESSFUL_ACQUIRE);
		assertThat(limiter.permit().getName()).isEqualTo("acme-stamped");
	}

	private SlidingLogLimiter.Permit started(SlidingLogLimiter limiter) {
		SlidingLogLimiter.Permit permit = limiter.permit();
		assertThat(permit.reservePermission(1)).isZero();
		assertThat(permit.nanosToWait()).isZero();
		return permit;
	}

	private static List<Long> sorted(List<Long> times) {
		Collections.sort(times);
		return times;
	}

	/**
	 * Callers that each hold one of {@code connections}: take a permit, wait for it (the
	 * operator's estimate, then until due), call, and take the next one once the answer
	 * has come, {@code latency} later (or a random time from {@code least} to it, in ms,
	 * when {@code least} is positive). Ends at {@code horizonNanos}.
	 */
	private Lane busyLane(SlidingLogLimiter limiter, int connections, Duration latency, long horizonNanos,
			Random random, int least) {
		PriorityQueue<Step> steps = new PriorityQueue<>();
		long order = 0;
		for (int i = 0; i < connections; i++) {
			steps.add(new Step(0, order++, null, false));
		}
		Lane lane = new Lane();
		while (!steps.isEmpty()) {
			Step step = steps.poll();
			if (step.at >= horizonNanos) {
				break;
			}
			this.now.set(step.at);
			if (step.answer) {
				step.permit.answered();
				steps.add(new Step(step.at, order++, null, false));
				continue;
			}
			SlidingLogLimiter.Permit permit = step.permit;
			if (permit == null) {
				permit = limiter.permit();
				steps.add(new Step(step.at + permit.reservePermission(1), order++, permit, false));
				continue;
			}
			long wait = permit.nanosToWait();
			if (wait != 0) {
				steps.add(new Step(step.at + ((wait > 0) ? wait : 5_000_000), order++, permit, false));
				continue;
			}
			long took = (least > 0) ? Duration.ofMillis(least + random.nextInt((int) latency.toMillis())).toNanos()
					: latency.toNanos();
			lane.calls.add(step.at);
			lane.answers.add(step.at + took);
			steps.add(new Step(step.at + took, order++, permit, true));
		}
		return lane;
	}

	/** Calls in the order they were made, and the arrival of each one's answer. */
	private static final class Lane {

		final List<Long> calls = new ArrayList<>();

		final List<Long> answers = new ArrayList<>();

	}

	/** One step of the simulation: answers before other steps of the same instant. */
	private record Step(long at, long order, SlidingLogLimiter.Permit permit,
			boolean answer) implements Comparable<Step> {

		@Override
		public int compareTo(Step other) {
			if (this.at != other.at) {
				return Long.compare(this.at, other.at);
			}
			if (this.answer != other.answer) {
				return this.answer ? -1 : 1;
			}
			return Long.compare(this.order, other.order);
		}

	}

}

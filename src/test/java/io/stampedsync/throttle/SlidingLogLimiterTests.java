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

	/** The arrival lag of most tests here: 0.5 % of W. */
	private static final double LAG = 0.005;

	private final AtomicLong now = new AtomicLong();

	@ParameterizedTest
	@CsvSource({ "20, 2, 0.99", "30, 3, 0.99", "500, 60, 0.998" })
	void shouldUseTheQuotaByConstructionWithoutAWindowOverTheLimit(int limit, int windowSeconds, double least) {
		Duration window = Duration.ofSeconds(windowSeconds);
		SlidingLogLimiter limiter = new SlidingLogLimiter("lane", limit, window, MARGIN, LAG, this.now::get);
		long horizon = window.plus(D).multipliedBy(10).toNanos() + 7_777_777;

		Lane lane = busyLane(limiter, 2, D, horizon, new Random(limit), 0);

		assertThat(steadyUse(lane.calls, limit, window)).isGreaterThanOrEqualTo(least)
			.isGreaterThanOrEqualTo(window.toNanos() / (double) window.plus(D).toNanos());
		assertThat(StrictWindowCount.max(lane.calls, window)).isEqualTo(limit);
		assertThat(lane.calls.subList(0, 2)).as("an idle lane's first calls go at once").containsOnly(0L);
	}

	@ParameterizedTest
	@CsvSource({ "20, 2, 200", "30, 3, 20", "500, 60, 300", "20, 2, 2000" })
	void shouldLoseAtMostTheLagPerWindowWhateverTheAnswerTime(int limit, int windowSeconds, int answerMillis) {
		Duration window = Duration.ofSeconds(windowSeconds);
		SlidingLogLimiter limiter = new SlidingLogLimiter("lane", limit, window, MARGIN, LAG, this.now::get);
		long horizon = window.multipliedBy(12).toNanos();

		Lane lane = busyLane(limiter, limit, Duration.ofMillis(answerMillis), horizon, new Random(limit), 0);

		double period = window.plus(limiter.lag()).toNanos();
		assertThat(steadyUse(lane.calls, limit, window)).isGreaterThanOrEqualTo(window.toNanos() / period - 1e-9)
			.isGreaterThanOrEqualTo(1 - LAG - 1e-9);
		assertThat(StrictWindowCount.max(lane.calls, window)).isEqualTo(limit);
	}

	@ParameterizedTest
	@CsvSource({ "20, 2, 2", "30, 3, 2", "500, 60, 8", "1, 1, 2", "3, 1, 8" })
	void shouldKeepEveryWindowAtTheLimitWhereverARequestArrivesWithinTheLagOrBeforeItsAnswer(int limit,
			int windowSeconds, int connections) {
		Duration window = Duration.ofSeconds(windowSeconds);
		SlidingLogLimiter limiter = new SlidingLogLimiter("lane", limit, window, MARGIN, LAG, this.now::get);
		long lag = limiter.lag().toNanos();
		// Answer times from 1 to 300 ms: some calls overtake others, most answer after
		// the
		// lag, some before it.
		Lane lane = busyLane(limiter, connections, Duration.ofMillis(300), window.multipliedBy(12).toNanos(),
				new Random(limit), 1);
		assertThat(lane.calls.size()).isGreaterThan(limit * 10);

		assertEveryWindowAtMostTheLimit(lane, limit, window, lag);
	}

	@ParameterizedTest
	@CsvSource({ "20, 2, 2", "30, 3, 2", "500, 60, 8", "1, 1, 2", "3, 1, 8" })
	void shouldKeepEveryWindowAtTheLimitWhereverBetweenCallAndAnswerTheRequestArrivesWithTheAnswerAsTheBound(int limit,
			int windowSeconds, int connections) {
		Duration window = Duration.ofSeconds(windowSeconds);
		SlidingLogLimiter limiter = new SlidingLogLimiter("lane", limit, window, MARGIN, 1.0, this.now::get);
		Lane lane = busyLane(limiter, connections, Duration.ofMillis(300), window.multipliedBy(12).toNanos(),
				new Random(limit), 1);
		assertThat(lane.calls.size()).isGreaterThan(limit * 5);

		assertEveryWindowAtMostTheLimit(lane, limit, window, Long.MAX_VALUE);
	}

	/**
	 * Arrivals anywhere from a call's start to its answer or its start plus
	 * {@code lagNanos}, whichever is sooner: at random, all at the bound, all at the
	 * start, and mixed.
	 */
	private static void assertEveryWindowAtMostTheLimit(Lane lane, int limit, Duration window, long lagNanos) {
		Random random = new Random(limit);
		List<Long> anywhere = new ArrayList<>();
		List<Long> atTheBound = new ArrayList<>();
		List<Long> mixed = new ArrayList<>();
		for (int i = 0; i < lane.calls.size(); i++) {
			long call = lane.calls.get(i);
			long bound = Math.min(lane.answers.get(i), (lagNanos == Long.MAX_VALUE) ? Long.MAX_VALUE : call + lagNanos);
			anywhere.add(call + (long) (random.nextDouble() * (bound - call)));
			atTheBound.add(bound);
			mixed.add((i % (limit + 1) == 0) ? bound : call);
		}
		assertThat(StrictWindowCount.max(sorted(anywhere), window)).isLessThanOrEqualTo(limit);
		assertThat(StrictWindowCount.max(sorted(atTheBound), window)).isLessThanOrEqualTo(limit);
		assertThat(StrictWindowCount.max(sorted(mixed), window)).isLessThanOrEqualTo(limit);
		assertThat(StrictWindowCount.max(sorted(new ArrayList<>(lane.calls)), window)).isLessThanOrEqualTo(limit);
	}

	@ParameterizedTest
	@CsvSource({ "20, 2, 0.99", "30, 3, 0.99", "500, 60, 0.998" })
	void shouldUseTheQuotaWithTheRoundTripCreditWithoutAWindowOverTheLimit(int limit, int windowSeconds, double least) {
		Duration window = Duration.ofSeconds(windowSeconds);
		SlidingLogLimiter limiter = new SlidingLogLimiter("lane", limit, window, ThrottleProperties.defaults(),
				this.now::get);

		// The bench's store: 20 ms of latency; up to 2 ms on the way there, 1 to 4 ms
		// more on the way back; a connection's first request 30 ms later still.
		Trips lane = trips(limiter, 2, window.multipliedBy(10).toNanos() + 7_777_777, new Random(limit),
				(random, cold) -> new long[] { millis(random, 0, 2) + (cold ? millis(30) : 0),
						millis(21) + millis(random, 0, 3) });

		assertThat(steadyUse(lane.arrivals, limit, window)).isGreaterThanOrEqualTo(least)
			.as("more than the answer as the bound gives")
			.isGreaterThan(window.toNanos() / (double) window.plus(D).toNanos());
		assertThat(StrictWindowCount.max(sorted(new ArrayList<>(lane.arrivals)), window)).isEqualTo(limit);
		assertThat(lane.starts.subList(0, 2)).as("an idle lane's first calls go at once").containsOnly(0L);
	}

	@ParameterizedTest
	@CsvSource({ "20, 2, 2", "30, 3, 2", "500, 60, 8", "1, 1, 2", "3, 1, 8", "20, 2, 64" })
	void shouldKeepEveryWindowAtTheLimitWhenRequestsAreSlowToArriveButAnswersNoFasterThanTheShortestRoundTripLessTheSlack(
			int limit, int windowSeconds, int connections) {
		Duration window = Duration.ofSeconds(windowSeconds);
		SlidingLogLimiter limiter = new SlidingLogLimiter("lane", limit, window, ThrottleProperties.defaults(),
				this.now::get);

		// The assumption: after its arrival a request takes at least 20 ms to be answered
		// here (the remote's work and the way back), and some call of each stretch of
		// the history went there within the slack (5 ms) and came back within 20 ms + the
		// slack. Every connection's first request takes 2.6 s to arrive (a cold
		// connection on a loaded machine), one in seven takes up to 300 ms, and answers
		// take up to 300 ms more: calls overtake one another.
		Trips lane = trips(limiter, connections, window.multipliedBy(12).toNanos(), new Random(limit),
				(random, cold) -> new long[] {
						cold ? millis(2600) : (random.nextInt(7) == 0) ? millis(random, 0, 300) : millis(random, 0, 4),
						millis(20) + ((random.nextInt(5) == 0) ? millis(random, 0, 300) : millis(random, 0, 4)) });
		assertThat(lane.arrivals.size()).isGreaterThan(limit * 5);

		assertThat(StrictWindowCount.max(sorted(new ArrayList<>(lane.arrivals)), window)).isLessThanOrEqualTo(limit);
	}

	@ParameterizedTest
	@CsvSource({ "20, 2, 4", "20, 2, 2", "10, 2, 4", "30, 3, 2" })
	void shouldKeepEveryWindowAtTheLimitOnALoadedMachineWhereNoRecentRoundTripWentWithoutDelays(int limit,
			int windowSeconds, int connections) {
		Duration window = Duration.ofSeconds(windowSeconds);
		SlidingLogLimiter limiter = new SlidingLogLimiter("lane", limit, window, ThrottleProperties.defaults(),
				this.now::get);

		// The remote answers 50 ms after a request arrives. The machine is loaded: each
		// way waits 10 to 40 ms for a busy event loop; one call in ten goes there at
		// once and one in ten comes back at once, but none does both (the loop that was
		// free one way is busy the other). So the shortest recent round trip is some
		// 10 ms above the 50 ms floor, while one call's way back and a later one's way
		// there may both go at once.
		Trips lane = trips(limiter, connections, window.multipliedBy(40).toNanos(), new Random(limit + connections),
				(random, cold) -> {
					int luck = random.nextInt(10);
					return new long[] { (luck == 0) ? millis(random, 0, 1) : millis(random, 10, 40),
							millis(50) + ((luck == 1) ? millis(random, 0, 1) : millis(random, 10, 40)) };
				});
		assertThat(lane.arrivals.size()).isGreaterThan(limit * 20);

		assertThat(StrictWindowCount.max(sorted(new ArrayList<>(lane.arrivals)), window)).isLessThanOrEqualTo(limit);
	}

	@Test
	void shouldCountAnAnsweredCallFromItsAnswerLessTheShortestRoundTripPlusTheSlack() {
		SlidingLogLimiter limiter = new SlidingLogLimiter("lane", 1, Duration.ofSeconds(1),
				ThrottleProperties.defaults(), this.now::get);
		SlidingLogLimiter.Permit first = started(limiter);
		SlidingLogLimiter.Permit second = limiter.permit();
		second.reservePermission(1);
		assertThat(second.nanosToWait()).as("a call in flight holds the next back until it ends").isEqualTo(-1);
		this.now.addAndGet(millis(30));
		first.answered();
		assertThat(second.nanosToWait()).as("a round trip of 30 ms, too short a history: the answer is the bound")
			.isEqualTo(millis(1000));
		this.now.addAndGet(second.nanosToWait());
		assertThat(second.nanosToWait()).isZero();
		this.now.addAndGet(millis(30));
		second.answered();
		for (int call = 3; call <= 16; call++) {
			assertThat(call(limiter, millis(30))).isEqualTo(millis(1000));
		}
		assertThat(call(limiter, millis(40))).isEqualTo(millis(1000));
		assertThat(call(limiter, millis(25)))
			.as("17 round trips, one call in flight at most: the 17th counts from its answer less 30 ms, plus 5 ms")
			.isEqualTo(millis(1000 - 25));
		assertThat(call(limiter, millis(25)))
			.as("a new shortest round trip, its own, 5 ms below the median: its start plus 5 ms, plus those 5 ms")
			.isEqualTo(millis(1000 - 15));
	}

	/**
	 * One call of a lane whose calls go one at a time, right after the previous answer:
	 * answers its wait, then takes {@code roundTrip}.
	 */
	private long call(SlidingLogLimiter limiter, long roundTrip) {
		SlidingLogLimiter.Permit permit = limiter.permit();
		permit.reservePermission(1);
		long wait = permit.nanosToWait();
		this.now.addAndGet(wait);
		assertThat(permit.nanosToWait()).isZero();
		this.now.addAndGet(roundTrip);
		permit.answered();
		return wait;
	}

	@Test
	void shouldHoldTheCallLPlacesAfterACallInFlightUntilItEndsHoweverLongItsRequestTakes() {
		SlidingLogLimiter limiter = new SlidingLogLimiter("lane", 1, Duration.ofSeconds(2),
				ThrottleProperties.defaults(), this.now::get);
		SlidingLogLimiter.Permit cold = started(limiter);
		SlidingLogLimiter.Permit next = limiter.permit();
		assertThat(next.reservePermission(1)).as("the operator's wait: nothing has ended yet").isZero();
		this.now.set(millis(4100));
		assertThat(next.nanosToWait()).as("more than 2 W after its start, its request may still be on its way")
			.isEqualTo(-1);
		cold.answered();
		assertThat(next.nanosToWait()).isEqualTo(millis(2000));
	}

	@Test
	void shouldBoundACallByItsAnswerWhileTheHistoryHoldsNoMoreCallsThanHaveBeenInFlightAtOnce() {
		SlidingLogLimiter limiter = new SlidingLogLimiter("lane", 3, Duration.ofSeconds(1),
				ThrottleProperties.defaults(), this.now::get);
		SlidingLogLimiter.Permit first = started(limiter);
		started(limiter);
		started(limiter);
		this.now.set(Duration.ofMillis(2600).toNanos());
		first.answered();
		SlidingLogLimiter.Permit next = limiter.permit();
		next.reservePermission(1);
		assertThat(next.nanosToWait())
			.as("a connection's first call took 2.6 s: with no other history it may have arrived just now")
			.isEqualTo(Duration.ofMillis(1000).toNanos());
	}

	@Test
	void shouldBoundACallByItsAnswerWhenTheSlackIsLongerThanItsRoundTrip() {
		SlidingLogLimiter limiter = new SlidingLogLimiter("lane", 1, Duration.ofSeconds(1),
				ThrottleProperties.defaults().withRoundTripSlack(Duration.ofMillis(50)), this.now::get);
		for (int call = 0; call < 4; call++) {
			SlidingLogLimiter.Permit permit = limiter.permit();
			permit.reservePermission(1);
			this.now.addAndGet(permit.nanosToWait());
			assertThat(permit.nanosToWait()).isZero();
			this.now.addAndGet(Duration.ofMillis(30).toNanos());
			permit.answered();
		}
		SlidingLogLimiter.Permit next = limiter.permit();
		next.reservePermission(1);
		assertThat(next.nanosToWait()).isEqualTo(Duration.ofSeconds(1).toNanos());
	}

	@Test
	void shouldHoldTheCallLPlacesAfterAnotherUntilItsStartPlusTheLagPlusTheWindow() {
		SlidingLogLimiter limiter = new SlidingLogLimiter("lane", 2, Duration.ofSeconds(1), MARGIN, 0.01,
				this.now::get);
		SlidingLogLimiter.Permit first = started(limiter);
		this.now.set(Duration.ofMillis(5).toNanos());
		SlidingLogLimiter.Permit second = started(limiter);
		SlidingLogLimiter.Permit third = limiter.permit();

		assertThat(third.reservePermission(1))
			.as("the operator's wait: W after the first's start (an answer may yet come)")
			.isEqualTo(Duration.ofMillis(995).toNanos());
		assertThat(third.nanosToWait()).as("the first's start plus the lag plus W")
			.isEqualTo(Duration.ofMillis(1005).toNanos());
		this.now.set(Duration.ofMillis(500).toNanos());
		first.answered();
		second.answered();
		assertThat(third.nanosToWait()).as("an answer after the lag changes nothing")
			.isEqualTo(Duration.ofMillis(510).toNanos());
		this.now.set(Duration.ofMillis(1010).toNanos());
		assertThat(third.nanosToWait()).isZero();
		assertThat(limiter.getMetrics().getNumberOfWaitingThreads()).isZero();
	}

	@Test
	void shouldHoldTheCallLPlacesAfterAnotherUntilItsAnswerPlusTheWindowWhenTheAnswerCameWithinTheLag() {
		SlidingLogLimiter limiter = new SlidingLogLimiter("lane", 1, Duration.ofSeconds(1), MARGIN, 0.01,
				this.now::get);
		SlidingLogLimiter.Permit first = started(limiter);
		this.now.set(Duration.ofMillis(4).toNanos());
		first.answered();

		SlidingLogLimiter.Permit second = limiter.permit();
		second.reservePermission(1);
		assertThat(second.nanosToWait()).isEqualTo(Duration.ofMillis(1000).toNanos());
	}

	@Test
	void shouldHoldTheCallLPlacesAfterOneNotStartedUntilItStarts() {
		SlidingLogLimiter limiter = new SlidingLogLimiter("lane", 1, Duration.ofSeconds(1), MARGIN, 0.01,
				this.now::get);
		SlidingLogLimiter.Permit first = limiter.permit();
		assertThat(first.reservePermission(1)).isZero();
		SlidingLogLimiter.Permit second = limiter.permit();
		assertThat(second.reservePermission(1)).as("estimated as if the first started now, less the lag")
			.isEqualTo(Duration.ofMillis(1000).toNanos());
		this.now.set(Duration.ofMillis(30).toNanos());
		assertThat(second.nanosToWait()).as("the first has not started").isEqualTo(-1);
		assertThat(first.nanosToWait()).isZero();
		assertThat(second.nanosToWait()).isEqualTo(Duration.ofMillis(1010).toNanos());
		assertThat(limiter.getMetrics().getNumberOfWaitingThreads()).isEqualTo(1);
	}

	@Test
	void shouldCountACallAbandonedMidFlightUntilTheMarginHasPassed() {
		SlidingLogLimiter limiter = new SlidingLogLimiter("lane", 1, Duration.ofSeconds(1), MARGIN, LAG, this.now::get);
		SlidingLogLimiter.Permit given = started(limiter);
		SlidingLogLimiter.Permit never = limiter.permit();
		this.now.set(Duration.ofMillis(300).toNanos());
		given.abandoned();
		never.reservePermission(1);
		assertThat(never.nanosToWait()).isEqualTo(Duration.ofMillis(1100).toNanos());
		assertThat(limiter.getMetrics().getNumberOfWaitingThreads()).isEqualTo(1);
		never.abandoned();
		assertThat(limiter.getMetrics().getNumberOfWaitingThreads()).isZero();

		SlidingLogLimiter other = new SlidingLogLimiter("other", 1, Duration.ofSeconds(1), MARGIN, LAG, this.now::get);
		SlidingLogLimiter.Permit unused = other.permit();
		unused.reservePermission(1);
		unused.abandoned();
		SlidingLogLimiter.Permit next = other.permit();
		next.reservePermission(1);
		assertThat(next.nanosToWait()).as("a call never made counts at its end, without margin")
			.isEqualTo(Duration.ofMillis(1000).toNanos());
	}

	@Test
	void shouldGiveAnIdleLaneItsFirstLimitPermitsAtOnceThroughThePlainInterface() {
		SlidingLogLimiter limiter = new SlidingLogLimiter("lane", 20, Duration.ofSeconds(2), MARGIN, LAG,
				this.now::get);
		this.now.set(5_000_000_000L);
		for (int i = 0; i < 20; i++) {
			assertThat(limiter.reservePermission()).as("permit %d", i).isZero();
		}
		assertThat(limiter.reservePermission()).as("plain permits count their time plus the lag")
			.isEqualTo(Duration.ofSeconds(2).plus(limiter.lag()).toNanos());
		assertThat(limiter.lag()).isEqualTo(Duration.ofMillis(10));
		assertThat(limiter.getMetrics().getAvailablePermissions()).isEqualTo(-1);
	}

	@Test
	void shouldAcquireAllOrNothing() {
		SlidingLogLimiter limiter = new SlidingLogLimiter("lane", 2, Duration.ofSeconds(1), MARGIN, LAG, this.now::get);
		assertThat(limiter.acquirePermission()).isTrue();
		assertThat(limiter.acquirePermission(2)).isFalse();
		assertThat(limiter.getMetrics().getAvailablePermissions()).isEqualTo(1);
		assertThat(limiter.acquirePermission()).isTrue();
		assertThat(limiter.acquirePermission()).isFalse();
	}

	@Test
	void shouldForgetCallsThatCanNoLongerHoldAnyBack() {
		SlidingLogLimiter limiter = new SlidingLogLimiter("lane", 3, Duration.ofSeconds(1), MARGIN, LAG, this.now::get);
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
		SlidingLogLimiter limiter = new SlidingLogLimiter("lane", 10, Duration.ofSeconds(1), MARGIN, LAG,
				this.now::get);
		for (int i = 0; i < 6; i++) {
			started(limiter).answered();
		}
		limiter.change(4, Duration.ofSeconds(2));
		SlidingLogLimiter.Permit next = limiter.permit();
		next.reservePermission(1);
		assertThat(next.nanosToWait()).isEqualTo(Duration.ofSeconds(2).toNanos());
		assertThat(limiter.getRateLimiterConfig().getLimitForPeriod()).isEqualTo(4);
		assertThat(limiter.limits(4, Duration.ofSeconds(2))).isTrue();
	}

	@Test
	void shouldPublishResilience4jEventsUnderTheLanesName() {
		SlidingLogLimiter limiter = new SlidingLogLimiter("acme-stamped", 1, Duration.ofSeconds(1), MARGIN, LAG,
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

	/** W over the mean time from call i to call i+L (see the bench's quota figure). */
	private static double steadyUse(List<Long> calls, int limit, Duration window) {
		List<Long> times = sorted(new ArrayList<>(calls));
		double total = 0;
		for (int i = 0; i + limit < times.size(); i++) {
			total += times.get(i + limit) - times.get(i);
		}
		return window.toNanos() / (total / (times.size() - limit));
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

	private static long millis(long millis) {
		return Duration.ofMillis(millis).toNanos();
	}

	/** From {@code least} to {@code most} ms, at random, in µs. */
	private static long millis(Random random, int least, int most) {
		return Duration.ofNanos((long) ((least + random.nextDouble() * (most - least)) * 1_000_000)).toNanos();
	}

	/** How long a request takes to arrive and its answer to come back. */
	@FunctionalInterface
	private interface TripModel {

		/** {to the remote, back here} in ns; {@code cold}: a connection's first call. */
		long[] trip(Random random, boolean cold);

	}

	/**
	 * Like {@link #busyLane} with a request's arrival at the remote apart from its
	 * answer: each of {@code connections} callers takes a permit, waits for it, calls
	 * (the request arrives, then the answer comes back, as {@code model} says), and takes
	 * the next one once the answer has come. A call takes an idle pooled connection, or
	 * opens a new one (a cold call) when none is idle, as reactor-netty's pool does.
	 */
	private Trips trips(SlidingLogLimiter limiter, int connections, long horizonNanos, Random random, TripModel model) {
		PriorityQueue<Step> steps = new PriorityQueue<>();
		long order = 0;
		for (int i = 0; i < connections; i++) {
			steps.add(new Step(0, order++, null, false));
		}
		Trips lane = new Trips();
		int idle = 0;
		while (!steps.isEmpty()) {
			Step step = steps.poll();
			if (step.at >= horizonNanos) {
				break;
			}
			this.now.set(step.at);
			if (step.answer) {
				step.permit.answered();
				idle++;
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
			boolean cold = idle == 0;
			idle = Math.max(0, idle - 1);
			long[] trip = model.trip(random, cold);
			lane.starts.add(step.at);
			lane.arrivals.add(step.at + trip[0]);
			steps.add(new Step(step.at + trip[0] + trip[1], order++, permit, true));
		}
		return lane;
	}

	/** Calls in the order they were made, and each one's arrival at the remote. */
	private static final class Trips {

		final List<Long> starts = new ArrayList<>();

		final List<Long> arrivals = new ArrayList<>();

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

package io.stampedsync.throttle;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

import io.stampedsync.outbound.Direction;
import io.stampedsync.outbound.ErrorCode;
import io.stampedsync.outbound.OutboundCallException;
import io.stampedsync.subscription.SubscriptionSettings;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.test.scheduler.VirtualTimeScheduler;

import static io.stampedsync.throttle.InMemorySubscriptionRegistry.settings;
import static io.stampedsync.throttle.InMemorySubscriptionRegistry.withLimits;
import static org.assertj.core.api.Assertions.assertThat;

/** Pacing, cool-down and credentials on virtual time: no sleeping, exact instants. */
@Timeout(60)
class ThrottleRegistryTests {

	private VirtualTimeScheduler time;

	private InMemorySubscriptionRegistry registry;

	private ThrottleRegistry throttles;

	@BeforeEach
	void setUp() {
		this.time = VirtualTimeScheduler.getOrSet();
		this.registry = new InMemorySubscriptionRegistry();
		this.throttles = new ThrottleRegistry(this.registry, new VirtualClock(this.time),
				() -> this.time.now(TimeUnit.NANOSECONDS), new ThrottleProperties(ThrottleProperties.DEFAULT_MARGIN,
						0.005, ThrottleProperties.NO_ROUND_TRIP_CREDIT));
		this.throttles.afterPropertiesSet();
	}

	@AfterEach
	void tearDown() {
		this.throttles.destroy();
		VirtualTimeScheduler.reset();
	}

	@Test
	void idleLaneLetsTheFirstLimitCallsGoAtOnceThenLimitPerWindowAfterTheirAnswers() {
		this.registry.put(settings("acme", "http://localhost", 5, 10, 1));
		List<Long> times = fire(12, Direction.STAMPED);
		advance(Duration.ofSeconds(60));
		assertThat(times).containsExactly(0L, 0L, 0L, 0L, 0L, 10_000L, 10_000L, 10_000L, 10_000L, 10_000L, 20_000L,
				20_000L);
	}

	@Test
	void neverLetsLimitPlusOneCallsIntoAnyWindowWhenCallersComeAndGo() {
		this.registry.put(settings("acme", "http://localhost", 5, 10, 1));
		List<Long> times = fire(3, Direction.STAMPED);
		advance(Duration.ofMillis(7499));
		fire(20, Direction.STAMPED, times);
		advance(Duration.ofMillis(3000));
		fire(4, Direction.STAMPED, times);
		advance(Duration.ofSeconds(120));
		List<Long> sorted = new ArrayList<>(times);
		Collections.sort(sorted);
		assertThat(sorted).hasSize(27);
		assertThat(sorted.subList(0, 5)).containsExactly(0L, 0L, 0L, 7499L, 7499L);
		for (int i = 0; i + 5 < sorted.size(); i++) {
			assertThat(sorted.get(i + 5) - sorted.get(i)).as("L+1 calls %d..%d", i, i + 5)
				.isGreaterThanOrEqualTo(10_000);
		}
	}

	@Test
	void callLimitPlacesAfterAnotherWaitsForItsStartPlusTheLagPlusTheWindow() {
		this.registry.put(settings("acme", "http://localhost", 2, 10, 1));
		List<Long> started = startThreeCallsOf300Millis(this.throttles);
		assertThat(started).as("the request reaches the store within the lag: 0.5 % of W")
			.containsExactly(0L, 0L, 10_050L);
	}

	@Test
	void callLimitPlacesAfterAnotherWaitsForItsAnswerPlusTheWindowWhenTheLagIsAllOfTheWindow() {
		this.registry.put(settings("acme", "http://localhost", 2, 10, 1));
		ThrottleRegistry answerBound = new ThrottleRegistry(this.registry, new VirtualClock(this.time),
				() -> this.time.now(TimeUnit.NANOSECONDS), new ThrottleProperties(ThrottleProperties.DEFAULT_MARGIN,
						1.0, ThrottleProperties.NO_ROUND_TRIP_CREDIT));
		List<Long> started = startThreeCallsOf300Millis(answerBound);
		assertThat(started).as("the request may reach the store as late as its answer comes back")
			.containsExactly(0L, 0L, 10_300L);
	}

	private List<Long> startThreeCallsOf300Millis(ThrottleRegistry throttles) {
		List<Long> started = Collections.synchronizedList(new ArrayList<>());
		for (int i = 0; i < 3; i++) {
			throttles
				.withPermit("acme", Direction.STAMPED,
						Mono.fromRunnable(() -> started.add(this.time.now(TimeUnit.MILLISECONDS)))
							.then(Mono.delay(Duration.ofMillis(300))))
				.subscribe();
		}
		advance(Duration.ofSeconds(30));
		return started;
	}

	@Test
	void limitOfOneKeepsAWindowBetweenAnAnswerAndTheNextCall() {
		this.registry.put(settings("acme", "http://localhost", 1, 10, 1));
		advance(Duration.ofMillis(4999));
		List<Long> times = fire(4, Direction.STAMPED);
		advance(Duration.ofSeconds(60));
		assertThat(times).containsExactly(4999L, 14_999L, 24_999L, 34_999L);
	}

	@Test
	void usesTheIpaasLimitsForTheIpaasDirection() {
		this.registry.put(withLimits(settings("acme", "http://localhost", 5, 10, 1), 5, 10, 3, 10));
		List<Long> times = fire(4, Direction.IPAAS);
		advance(Duration.ofSeconds(30));
		assertThat(times).containsExactly(0L, 0L, 0L, 10_000L);
		assertThat(this.throttles.spacing("acme", Direction.IPAAS)).contains(Duration.ofSeconds(10).dividedBy(3));
		assertThat(this.throttles.spacing("acme", Direction.STAMPED)).contains(Duration.ofMillis(2000));
		assertThat(this.throttles.limiter("acme", Direction.IPAAS)).get()
			.satisfies((limiter) -> assertThat(limiter.getName()).isEqualTo("acme-ipaas"));
	}

	@Test
	void coolDownHoldsEveryCallerUntilItEnds() {
		this.registry.put(settings("acme", "http://localhost", 100, 1, 1));
		this.throttles.coolDown("acme", Direction.STAMPED, Duration.ofSeconds(5));
		this.throttles.coolDown("acme", Direction.STAMPED, Duration.ofSeconds(2));
		assertThat(this.throttles.coolDownUntil("acme", Direction.STAMPED)).contains(Instant.ofEpochSecond(5));
		List<Long> times = fire(3, Direction.STAMPED);
		advance(Duration.ofMillis(4999));
		assertThat(times).isEmpty();
		advance(Duration.ofSeconds(5));
		assertThat(times).hasSize(3).allSatisfy((t) -> assertThat(t).isGreaterThanOrEqualTo(5000));
		assertThat(this.throttles.coolDownUntil("acme", Direction.STAMPED)).isEmpty();
		assertThat(this.throttles.coolDownUntil("acme", Direction.IPAAS)).isEmpty();
	}

	@Test
	void coolDownThatStartsDuringTheWaitForAPermitHoldsThatCallerToo() {
		this.registry.put(settings("acme", "http://localhost", 2, 10, 1));
		List<Long> times = fire(3, Direction.STAMPED);
		advance(Duration.ofSeconds(1));
		assertThat(times).containsExactly(0L, 0L);
		this.throttles.coolDown("acme", Direction.STAMPED, Duration.ofSeconds(20));
		advance(Duration.ofSeconds(60));
		assertThat(times).hasSize(3);
		assertThat(times.get(2)).isGreaterThanOrEqualTo(21_000);
	}

	@Test
	void lowerLimitAppliesToTheNextPermitOfRunningWork() {
		SubscriptionSettings fast = settings("acme", "http://localhost", 11, 10, 1);
		this.registry.put(fast);
		List<Long> times = fire(3, Direction.STAMPED);
		advance(Duration.ofMillis(500));
		this.registry.put(withLimits(fast, 2, 10, 2, 10));
		fire(3, Direction.STAMPED, times);
		advance(Duration.ofSeconds(30));
		assertThat(times).as("two places back from each new call lies one at 0 or at 10 000 ms")
			.containsExactly(0L, 0L, 0L, 10_000L, 10_000L, 20_000L);
	}

	@Test
	void higherLimitLetsMoreCallsGoAtOnce() {
		SubscriptionSettings slow = settings("acme", "http://localhost", 2, 10, 1);
		this.registry.put(slow);
		List<Long> times = fire(2, Direction.STAMPED);
		advance(Duration.ofMillis(500));
		this.registry.put(withLimits(slow, 11, 10, 11, 10));
		fire(9, Direction.STAMPED, times);
		fire(1, Direction.STAMPED, times);
		advance(Duration.ofSeconds(20));
		assertThat(times).hasSize(12);
		assertThat(times.subList(2, 11)).allSatisfy((t) -> assertThat(t).isEqualTo(500L));
		assertThat(times.get(11)).isEqualTo(10_000L);
	}

	@Test
	void settingsPassedByAClientAreKeptUnlessOlder() {
		SubscriptionSettings v2 = withLimits(settings("acme", "http://localhost", 5, 10, 1), 11, 10, 11, 10);
		this.throttles.track(v2);
		this.throttles.track(settings("acme", "http://localhost", 5, 10, 1));
		assertThat(this.throttles.spacing("acme", Direction.STAMPED)).contains(Duration.ofSeconds(10).dividedBy(11));
	}

	@Test
	void unknownSubscriptionIsLookedUpInTheRegistry() {
		this.registry.put(settings("acme", "http://localhost", 5, 10, 1));
		ThrottleRegistry fresh = new ThrottleRegistry(this.registry, new VirtualClock(this.time),
				() -> this.time.now(TimeUnit.NANOSECONDS));
		AtomicReference<Object> result = new AtomicReference<>();
		fresh.withPermit("acme", Direction.STAMPED, Mono.just("called")).subscribe(result::set);
		fresh.withPermit("nobody", Direction.STAMPED, Mono.just("called")).subscribe(null, result::set);
		advance(Duration.ofSeconds(1));
		assertThat(result.get()).isInstanceOf(IllegalStateException.class);
		assertThat(fresh.spacing("acme", Direction.STAMPED)).contains(Duration.ofMillis(2000));
	}

	@Test
	void rejectedCredentialsFailFastWithoutCalling() {
		this.registry.put(settings("acme", "http://localhost", 5, 10, 1));
		this.throttles.rejectCredentials("acme", Direction.STAMPED);
		this.throttles.rejectCredentials("acme", Direction.IPAAS);
		AtomicBoolean called = new AtomicBoolean();
		List<Throwable> errors = Collections.synchronizedList(new ArrayList<>());
		Mono<String> call = Mono.fromCallable(() -> {
			called.set(true);
			return "x";
		});
		this.throttles.withPermit("acme", Direction.STAMPED, call).subscribe(null, errors::add);
		this.throttles.withPermit("acme", Direction.IPAAS, call).subscribe(null, errors::add);
		advance(Duration.ofSeconds(1));
		assertThat(called).isFalse();
		assertThat(errors).extracting((e) -> ((OutboundCallException) e).code())
			.containsExactly(ErrorCode.STAMPED_AUTH, ErrorCode.IPAAS_AUTH);
		assertThat(errors.get(0)).hasMessageContaining("API Private Key").hasMessageNotContaining("very-secret");
		assertThat(this.throttles.credentialsRejected("acme", Direction.STAMPED)).isTrue();
	}

	@Test
	void callWaitingForItsPermitIsNotMadeWhenCredentialsAreRejectedMeanwhile() {
		this.registry.put(settings("acme", "http://localhost", 5, 10, 1));
		List<Long> first = fire(5, Direction.STAMPED);
		AtomicBoolean called = new AtomicBoolean();
		List<Throwable> errors = Collections.synchronizedList(new ArrayList<>());
		this.throttles.withPermit("acme", Direction.STAMPED, Mono.fromCallable(() -> called.getAndSet(true)))
			.subscribe(null, errors::add);
		// The sixth permit is 10 s away; a 401 (or a failed verify) lands before it.
		advance(Duration.ofMillis(1000));
		this.throttles.rejectCredentials("acme", Direction.STAMPED);
		advance(Duration.ofSeconds(15));
		assertThat(first).hasSize(5);
		assertThat(called).isFalse();
		assertThat(errors).singleElement()
			.extracting((e) -> ((OutboundCallException) e).code())
			.isEqualTo(ErrorCode.STAMPED_AUTH);
	}

	@Test
	void changeTheLimiterRefusesLeavesTheLaterChangesApplied() {
		SubscriptionSettings v1 = settings("acme", "http://localhost", 5, 10, 1);
		this.registry.put(v1);
		fire(1, Direction.STAMPED);
		advance(Duration.ofSeconds(1));
		this.throttles.rejectCredentials("acme", Direction.STAMPED);
		// L = 0 is refused by the limiter in place: this change fails to apply.
		SubscriptionSettings refused = withLimits(v1, 0, 10, 5, 10);
		this.registry.put(refused);
		this.registry.put(withLimits(refused, 4, 10, 4, 10));
		assertThat(this.throttles.credentialsRejected("acme", Direction.STAMPED)).isFalse();
		assertThat(this.throttles.spacing("acme", Direction.STAMPED)).contains(Duration.ofMillis(2500));
	}

	@Test
	void anySettingsChangeAcceptsRejectedCredentialsAgain() {
		SubscriptionSettings v1 = settings("acme", "http://localhost", 5, 10, 1);
		this.registry.put(v1);
		this.throttles.rejectCredentials("acme", Direction.STAMPED);
		List<String> accepted = Collections.synchronizedList(new ArrayList<>());
		Disposable watching = this.throttles.credentialsAccepted().subscribe(accepted::add);
		this.registry.put(withLimits(v1, 5, 10, 5, 10));
		assertThat(this.throttles.credentialsRejected("acme", Direction.STAMPED)).isFalse();
		assertThat(accepted).containsExactly("acme");
		List<Long> times = fire(1, Direction.STAMPED);
		advance(Duration.ofSeconds(1));
		assertThat(times).hasSize(1);
		watching.dispose();
	}

	@Test
	void acceptingCredentialsAnnouncesOnlyARealChange() {
		this.registry.put(settings("acme", "http://localhost", 5, 10, 1));
		List<String> accepted = Collections.synchronizedList(new ArrayList<>());
		Disposable watching = this.throttles.credentialsAccepted().subscribe(accepted::add);
		this.throttles.acceptCredentials("acme", Direction.STAMPED);
		this.throttles.rejectCredentials("acme", Direction.STAMPED);
		this.throttles.rejectCredentials("acme", Direction.STAMPED);
		this.throttles.acceptCredentials("acme", Direction.STAMPED);
		this.throttles.acceptCredentials("acme", Direction.STAMPED);
		assertThat(accepted).containsExactly("acme");
		watching.dispose();
	}

	@Test
	void deleteDropsTheState() {
		this.registry.put(settings("acme", "http://localhost", 5, 10, 1));
		this.throttles.coolDown("acme", Direction.STAMPED, Duration.ofSeconds(30));
		this.throttles.rejectCredentials("acme", Direction.STAMPED);
		this.registry.delete("acme");
		assertThat(this.throttles.coolDownUntil("acme", Direction.STAMPED)).isEmpty();
		assertThat(this.throttles.credentialsRejected("acme", Direction.STAMPED)).isFalse();
		assertThat(this.throttles.spacing("acme", Direction.STAMPED)).isEmpty();
	}

	@Test
	void cancelledCallerWaitingForAPermitNeverCalls() {
		this.registry.put(settings("acme", "http://localhost", 2, 10, 1));
		fire(2, Direction.STAMPED);
		AtomicBoolean called = new AtomicBoolean();
		Disposable waiting = this.throttles
			.withPermit("acme", Direction.STAMPED, Mono.fromRunnable(() -> called.set(true)))
			.subscribe();
		advance(Duration.ofSeconds(1));
		waiting.dispose();
		advance(Duration.ofSeconds(30));
		assertThat(called).isFalse();
	}

	@Test
	void callThatFailedWithoutAnAnswerGetsNoRoundTripCreditButCountsLikeOneGivenUpMidFlight() {
		this.registry.put(settings("acme", "http://localhost", 1, 1, 1));
		ThrottleRegistry credited = new ThrottleRegistry(this.registry, new VirtualClock(this.time),
				() -> this.time.now(TimeUnit.NANOSECONDS), ThrottleProperties.defaults());
		List<Long> starts = Collections.synchronizedList(new ArrayList<>());
		OutboundCallException serverError = new OutboundCallException(ErrorCode.STAMPED_UNAVAILABLE, 503,
				"Customer create or update failed: HTTP 503", null, null);
		OutboundCallException noAnswer = new OutboundCallException(ErrorCode.NETWORK, 0,
				"Customer create or update failed: connection closed before the response was complete", null, null);
		// 20 answered calls of 30 ms warm the history up: the credit is 30 ms less the
		// slack (5 ms).
		Flux.range(0, 20)
			.concatMap((i) -> callOf30Millis(credited, starts, Mono.empty()))
			.then(callOf30Millis(credited, starts, Mono.error(serverError)).onErrorComplete())
			.then(callOf30Millis(credited, starts, Mono.error(noAnswer)).onErrorComplete())
			.then(callOf30Millis(credited, starts, Mono.empty()))
			.subscribe();
		advance(Duration.ofSeconds(60));
		assertThat(starts).hasSize(23);
		assertThat(starts.get(21) - starts.get(20)).as("a 503 is an answer: W after it, less the credit")
			.isEqualTo(30 + 1000 - 25);
		assertThat(starts.get(22) - starts.get(21))
			.as("no answer: W after the failure plus the margin, as for a call given up mid-flight")
			.isEqualTo(30 + 100 + 1000);
	}

	/** A call that records its virtual start, then ends as {@code end} 30 ms later. */
	private Mono<Void> callOf30Millis(ThrottleRegistry throttles, List<Long> starts, Mono<Void> end) {
		return throttles.withPermit("acme", Direction.STAMPED,
				Mono.fromRunnable(() -> starts.add(this.time.now(TimeUnit.MILLISECONDS)))
					.then(Mono.delay(Duration.ofMillis(30)))
					.then(end));
	}

	/**
	 * Subscribes {@code count} callers now; each records the virtual millisecond it ran.
	 */
	private List<Long> fire(int count, Direction direction) {
		return fire(count, direction, Collections.synchronizedList(new ArrayList<>()));
	}

	private List<Long> fire(int count, Direction direction, List<Long> times) {
		for (int i = 0; i < count; i++) {
			this.throttles.withPermit("acme", direction, Mono.fromCallable(() -> this.time.now(TimeUnit.MILLISECONDS)))
				.subscribe(times::add);
		}
		return times;
	}

	private void advance(Duration duration) {
		this.time.advanceTimeBy(duration);
	}

	/** A clock that reads the virtual time. */
	static final class VirtualClock extends Clock {

		private final VirtualTimeScheduler time;

		VirtualClock(VirtualTimeScheduler time) {
			this.time = time;
		}

		@Override
		public ZoneId getZone() {
			return ZoneOffset.UTC;
		}

		@Override
		public Clock withZone(ZoneId zone) {
			return this;
		}

		@Override
		public Instant instant() {
			return Instant.ofEpochSecond(0, this.time.now(TimeUnit.NANOSECONDS));
		}

	}

}

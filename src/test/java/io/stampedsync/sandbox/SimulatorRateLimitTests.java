package io.stampedsync.sandbox;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class SimulatorRateLimitTests {

	private static final String AUTH = Http.basic("pub", "key");

	private final AtomicLong now = new AtomicLong(1_000_000_000L);

	private final Http http = new Http();

	private StampedSimulator stamped;

	private String list;

	@BeforeEach
	void start() {
		this.stamped = new StampedSimulator("s", "pub", "key", SimulatorOptions.defaults().withNanoTime(this.now::get))
			.start();
		this.list = this.stamped.baseUrl() + "/api/v2/s/dashboard/customers";
	}

	@AfterEach
	void stop() {
		this.stamped.close();
	}

	@Test
	void eightRapidCallsWithFivePerSecondGiveFiveAcceptedAndThree429s() throws Exception {
		this.stamped.rateLimit(5, Duration.ofSeconds(1));
		List<Integer> statuses = new ArrayList<>();
		List<String> retryAfters = new ArrayList<>();
		for (int i = 0; i < 8; i++) {
			HttpResponse<String> response = this.http.get(this.list, AUTH);
			statuses.add(response.statusCode());
			response.headers().firstValue("Retry-After").ifPresent(retryAfters::add);
			this.now.addAndGet(10_000_000L);
		}

		assertThat(statuses).containsExactly(200, 200, 200, 200, 200, 429, 429, 429);
		assertThat(retryAfters).containsExactly("1", "1", "1");
		CallStats<StampedEndpoint> stats = this.stamped.stats();
		assertThat(stats.accepted()).isEqualTo(5);
		assertThat(stats.rateLimited()).isEqualTo(3);
		assertThat(stats.responses(429)).isEqualTo(3);
		assertThat(stats.maxAcceptedInWindow()).isEqualTo(5);
		assertThat(stats.maxArrivalsInWindow()).isEqualTo(8);
	}

	@Test
	void concurrentCallsOnTheSystemClockNeverPassTheLimit() {
		try (StampedSimulator real = new StampedSimulator("s", "pub", "key").start()) {
			real.rateLimit(5, Duration.ofSeconds(30));
			List<CompletableFuture<HttpResponse<String>>> calls = new ArrayList<>();
			for (int i = 0; i < 8; i++) {
				calls.add(this.http.postAsync(real.baseUrl() + "/api/v2/s/survey/subscribe", AUTH, "{}"));
			}

			List<Integer> statuses = calls.stream().map(CompletableFuture::join).map(HttpResponse::statusCode).toList();

			assertThat(statuses).filteredOn((status) -> status == 429).hasSize(3);
			assertThat(real.stats().accepted()).isEqualTo(5);
			assertThat(real.stats().maxAcceptedInWindow()).isEqualTo(5);
			assertThat(real.stats().maxArrivalsInWindow()).isEqualTo(8);
		}
	}

	@Test
	void retryAfterIsTheWaitUntilTheOldestCallLeavesTheWindowRoundedUp() throws Exception {
		this.stamped.rateLimit(2, Duration.ofSeconds(10));
		this.http.get(this.list, AUTH);
		this.now.addAndGet(1_000_000_000L);
		this.http.get(this.list, AUTH);
		this.now.addAndGet(1_500_000_000L);

		HttpResponse<String> limited = this.http.get(this.list, AUTH);

		assertThat(limited.statusCode()).isEqualTo(429);
		// Oldest at 0 s, now at 2.5 s: it leaves the 10 s window in 7.5 s.
		assertThat(limited.headers().firstValue("Retry-After")).hasValue("8");
	}

	@Test
	void aCallExactlyOneWindowAfterTheOldestIsAccepted() throws Exception {
		this.stamped.rateLimit(1, Duration.ofSeconds(1));
		this.http.get(this.list, AUTH);
		this.now.addAndGet(999_999_999L);
		int justInside = this.http.get(this.list, AUTH).statusCode();
		this.now.addAndGet(1L);

		int atTheEdge = this.http.get(this.list, AUTH).statusCode();

		assertThat(justInside).isEqualTo(429);
		assertThat(atTheEdge).isEqualTo(200);
		assertThat(this.stamped.stats().maxAcceptedInWindow()).isEqualTo(1);
	}

	@Test
	void rejectedCallsDoNotCountTowardsTheLimit() throws Exception {
		this.stamped.rateLimit(2, Duration.ofSeconds(1));
		this.http.get(this.list, AUTH);
		this.now.addAndGet(600_000_000L);
		this.http.get(this.list, AUTH);
		this.http.get(this.list, AUTH);
		this.now.addAndGet(500_000_000L);

		// Only the first accepted call left the window; the 429 in between was never
		// counted.
		assertThat(this.http.get(this.list, AUTH).statusCode()).isEqualTo(200);
		assertThat(this.http.get(this.list, AUTH).statusCode()).isEqualTo(429);
	}

	@Test
	void limitCanBeChangedAndTurnedOffAtRuntime() throws Exception {
		this.stamped.rateLimit(1, Duration.ofSeconds(1));
		this.http.get(this.list, AUTH);
		int limited = this.http.get(this.list, AUTH).statusCode();
		this.stamped.noRateLimit();
		int unlimited = this.http.get(this.list, AUTH).statusCode();
		this.stamped.rateLimit(10, Duration.ofSeconds(1));

		assertThat(limited).isEqualTo(429);
		assertThat(unlimited).isEqualTo(200);
		assertThat(this.http.get(this.list, AUTH).statusCode()).isEqualTo(200);
		assertThat(this.stamped.rateLimit()).isEqualTo(10);
	}

	@Test
	void clearingTheWindowStartsAFreshStoreWithTheSameLimit() throws Exception {
		this.stamped.rateLimit(1, Duration.ofSeconds(1));
		this.http.get(this.list, AUTH);
		this.stamped.stats().reset();
		this.stamped.clearRateLimitWindow();

		assertThat(this.http.get(this.list, AUTH).statusCode()).isEqualTo(200);
		assertThat(this.http.get(this.list, AUTH).statusCode()).isEqualTo(429);
	}

	@Test
	void resetZeroesTheCountersButNotTheLimit() throws Exception {
		this.stamped.rateLimit(1, Duration.ofSeconds(1));
		this.http.get(this.list, AUTH);
		this.stamped.stats().reset();

		int status = this.http.get(this.list, AUTH).statusCode();

		assertThat(status).isEqualTo(429);
		assertThat(this.stamped.stats().total()).isEqualTo(1);
		assertThat(this.stamped.stats().accepted()).isZero();
		assertThat(this.stamped.stats().callLog()).hasSize(1);
	}

}

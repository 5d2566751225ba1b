package io.stampedsync.sandbox;

import java.io.IOException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.BooleanSupplier;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.core.JacksonException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SimulatorFaultTests {

	private static final String AUTH = Http.basic("pub", "key");

	private static final String BODY = "{\"email\":\"ada@example.com\"}";

	private final Http http = new Http();

	private StampedSimulator stamped;

	private String create;

	private String list;

	@BeforeEach
	void start() {
		this.stamped = new StampedSimulator("s", "pub", "key").start();
		this.create = this.stamped.baseUrl() + "/api/v2/s/dashboard/customers/add";
		this.list = this.stamped.baseUrl() + "/api/v2/s/dashboard/customers";
	}

	@AfterEach
	void stop() {
		this.stamped.close();
	}

	@Test
	void scriptedStatusFaultsAnswerTheNextRequestsInOrder() throws Exception {
		this.stamped.faults().next(2, Fault.status(503, "3")).next(Fault.status(500));

		HttpResponse<String> first = this.http.post(this.create, AUTH, BODY);
		HttpResponse<String> second = this.http.post(this.create, AUTH, BODY);
		HttpResponse<String> third = this.http.post(this.create, AUTH, BODY);
		HttpResponse<String> fourth = this.http.post(this.create, AUTH, BODY);

		assertThat(first.statusCode()).isEqualTo(503);
		assertThat(first.headers().firstValue("Retry-After")).hasValue("3");
		assertThat(Http.json(first).get("message").asString()).isNotBlank();
		assertThat(second.statusCode()).isEqualTo(503);
		assertThat(third.statusCode()).isEqualTo(500);
		assertThat(third.headers().firstValue("Retry-After")).isEmpty();
		assertThat(fourth.statusCode()).isEqualTo(200);
		assertThat(this.stamped.store().count()).isEqualTo(1);
		assertThat(this.stamped.stats().faultsInjected()).isEqualTo(3);
		assertThat(this.stamped.stats().accepted()).isEqualTo(1);
		assertThat(this.stamped.faults().pending()).isZero();
	}

	@Test
	void tooManyRequestsFaultsCarrySecondsADateOrNothing() throws Exception {
		Instant until = Instant.parse("2030-01-01T00:00:30Z");
		this.stamped.faults()
			.next(Fault.tooManyRequests(Duration.ofSeconds(7)))
			.next(Fault.tooManyRequestsUntil(until))
			.next(Fault.tooManyRequests());

		List<HttpResponse<String>> responses = new ArrayList<>();
		for (int i = 0; i < 3; i++) {
			responses.add(this.http.get(this.list, AUTH));
		}

		assertThat(responses).allSatisfy((response) -> assertThat(response.statusCode()).isEqualTo(429));
		assertThat(responses.get(0).headers().firstValue("Retry-After")).hasValue("7");
		assertThat(responses.get(1).headers().firstValue("Retry-After")).hasValue("Tue, 1 Jan 2030 00:00:30 GMT");
		assertThat(responses.get(2).headers().firstValue("Retry-After")).isEmpty();
		assertThat(this.stamped.stats().rateLimited()).isZero();
	}

	@Test
	void faultsCanTargetOneEndpoint() throws Exception {
		this.stamped.faults().next(1, StampedEndpoint.CREATE, Fault.status(502));

		int listStatus = this.http.get(this.list, AUTH).statusCode();
		int createStatus = this.http.post(this.create, AUTH, BODY).statusCode();

		assertThat(listStatus).isEqualTo(200);
		assertThat(createStatus).isEqualTo(502);
	}

	@Test
	void resetClosesTheConnectionWithoutAResponse() {
		this.stamped.faults().next(Fault.reset());

		assertThatThrownBy(() -> this.http.post(this.create, AUTH, BODY)).isInstanceOf(IOException.class);
		awaitTrue(() -> this.stamped.stats().inFlight() == 0);
		assertThat(this.stamped.stats().callLog()).extracting(CallRecord::status).containsExactly(CallRecord.RESET);
		assertThat(this.stamped.store().count()).isZero();
	}

	@Test
	void resetAfterAppliedMakesTheChangeThenLosesTheAnswer() {
		this.stamped.faults().next(Fault.resetAfterApplied());

		assertThatThrownBy(() -> this.http.post(this.create, AUTH, BODY)).isInstanceOf(IOException.class);
		awaitTrue(() -> this.stamped.stats().inFlight() == 0);
		assertThat(this.stamped.stats().callLog()).extracting(CallRecord::status).containsExactly(CallRecord.RESET);
		assertThat(this.stamped.store().byEmail("ada@example.com")).isPresent();
		assertThat(this.stamped.store().creates("ada@example.com")).isEqualTo(1);
		assertThat(this.stamped.stats().answersLostFor("ADA@example.com")).isEqualTo(1);
	}

	@Test
	void noResponseAfterAppliedMakesTheChangeAndNeverAnswers() {
		this.stamped.faults().next(Fault.noResponseAfterApplied());
		HttpRequest request = Http.request(this.create, AUTH)
			.timeout(Duration.ofMillis(300))
			.POST(HttpRequest.BodyPublishers.ofString(BODY))
			.build();

		assertThatThrownBy(() -> this.http.send(request)).isInstanceOf(HttpTimeoutException.class);
		assertThat(this.stamped.stats().callLog()).extracting(CallRecord::status)
			.containsExactly(CallRecord.NO_RESPONSE);
		assertThat(this.stamped.store().creates("ada@example.com")).isEqualTo(1);
		assertThat(this.stamped.stats().answersLostFor("ada@example.com")).isEqualTo(1);
	}

	@Test
	void createsAndCallsAreCountedPerEmailThoughTheStoreMergesThem() throws Exception {
		this.stamped.faults().next(1, StampedEndpoint.CREATE, Fault.status(503));

		this.http.post(this.create, AUTH, BODY);
		this.http.post(this.create, AUTH, BODY);
		this.http.post(this.create, AUTH, "{\"email\":\" Ada@Example.com \"}");
		this.http.get(this.list, AUTH);

		assertThat(this.stamped.store().count()).isEqualTo(1);
		assertThat(this.stamped.store().creates("ada@example.com")).as("the faulted call applied nothing").isEqualTo(2);
		assertThat(this.stamped.store().deduplicated()).isEqualTo(1);
		assertThat(this.stamped.stats().callsFor("ada@example.com")).isEqualTo(3);
		assertThat(this.stamped.stats().answersLostFor("ada@example.com")).isZero();
		assertThat(this.stamped.stats().callLog()).extracting(CallRecord::key)
			.containsExactly("ada@example.com", "ada@example.com", " Ada@Example.com ", null);
	}

	@Test
	void noResponseHangsUntilTheClientTimesOut() {
		this.stamped.faults().next(Fault.noResponse());
		HttpRequest request = Http.request(this.list, AUTH).timeout(Duration.ofMillis(300)).GET().build();

		assertThatThrownBy(() -> this.http.send(request)).isInstanceOf(HttpTimeoutException.class);
		assertThat(this.stamped.stats().callLog()).extracting(CallRecord::status)
			.containsExactly(CallRecord.NO_RESPONSE);
	}

	@Test
	void malformedJsonIsA200ThatDoesNotParse() throws Exception {
		this.stamped.faults().next(Fault.malformedJson());

		HttpResponse<String> response = this.http.post(this.create, AUTH, BODY);

		assertThat(response.statusCode()).isEqualTo(200);
		assertThat(response.headers().firstValue("Content-Type")).hasValue("application/json");
		assertThatThrownBy(() -> Http.json(response)).isInstanceOf(JacksonException.class);
		assertThat(this.stamped.store().count()).isZero();
	}

	@Test
	void randomFaultsWithTheSameSeedFailTheSameRequests() throws Exception {
		List<Integer> firstRun = runRandomly(42);
		this.stamped.faults().clear();
		List<Integer> secondRun = runRandomly(42);

		assertThat(firstRun).isEqualTo(secondRun);
		assertThat(firstRun).contains(503).contains(200);
	}

	@Test
	void inFlightCountsConcurrentRequestsDuringLatency() {
		// Latency long enough that all four requests are in flight together by
		// construction.
		this.stamped.latency(Duration.ofSeconds(30));
		List<CompletableFuture<HttpResponse<String>>> pending = new ArrayList<>();
		for (int i = 0; i < 4; i++) {
			pending.add(this.http.postAsync(this.create, AUTH, "{\"email\":\"c" + i + "@example.com\"}"));
		}

		awaitTrue(() -> this.stamped.stats().inFlight() == 4);

		assertThat(this.stamped.stats().maxInFlight()).isEqualTo(4);
		pending.forEach((future) -> future.cancel(true));
	}

	@Test
	void inFlightReturnsToZeroOnceAnswered() {
		this.stamped.latency(Duration.ofMillis(100));
		List<CompletableFuture<HttpResponse<String>>> pending = new ArrayList<>();
		for (int i = 0; i < 3; i++) {
			pending.add(this.http.postAsync(this.create, AUTH, "{\"email\":\"c" + i + "@example.com\"}"));
		}

		pending.forEach(CompletableFuture::join);

		awaitTrue(() -> this.stamped.stats().inFlight() == 0);
		assertThat(this.stamped.stats().maxInFlight()).isBetween(1, 3);
		assertThat(this.stamped.stats().calls(StampedEndpoint.CREATE)).isEqualTo(3);
	}

	private List<Integer> runRandomly(long seed) throws Exception {
		this.stamped.faults().randomly(0.5, Fault.status(503), seed);
		List<Integer> statuses = new ArrayList<>();
		for (int i = 0; i < 20; i++) {
			statuses.add(this.http.get(this.list, AUTH).statusCode());
		}
		return statuses;
	}

	static void awaitTrue(BooleanSupplier condition) {
		Awaitility.await().atMost(Duration.ofSeconds(10)).until(condition::getAsBoolean);
	}

}

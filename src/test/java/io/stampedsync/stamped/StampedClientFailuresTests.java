package io.stampedsync.stamped;

import java.net.ServerSocket;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import io.stampedsync.outbound.Direction;
import io.stampedsync.outbound.ErrorCode;
import io.stampedsync.outbound.OutboundCallException;
import mockwebserver3.MockResponse;
import mockwebserver3.SocketEffect;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.slf4j.LoggerFactory;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import static io.stampedsync.stamped.StampedFixture.ANN;
import static io.stampedsync.stamped.StampedFixture.BASIC;
import static io.stampedsync.stamped.StampedFixture.PRIVATE_KEY;
import static io.stampedsync.stamped.StampedFixture.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * Every error code, the retries and their spacing, Retry-After, the cool-down and the
 * credentials breaker. Time bounds are lower bounds that hold by construction.
 */
@Timeout(60)
@ExtendWith(OutputCaptureExtension.class)
class StampedClientFailuresTests extends ClientAgainstMockServer {

	@Test
	void retriesServerErrorsWithBackoffThenSucceeds() {
		this.server.enqueue(json(503, "{\"error\": \"maintenance\"}"));
		this.server.enqueue(json(500, ""));
		this.server.enqueue(json(200, "{\"id\": 1}"));
		long start = System.nanoTime();
		assertThat(this.client.create(ANN).block()).isEqualTo("1");
		assertThat(this.server.getRequestCount()).isEqualTo(3);
		assertThat(elapsedMillis(start)).as("two backoffs of at least min-backoff").isGreaterThanOrEqualTo(100);
	}

	@Test
	void serverErrorsOnEveryAttemptAreUnavailable() {
		for (int i = 0; i < 3; i++) {
			this.server.enqueue(json(500, "{\"message\": \"boom\"}"));
		}
		OutboundCallException failure = failure(() -> this.client.create(ANN).block());
		assertThat(failure.code()).isEqualTo(ErrorCode.STAMPED_UNAVAILABLE);
		assertThat(failure.getMessage()).isEqualTo("Customer create or update failed: HTTP 500 boom");
		assertThat(failure.httpStatus()).isEqualTo(500);
		assertThat(failure.attempts()).isEqualTo(3);
		assertThat(this.server.getRequestCount()).isEqualTo(3);
	}

	@ParameterizedTest
	@CsvSource({ "400, STAMPED_VALIDATION", "401, STAMPED_AUTH", "403, STAMPED_AUTH", "422, STAMPED_VALIDATION",
			"409, STAMPED_VALIDATION" })
	void clientErrorsAreNotRetried(int status, ErrorCode code) {
		this.server.enqueue(json(status, "{\"message\": \"Email is invalid\"}"));
		this.server.enqueue(json(200, "{\"id\": 1}"));
		OutboundCallException failure = failure(() -> this.client.create(ANN).block());
		assertThat(failure.code()).isEqualTo(code);
		assertThat(failure.getMessage())
			.startsWith("Customer create or update failed: HTTP " + status + " Email is invalid");
		assertThat(failure.attempts()).isEqualTo(1);
		assertThat(this.server.getRequestCount()).isEqualTo(1);
	}

	@Test
	void aNonJsonErrorBodyIsQuotedCut() {
		this.server.enqueue(new MockResponse.Builder().code(400).body("x".repeat(1000)).build());
		OutboundCallException failure = failure(() -> this.client.create(ANN).block());
		assertThat(failure.getMessage()).startsWith("Customer create or update failed: HTTP 400 xxx")
			.hasSizeLessThan(400);
	}

	@Test
	void aKeyAcrossTheCutOfAMessageLeavesNoPrefix() {
		// 280 characters, then the key: a cut at 300 before masking kept its first 19.
		this.server.enqueue(new MockResponse.Builder().code(400).body("x".repeat(280) + " " + PRIVATE_KEY).build());
		OutboundCallException failure = failure(() -> this.client.create(ANN).block());
		assertThat(failure.getMessage()).doesNotContain(PRIVATE_KEY.substring(0, 12))
			.startsWith("Customer create or update failed: HTTP 400 xxx");
	}

	@Test
	void controlCharactersOfAnErrorBodyNeverReachAMessage() {
		this.server
			.enqueue(new MockResponse.Builder().code(400).body("bad\r\nINFO forged\u0000\u001b[31m line").build());
		OutboundCallException failure = failure(() -> this.client.create(ANN).block());
		assertThat(failure.getMessage())
			.isEqualTo("Customer create or update failed: HTTP 400 bad INFO forged [31m line");
	}

	@Test
	void surveyCallsFailAsSubscriptionFailedAfterTheirRetries() {
		this.server.enqueue(json(400, "{\"message\": \"Invalid email\"}"));
		for (int i = 0; i < 3; i++) {
			this.server.enqueue(json(502, ""));
		}
		OutboundCallException rejected = failure(() -> this.client.subscribe("bad").block());
		assertThat(rejected.code()).isEqualTo(ErrorCode.SUBSCRIPTION_FAILED);
		assertThat(rejected.getMessage()).isEqualTo("Subscribe or unsubscribe failed: HTTP 400 Invalid email");
		assertThat(rejected.attempts()).isEqualTo(1);
		OutboundCallException unavailable = failure(() -> this.client.unsubscribe("ann@example.com").block());
		assertThat(unavailable.code()).isEqualTo(ErrorCode.SUBSCRIPTION_FAILED);
		assertThat(unavailable.getMessage()).isEqualTo("Subscribe or unsubscribe failed: HTTP 502");
		assertThat(unavailable.attempts()).isEqualTo(3);
		assertThat(this.server.getRequestCount()).isEqualTo(4);
	}

	@Test
	void honoursRetryAfterInSeconds() {
		this.server.enqueue(json(429, "").newBuilder().addHeader("Retry-After", "1").build());
		this.server.enqueue(json(200, "{\"id\": 1}"));
		long start = System.nanoTime();
		assertThat(this.client.create(ANN).block()).isEqualTo("1");
		assertThat(elapsedMillis(start)).isGreaterThanOrEqualTo(1000);
		assertThat(this.server.getRequestCount()).isEqualTo(2);
	}

	@Test
	void honoursRetryAfterAsAnHttpDate() {
		String date = DateTimeFormatter.RFC_1123_DATE_TIME
			.format(Instant.now().plusSeconds(3).atOffset(ZoneOffset.UTC));
		this.server.enqueue(json(429, "").newBuilder().addHeader("Retry-After", date).build());
		this.server.enqueue(json(200, "{\"id\": 1}"));
		long start = System.nanoTime();
		assertThat(this.client.create(ANN).block()).isEqualTo("1");
		// The date has whole seconds (so 2 to 3 s away), capped at max-retry-after (2 s).
		assertThat(elapsedMillis(start)).isGreaterThanOrEqualTo(1500);
	}

	@Test
	void aRateLimitCoolsTheWholeSubscriptionDown() {
		StampedFixture once = new StampedFixture(this.server.url("/").toString(), StampedFixture.properties(1));
		try {
			this.server.enqueue(json(429, "{\"message\": \"Too many requests\"}").newBuilder()
				.addHeader("Retry-After", "30")
				.build());
			this.server.enqueue(json(200, "{}"));
			OutboundCallException failure = failure(() -> once.client().create(ANN).block());
			assertThat(failure.code()).isEqualTo(ErrorCode.STAMPED_RATE_LIMITED);
			assertThat(failure.retryAfter()).as("capped at max-retry-after").isEqualTo(Duration.ofSeconds(2));
			assertThat(once.throttles.coolDownUntil("acme", Direction.STAMPED)).isPresent();
			long start = System.nanoTime();
			once.client().subscribe("ann@example.com").block();
			assertThat(elapsedMillis(start)).as("another call waits the cool-down").isGreaterThanOrEqualTo(1500);
		}
		finally {
			once.close();
		}
	}

	@Test
	void rateLimitedOnEveryAttemptIsRateLimited() {
		for (int i = 0; i < 3; i++) {
			this.server.enqueue(json(429, ""));
		}
		OutboundCallException failure = failure(() -> this.client.create(ANN).block());
		assertThat(failure.code()).isEqualTo(ErrorCode.STAMPED_RATE_LIMITED);
		assertThat(failure.getMessage()).isEqualTo("Customer create or update failed: HTTP 429");
		assertThat(failure.attempts()).isEqualTo(3);
	}

	@Test
	void noResponseWithinTheResponseTimeoutIsATimeout() {
		for (int i = 0; i < 3; i++) {
			this.server.enqueue(json(200, "{\"id\": 1}").newBuilder().headersDelay(3, TimeUnit.SECONDS).build());
		}
		long start = System.nanoTime();
		OutboundCallException failure = failure(() -> this.client.create(ANN).block());
		assertThat(failure.code()).isEqualTo(ErrorCode.STAMPED_TIMEOUT);
		assertThat(failure.getMessage())
			.isEqualTo("Customer create or update failed: no response from Stamped.io within 500 ms");
		assertThat(failure.attempts()).isEqualTo(3);
		assertThat(elapsedMillis(start)).isGreaterThanOrEqualTo(1500);
	}

	@Test
	void aConnectionResetInTheMiddleOfTheBodyIsRetried() {
		String big = "{\"id\": 1, \"padding\": \"" + "x".repeat(200_000) + "\"}";
		this.server
			.enqueue(json(200, big).newBuilder().onResponseBody(SocketEffect.ShutdownConnection.INSTANCE).build());
		this.server.enqueue(json(200, "{\"id\": 2}"));
		assertThat(this.client.create(ANN).block()).isEqualTo("2");
		assertThat(this.server.getRequestCount()).isEqualTo(2);
		assertThat(this.fixture.calls.get(0).error()).isEqualTo(ErrorCode.NETWORK);
	}

	@Test
	void resetsOnEveryAttemptAreANetworkError() {
		String big = "{\"id\": 1, \"padding\": \"" + "x".repeat(200_000) + "\"}";
		for (int i = 0; i < 3; i++) {
			this.server
				.enqueue(json(200, big).newBuilder().onResponseBody(SocketEffect.ShutdownConnection.INSTANCE).build());
		}
		OutboundCallException failure = failure(() -> this.client.create(ANN).block());
		assertThat(failure.code()).isEqualTo(ErrorCode.NETWORK);
		assertThat(failure.attempts()).isEqualTo(3);
		assertThat(failure.getMessage()).startsWith("Customer create or update failed: ");
	}

	@Test
	void anAnswerOverTheMaxResponseSizeFailsItsAttemptsAndTheClientGoesOn() {
		// The fixture reads at most 1 MB of a body.
		String big = "{\"id\": 1, \"padding\": \"" + "x".repeat(1_100_000) + "\"}";
		for (int i = 0; i < 3; i++) {
			this.server.enqueue(json(200, big));
		}
		this.server.enqueue(json(200, "{\"id\": 2}"));
		OutboundCallException failure = failure(() -> this.client.create(ANN).block());
		assertThat(failure.code()).isEqualTo(ErrorCode.NETWORK);
		assertThat(failure.attempts()).isEqualTo(3);
		assertThat(failure.getMessage()).startsWith("Customer create or update failed: ");
		assertThat(this.client.create(ANN).block()).isEqualTo("2");
	}

	@Test
	void aRefusedConnectionIsANetworkError() throws Exception {
		int port;
		try (ServerSocket socket = new ServerSocket(0)) {
			port = socket.getLocalPort();
		}
		StampedFixture nowhere = new StampedFixture("http://127.0.0.1:" + port);
		try {
			OutboundCallException failure = failure(() -> nowhere.client().create(ANN).block());
			assertThat(failure.code()).isEqualTo(ErrorCode.NETWORK);
			assertThat(failure.getMessage()).isEqualTo("Customer create or update failed: connection refused");
			assertThat(failure.attempts()).isEqualTo(3);
		}
		finally {
			nowhere.close();
		}
	}

	@Test
	void rejectedCredentialsStopCallsUntilVerifySucceeds() throws Exception {
		this.server.enqueue(json(401, "{\"message\": \"Unauthorized\"}"));
		OutboundCallException rejected = failure(() -> this.client.create(ANN).block());
		assertThat(rejected.code()).isEqualTo(ErrorCode.STAMPED_AUTH);
		assertThat(rejected.getMessage()).isEqualTo("Customer create or update failed: HTTP 401 Unauthorized"
				+ " (check API Public Key, API Private Key and API Store Hash)");
		assertThat(this.fixture.throttles.credentialsRejected("acme", Direction.STAMPED)).isTrue();

		OutboundCallException paused = failure(() -> this.client.subscribe("ann@example.com").block());
		assertThat(paused.code()).isEqualTo(ErrorCode.STAMPED_AUTH);
		assertThat(paused.getMessage()).startsWith("Subscribe or unsubscribe failed: ");
		assertThat(this.server.getRequestCount()).as("no call while rejected").isEqualTo(1);

		this.server.enqueue(json(200, "{\"results\": []}"));
		this.server.enqueue(json(200, "{\"id\": 5}"));
		this.client.verify().block();
		assertThat(this.fixture.throttles.credentialsRejected("acme", Direction.STAMPED)).isFalse();
		assertThat(this.client.create(ANN).block()).isEqualTo("5");
		assertThat(this.server.getRequestCount()).isEqualTo(3);
	}

	@Test
	void verifyWithAWrongStoreHashSaysSo() {
		this.server.enqueue(json(404, "Not Found"));
		OutboundCallException failure = failure(() -> this.client.verify().block());
		assertThat(failure.code()).isEqualTo(ErrorCode.STAMPED_AUTH);
		assertThat(failure.getMessage())
			.isEqualTo("Customer create or update failed: HTTP 404 Not Found" + " (check API Store Hash)");
		assertThat(this.fixture.throttles.credentialsRejected("acme", Direction.STAMPED)).isTrue();
	}

	@Test
	void noSecretReachesAMessageOrTheLog(CapturedOutput output) {
		// The most talkative levels of the HTTP stack, to catch a header or URL in any
		// log line.
		List<Logger> loggers = List.of(logger("reactor.netty"), logger("org.springframework.web"),
				logger("io.stampedsync"));
		loggers.forEach((logger) -> logger.setLevel(Level.TRACE));
		this.server.enqueue(json(200, "{\"id\": 1}"));
		try {
			callWithSecretsEchoed(output);
		}
		finally {
			loggers.forEach((logger) -> logger.setLevel(null));
		}
	}

	private void callWithSecretsEchoed(CapturedOutput output) {
		String encoded = BASIC.substring("Basic ".length());
		this.server.enqueue(json(401, "{\"message\": \"Invalid key " + PRIVATE_KEY + "\"}"));
		this.server.enqueue(json(200, "{\"results\": []}"));
		this.server.enqueue(json(400, "{\"error\": \"Bad header Basic " + encoded + "\"}"));
		for (int i = 0; i < 3; i++) {
			this.server.enqueue(new MockResponse.Builder().code(500).body("key " + PRIVATE_KEY).build());
		}
		for (int i = 0; i < 3; i++) {
			this.server.enqueue(json(200, "{}").newBuilder().headersDelay(3, TimeUnit.SECONDS).build());
		}
		assertThat(this.client.create(ANN).block()).isEqualTo("1");
		List<OutboundCallException> failures = new ArrayList<>();
		failures.add(failure(() -> this.client.create(ANN).block()));
		this.client.verify().block();
		failures.add(failure(() -> this.client.update("1", ANN).block()));
		failures.add(failure(() -> this.client.subscribe("ann@example.com").block()));
		failures.add(failure(() -> this.client.create(ANN).block()));
		assertThat(failures).extracting(OutboundCallException::code)
			.containsExactly(ErrorCode.STAMPED_AUTH, ErrorCode.STAMPED_VALIDATION, ErrorCode.SUBSCRIPTION_FAILED,
					ErrorCode.STAMPED_TIMEOUT);
		for (OutboundCallException failure : failures) {
			assertThat(failure.getMessage()).doesNotContain(PRIVATE_KEY).doesNotContain(encoded);
			for (Throwable cause = failure.getCause(); cause != null; cause = cause.getCause()) {
				assertThat(String.valueOf(cause.getMessage())).doesNotContain(PRIVATE_KEY).doesNotContain(encoded);
			}
		}
		assertThat(failures.get(0).getMessage()).contains("key-…9876");
		assertThat(output.getAll()).contains("dashboard/customers").doesNotContain(PRIVATE_KEY).doesNotContain(encoded);
	}

	@Test
	void aCreateAnsweredWithAnUnreadableBodyIsRetriedLikeAReset() {
		this.server.enqueue(json(200, "{\"id\": 1434"));
		this.server.enqueue(json(201, "{\"id\": 143491}"));
		assertThat(this.client.create(ANN).block()).isEqualTo("143491");
		assertThat(this.server.getRequestCount()).isEqualTo(2);
	}

	@Test
	void unreadableAnswersOnEveryAttemptAreUnavailable() {
		for (int i = 0; i < 3; i++) {
			this.server.enqueue(json(200, "<html>garbled"));
		}
		OutboundCallException failure = failure(() -> this.client.create(ANN).block());
		assertThat(failure.code()).isEqualTo(ErrorCode.STAMPED_UNAVAILABLE);
		assertThat(failure.attempts()).isEqualTo(3);
		assertThat(failure.getMessage())
			.isEqualTo("Customer create or update failed: HTTP 200 with a body that cannot be read");
		assertThat(this.server.getRequestCount()).isEqualTo(3);
	}

	private static Logger logger(String name) {
		return (Logger) LoggerFactory.getLogger(name);
	}

	private static OutboundCallException failure(Runnable call) {
		return catchThrowableOfType(OutboundCallException.class, call::run);
	}

	private static long elapsedMillis(long startNanos) {
		return Duration.ofNanos(System.nanoTime() - startNanos).toMillis();
	}

}

package io.stampedsync.ipaas;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;

import io.stampedsync.outbound.Direction;
import io.stampedsync.outbound.ErrorCode;
import io.stampedsync.outbound.OutboundCall;
import io.stampedsync.outbound.OutboundCallException;
import io.stampedsync.outbound.OutboundProperties;
import io.stampedsync.subscription.Secret;
import io.stampedsync.subscription.SubscriptionSettings;
import io.stampedsync.testing.Customers;
import io.stampedsync.throttle.InMemorySubscriptionRegistry;
import io.stampedsync.throttle.ThrottleRegistry;
import io.stampedsync.transfer.IpaasCustomer;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import mockwebserver3.SocketEffect;
import mockwebserver3.junit5.StartStop;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.util.unit.DataSize;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * The two iPaaS.com calls on the wire (paths, bodies, the Bearer header) and the
 * classification of their failures.
 */
@Timeout(60)
class IpaasClientTests {

	static final String TOKEN = "ipaas-token-very-secret-7777";

	@StartStop
	final MockWebServer server = new MockWebServer();

	final InMemorySubscriptionRegistry registry = new InMemorySubscriptionRegistry();

	final ThrottleRegistry throttles = new ThrottleRegistry(this.registry, Clock.systemUTC(), System::nanoTime);

	final List<OutboundCall> calls = Collections.synchronizedList(new ArrayList<>());

	final JsonMapper json = JsonMapper.builder().build();

	IpaasClientFactory factory;

	IpaasClient client;

	@BeforeEach
	void setUp() {
		OutboundProperties properties = new OutboundProperties(Duration.ofSeconds(1), Duration.ofMillis(500), 3,
				Duration.ofMillis(50), Duration.ofMillis(200), 0.5, Duration.ofSeconds(2), Duration.ofMillis(100),
				Duration.ofSeconds(5), 100, Duration.ofSeconds(5), DataSize.ofMegabytes(1), Duration.ZERO);
		this.factory = new IpaasClientFactory(properties, this.throttles, this.registry, this.json,
				(call, context) -> this.calls.add(call), Clock.systemUTC(), null);
		SubscriptionSettings settings = new SubscriptionSettings("acme", "http://127.0.0.1:9", "pubkey-test",
				Secret.of("key-test-private"), "store-1", 1000, 1, 1000, 1, 2, 10, this.server.url("/").toString(),
				Secret.of(TOKEN), 4242L, Secret.of("hook-key-0001"), null, 1);
		this.registry.put(settings);
		this.throttles.afterPropertiesSet();
		this.factory.afterPropertiesSet();
		this.client = this.factory.forSubscription(settings);
	}

	@AfterEach
	void tearDown() {
		this.factory.destroy();
		this.throttles.destroy();
	}

	@Test
	void customerIsReadWithTheBearerTokenFromTheCustomersApi() throws Exception {
		this.server.enqueue(json(200,
				Customers.withoutId()
					.field("id", 150713)
					.email("ann@example.com")
					.firstName("Ann")
					.externalId(4242, "143491")
					.field("extra", 1)
					.json()));
		IpaasCustomer customer = this.client.customer("150713").block();
		assertThat(customer.id()).isEqualTo("150713");
		assertThat(customer.emailAddress()).isEqualTo("ann@example.com");
		assertThat(customer.externalIds()).containsExactly(new IpaasCustomer.ExternalId(4242L, "143491"));
		RecordedRequest request = this.server.takeRequest();
		assertThat(request.getMethod()).isEqualTo("GET");
		assertThat(request.getTarget()).isEqualTo("/customers/v2/Customer/150713");
		assertThat(request.getHeaders().get("Authorization")).isEqualTo("Bearer " + TOKEN);
		assertThat(this.calls).singleElement().satisfies((call) -> {
			assertThat(call.direction()).isEqualTo(Direction.IPAAS);
			assertThat(call.path()).isEqualTo("/customers/v2/Customer/150713");
			assertThat(call.status()).isEqualTo(200);
		});
	}

	@Test
	void aCustomerWithoutIdInTheBodyKeepsTheIdAskedFor() {
		this.server.enqueue(json(200, Customers.withoutId().email("ann@example.com").json()));
		assertThat(this.client.customer("77").block().id()).isEqualTo("77");
	}

	@Test
	void updateExternalIdPostsTheLinkUnderTheSystemId() throws Exception {
		this.server.enqueue(json(200, "{\"id\": 1}"));
		this.client.updateExternalId("150713", "143491").block();
		RecordedRequest request = this.server.takeRequest();
		assertThat(request.getMethod()).isEqualTo("POST");
		assertThat(request.getTarget()).isEqualTo("/customers/v2/External/UpdateExternalId");
		assertThat(request.getHeaders().get("Authorization")).isEqualTo("Bearer " + TOKEN);
		assertThat(this.json.readTree(request.getBody().utf8())).isEqualTo(this.json.readTree(
				"{\"table_name\":\"customer\",\"system_id\":4242,\"external_id\":\"143491\",\"internal_id\":\"150713\"}"));
	}

	@Test
	void anUnknownCustomerIsNotFoundAndNotRetried() {
		this.server.enqueue(json(404, "{\"message\": \"NFND-1005: Customer 9 was not found\"}"));
		OutboundCallException failure = failure(() -> this.client.customer("9").block());
		assertThat(failure.code()).isEqualTo(ErrorCode.IPAAS_NOT_FOUND);
		assertThat(failure.httpStatus()).isEqualTo(404);
		assertThat(failure.getMessage()).startsWith("iPaaS.com customer not found (reading customer 9): HTTP 404")
			.contains("NFND-1005");
		assertThat(this.server.getRequestCount()).isEqualTo(1);
	}

	@ParameterizedTest
	@ValueSource(ints = { 401, 403 })
	void rejectedCredentialsAreNotRetriedAndStopFurtherCalls(int status) {
		this.server.enqueue(json(status, "{\"message\": \"Unauthorized\"}"));
		OutboundCallException failure = failure(() -> this.client.customer("1").block());
		assertThat(failure.code()).isEqualTo(ErrorCode.IPAAS_AUTH);
		assertThat(failure.getMessage()).contains("HTTP " + status).contains("ipaasApiToken");
		assertThat(this.throttles.credentialsRejected("acme", Direction.IPAAS)).isTrue();
		assertThat(this.throttles.credentialsRejected("acme", Direction.STAMPED)).isFalse();

		OutboundCallException next = failure(() -> this.client.updateExternalId("1", "2").block());
		assertThat(next.code()).isEqualTo(ErrorCode.IPAAS_AUTH);
		assertThat(this.server.getRequestCount()).as("no call while the credentials are rejected").isEqualTo(1);
	}

	@Test
	void serverErrorsAreRetriedThenUnavailable() {
		for (int i = 0; i < 3; i++) {
			this.server.enqueue(json(503, "{\"message\": \"maintenance\"}"));
		}
		OutboundCallException failure = failure(() -> this.client.customer("1").block());
		assertThat(failure.code()).isEqualTo(ErrorCode.IPAAS_UNAVAILABLE);
		assertThat(failure.attempts()).isEqualTo(3);
		assertThat(this.server.getRequestCount()).isEqualTo(3);
		assertThat(this.calls).extracting(OutboundCall::attempt).containsExactly(1, 2, 3);
	}

	@Test
	void aServerErrorThenSuccessGivesTheCustomer() {
		this.server.enqueue(json(500, ""));
		this.server.enqueue(json(200, Customers.customer("1").email("a@example.com").json()));
		assertThat(this.client.customer("1").block().emailAddress()).isEqualTo("a@example.com");
	}

	@Test
	void tooManyRequestsCoolsTheIpaasDirectionDownAndRetries() {
		this.server.enqueue(new MockResponse.Builder().code(429).addHeader("Retry-After", "1").build());
		this.server.enqueue(json(200, Customers.customer("1").json()));
		long start = System.nanoTime();
		this.client.customer("1").block();
		assertThat(this.server.getRequestCount()).isEqualTo(2);
		assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(900));
		assertThat(this.throttles.credentialsRejected("acme", Direction.IPAAS)).isFalse();
	}

	@Test
	void noResponseInTimeIsUnavailable() {
		for (int i = 0; i < 3; i++) {
			this.server.enqueue(json(200, "{}").newBuilder().headersDelay(3, TimeUnit.SECONDS).build());
		}
		OutboundCallException failure = failure(() -> this.client.customer("1").block());
		assertThat(failure.code()).isEqualTo(ErrorCode.IPAAS_UNAVAILABLE);
		assertThat(failure.getMessage()).contains("no response from iPaaS.com within 500 ms");
	}

	@Test
	void aConnectionClosedMidResponseIsRetried() {
		this.server.enqueue(json(200, Customers.customer("1").email("x".repeat(100_000)).json()).newBuilder()
			.onResponseBody(SocketEffect.ShutdownConnection.INSTANCE)
			.build());
		this.server.enqueue(json(200, Customers.customer("1").email("a@example.com").json()));
		assertThat(this.client.customer("1").block().emailAddress()).isEqualTo("a@example.com");
		assertThat(this.server.getRequestCount()).isEqualTo(2);
	}

	@Test
	void aTokenEchoedByIpaasNeverReachesTheMessageOrTheTrace() {
		this.server.enqueue(json(400, "{\"message\": \"bad token " + TOKEN + "\"}"));
		OutboundCallException failure = failure(() -> this.client.updateExternalId("1", "2").block());
		assertThat(failure.code()).isEqualTo(ErrorCode.IPAAS_NOT_FOUND);
		assertThat(failure.getMessage()).doesNotContain(TOKEN).contains("HTTP 400");
		assertThat(this.calls).allSatisfy((call) -> assertThat(call.toString()).doesNotContain(TOKEN));
	}

	@Test
	void aTokenAcrossTheCutOfAMessageLeavesNoPrefix() {
		// 280 characters, then the token: a cut at 300 before masking kept its first 20.
		this.server.enqueue(json(400, "{\"message\": \"" + "x".repeat(280) + " " + TOKEN + "\"}"));
		OutboundCallException failure = failure(() -> this.client.updateExternalId("1", "2").block());
		assertThat(failure.getMessage()).doesNotContain(TOKEN.substring(0, 12)).contains("HTTP 400 xxx");
	}

	private static OutboundCallException failure(Runnable call) {
		return catchThrowableOfType(OutboundCallException.class, call::run);
	}

	@Test
	void aCustomerAnsweredWithAnUnreadableBodyIsReadAgain() {
		this.server.enqueue(json(200, "{\"id\": 150713, \"email_addr"));
		this.server.enqueue(json(200, Customers.customer("150713").email("ann@example.com").json()));
		assertThat(this.client.customer("150713").block().emailAddress()).isEqualTo("ann@example.com");
		assertThat(this.server.getRequestCount()).isEqualTo(2);
	}

	@Test
	void unreadableCustomersOnEveryAttemptAreUnavailable() {
		for (int i = 0; i < 3; i++) {
			this.server.enqueue(json(200, "not json"));
		}
		assertThatThrownBy(() -> this.client.customer("150713").block())
			.isInstanceOfSatisfying(OutboundCallException.class, (failure) -> {
				assertThat(failure.code()).isEqualTo(ErrorCode.IPAAS_UNAVAILABLE);
				assertThat(failure.attempts()).isEqualTo(3);
			});
		assertThat(this.server.getRequestCount()).isEqualTo(3);
	}

	static MockResponse json(int code, String body) {
		return new MockResponse.Builder().code(code).addHeader("Content-Type", "application/json").body(body).build();
	}

}

package io.stampedsync.stamped;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import io.stampedsync.outbound.Direction;
import io.stampedsync.outbound.ErrorCode;
import io.stampedsync.outbound.OutboundCallException;
import io.stampedsync.subscription.Secret;
import io.stampedsync.subscription.SubscriptionSettings;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import mockwebserver3.junit5.StartStop;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static io.stampedsync.stamped.StampedFixture.ANN;
import static io.stampedsync.stamped.StampedFixture.BASIC;
import static io.stampedsync.stamped.StampedFixture.json;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Credentials by settings version (DESIGN.md §5, PITFALLS 12): the late 401 of a call
 * made with superseded keys, held by the server until the new keys are saved, never stops
 * the new keys; a 401 of the current keys still does.
 */
@Timeout(30)
class StaleCredentialsTests {

	static final String NEW_KEY = "key-new-private-5555";

	static final String NEW_BASIC = "Basic "
			+ Base64.getEncoder().encodeToString(("pubkey-test-1234:" + NEW_KEY).getBytes(StandardCharsets.UTF_8));

	@StartStop
	final MockWebServer server = new MockWebServer();

	private final CountDownLatch oldCallArrived = new CountDownLatch(1);

	private final CountDownLatch releaseOldCall = new CountDownLatch(1);

	private StampedFixture fixture;

	@BeforeEach
	void setUp() {
		this.fixture = new StampedFixture(this.server.url("/").toString());
		this.fixture.registry.put(this.fixture.settings);
		this.server.setDispatcher(new Dispatcher() {
			@Override
			public MockResponse dispatch(RecordedRequest request) throws InterruptedException {
				String authorization = request.getHeaders().get("Authorization");
				if (BASIC.equals(authorization)) {
					// The old keys: held until the test has saved the new ones.
					StaleCredentialsTests.this.oldCallArrived.countDown();
					StaleCredentialsTests.this.releaseOldCall.await(10, TimeUnit.SECONDS);
					return json(401, "{\"message\": \"Unauthorized\"}");
				}
				return NEW_BASIC.equals(authorization) ? json(200, "{\"id\": 7}") : json(401, "{}");
			}
		});
	}

	@AfterEach
	void tearDown() {
		this.fixture.close();
	}

	@Test
	void lateRejectionOfSupersededKeysLeavesTheCurrentKeysAccepted() throws Exception {
		SubscriptionSettings old = this.fixture.settings;
		CompletableFuture<String> late = this.fixture.factory.forSubscription(old).create(ANN).toFuture();
		assertThat(this.oldCallArrived.await(10, TimeUnit.SECONDS)).isTrue();

		SubscriptionSettings current = withPrivateKey(old, NEW_KEY);
		this.fixture.registry.put(current);
		StampedClient client = this.fixture.factory.forSubscription(current);
		this.releaseOldCall.countDown();

		OutboundCallException failure = failureOf(late);
		assertThat(failure.code()).isEqualTo(ErrorCode.STAMPED_AUTH);
		assertThat(failure.settingsVersion()).isEqualTo(old.version());
		assertThat(this.fixture.throttles.credentialsRejected(old.id(), Direction.STAMPED))
			.as("a 401 of superseded keys does not reject the current ones")
			.isFalse();
		assertThat(client.create(ANN).block()).isEqualTo("7");
	}

	@Test
	void rejectionOfTheCurrentKeysStopsCallsUntilNewSettings() throws Exception {
		SubscriptionSettings current = this.fixture.settings;
		CompletableFuture<String> call = this.fixture.factory.forSubscription(current).create(ANN).toFuture();
		this.releaseOldCall.countDown();

		OutboundCallException failure = failureOf(call);
		assertThat(failure.code()).isEqualTo(ErrorCode.STAMPED_AUTH);
		assertThat(failure.settingsVersion()).isEqualTo(current.version());
		assertThat(this.fixture.throttles.credentialsRejected(current.id(), Direction.STAMPED)).isTrue();

		SubscriptionSettings fixed = withPrivateKey(current, NEW_KEY);
		this.fixture.registry.put(fixed);
		assertThat(this.fixture.throttles.credentialsRejected(current.id(), Direction.STAMPED)).isFalse();
		assertThat(this.fixture.factory.forSubscription(fixed).create(ANN).block()).isEqualTo("7");
	}

	private static OutboundCallException failureOf(CompletableFuture<?> call) throws Exception {
		try {
			call.get(10, TimeUnit.SECONDS);
		}
		catch (ExecutionException ex) {
			assertThat(ex.getCause()).isInstanceOf(OutboundCallException.class);
			return (OutboundCallException) ex.getCause();
		}
		throw new AssertionError("the call succeeded");
	}

	static SubscriptionSettings withPrivateKey(SubscriptionSettings s, String key) {
		return new SubscriptionSettings(s.id(), s.apiUrl(), s.apiPublicKey(), Secret.of(key), s.apiStoreHash(),
				s.apiThrottleLimit(), s.apiThrottleSeconds(), s.ipaasThrottleLimit(), s.ipaasThrottleSeconds(),
				s.concurrentConnections(), s.concurrentBatchExecutions(), s.ipaasApiUrl(), s.ipaasApiToken(),
				s.ipaasSystemId(), s.webhookApiKey(), s.subscriptionStateField(), s.version() + 1);
	}

}

package io.stampedsync.stamped;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.List;

import io.stampedsync.outbound.OutboundCall;
import io.stampedsync.outbound.OutboundProperties;
import io.stampedsync.subscription.SubscriptionSettings;
import io.stampedsync.throttle.InMemorySubscriptionRegistry;
import io.stampedsync.throttle.ThrottleRegistry;
import mockwebserver3.MockResponse;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.util.unit.DataSize;

/** A Stamped.io client wired by hand against a MockWebServer, with small delays. */
final class StampedFixture {

	static final String PRIVATE_KEY = "key-very-secret-private-9876";

	static final String BASIC = "Basic "
			+ Base64.getEncoder().encodeToString(("pubkey-test-1234:" + PRIVATE_KEY).getBytes(StandardCharsets.UTF_8));

	static final StampedCustomer ANN = new StampedCustomer("ann@example.com", "Ann", "Lee", "C-1", null, null);

	final InMemorySubscriptionRegistry registry = new InMemorySubscriptionRegistry();

	final ThrottleRegistry throttles = new ThrottleRegistry(this.registry, Clock.systemUTC(), System::nanoTime);

	final List<OutboundCall> calls = Collections.synchronizedList(new ArrayList<>());

	final JsonMapper json = JsonMapper.builder().build();

	final StampedClientFactory factory;

	final SubscriptionSettings settings;

	StampedFixture(String apiUrl, OutboundProperties properties) {
		this.factory = new StampedClientFactory(properties, this.throttles, this.registry, this.json,
				(call, context) -> this.calls.add(call), Clock.systemUTC(), null);
		this.settings = InMemorySubscriptionRegistry.settings("acme", apiUrl, 1000, 1, 1);
		this.throttles.afterPropertiesSet();
		this.factory.afterPropertiesSet();
	}

	StampedFixture(String apiUrl) {
		this(apiUrl, properties(3));
	}

	/**
	 * Test settings: backoff 50..200 ms, response timeout 500 ms, Retry-After capped at 2
	 * s, cool-down after a bare 429 100 ms.
	 */
	static OutboundProperties properties(int maxAttempts) {
		return new OutboundProperties(Duration.ofSeconds(1), Duration.ofMillis(500), maxAttempts, Duration.ofMillis(50),
				Duration.ofMillis(200), 0.5, Duration.ofSeconds(2), Duration.ofMillis(100), Duration.ofSeconds(5), 100,
				Duration.ofSeconds(5), DataSize.ofMegabytes(1), Duration.ZERO);
	}

	StampedClient client() {
		return this.factory.forSubscription(this.settings);
	}

	void close() {
		this.factory.destroy();
		this.throttles.destroy();
	}

	static MockResponse json(int code, String body) {
		return new MockResponse.Builder().code(code).addHeader("Content-Type", "application/json").body(body).build();
	}

}

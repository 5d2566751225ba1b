package io.stampedsync.web.security;

import java.nio.file.Path;
import java.util.Map;

import io.stampedsync.TestSubscriptions;
import io.stampedsync.TestTokens;
import io.stampedsync.sandbox.StampedSimulator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;

/**
 * One limiter for every failed authentication: wrong Bearer tokens, wrong webhook keys
 * and wrong logins all count against the client address, and a throttled address gets 429
 * with Retry-After on every path, even with the right credentials. Loopback is a trusted
 * proxy here, so each test is its own client through {@code X-Forwarded-For}.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "stamped-sync.security.login-failures-per-minute=3",
				"stamped-sync.security.trusted-proxies=127.0.0.0/8,::1" })
@AutoConfigureWebTestClient
class FailedAuthenticationThrottleTests {

	static final StampedSimulator stamped = TestSubscriptions.stampedSimulator();

	static final String HOOK_KEY = "hook-key-throttle-test-0001";

	static final String HOOK_BODY = "{\"notifications\": []}";

	@TempDir
	static Path dataDir;

	@Autowired
	WebTestClient client;

	@DynamicPropertySource
	static void properties(DynamicPropertyRegistry registry) {
		TestSubscriptions.gateway(registry, dataDir);
		TestSubscriptions.subscription(registry, "acme", stamped, Map.of("webhook-api-key", HOOK_KEY));
	}

	@AfterAll
	static void stop() {
		stamped.close();
	}

	@Test
	void wrongBearerTokensThrottleTheAddressEvenForTheRightToken() {
		String client = "203.0.113.1";
		for (int i = 0; i < 3; i++) {
			get(client, "wrong-token-guess-000" + i).expectStatus().isUnauthorized();
		}
		assertThrottled(get(client, TestTokens.READER));
		get("203.0.113.99", TestTokens.READER).expectStatus().isOk();
	}

	@Test
	void wrongWebhookKeysThrottleTheAddressEvenForTheRightKey() {
		String client = "203.0.113.2";
		for (int i = 0; i < 3; i++) {
			hook(client, HOOK_KEY + i).expectStatus().isUnauthorized();
		}
		assertThrottled(hook(client, HOOK_KEY));
	}

	@Test
	void loginsTokensAndHookKeysShareOneLimiter() {
		String client = "203.0.113.3";
		this.client.post()
			.uri("/api/v1/session")
			.header(ClientAddress.FORWARDED_FOR, client)
			.contentType(MediaType.APPLICATION_JSON)
			.bodyValue(Map.of("token", "wrong-token-guess-0000"))
			.exchange()
			.expectStatus()
			.isUnauthorized();
		get(client, "wrong-token-guess-0001").expectStatus().isUnauthorized();
		hook(client, "wrong-hook-key-guess-0002").expectStatus().isUnauthorized();
		assertThrottled(get(client, TestTokens.ADMIN));
	}

	@Test
	void callsWithoutCredentialsAreNotCounted() {
		String client = "203.0.113.4";
		for (int i = 0; i < 5; i++) {
			this.client.get()
				.uri("/api/v1/batches")
				.header(ClientAddress.FORWARDED_FOR, client)
				.exchange()
				.expectStatus()
				.isUnauthorized();
		}
		get(client, TestTokens.READER).expectStatus().isOk();
	}

	private WebTestClient.ResponseSpec get(String client, String token) {
		return this.client.get()
			.uri("/api/v1/batches")
			.header(ClientAddress.FORWARDED_FOR, client)
			.header(HttpHeaders.AUTHORIZATION, TestTokens.bearer(token))
			.exchange();
	}

	private WebTestClient.ResponseSpec hook(String client, String key) {
		return this.client.post()
			.uri("/api/v1/subscriptions/acme/hooks")
			.header(ClientAddress.FORWARDED_FOR, client)
			.header(HttpHeaders.AUTHORIZATION, TestTokens.bearer(key))
			.contentType(MediaType.APPLICATION_JSON)
			.bodyValue(HOOK_BODY)
			.exchange();
	}

	private static void assertThrottled(WebTestClient.ResponseSpec response) {
		response.expectStatus()
			.isEqualTo(429)
			.expectHeader()
			.exists(HttpHeaders.RETRY_AFTER)
			.expectHeader()
			.contentType(MediaType.APPLICATION_PROBLEM_JSON);
	}

}

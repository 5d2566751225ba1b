package io.stampedsync.subscription;

import io.stampedsync.TestTokens;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.HashMap;
import java.util.Map;

import io.stampedsync.stamped.StampedClients;
import io.stampedsync.subscription.SubscriptionRegistry.SubscriptionChange;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import reactor.test.StepVerifier;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.context.annotation.Primary;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;

import static org.assertj.core.api.Assertions.assertThat;

@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "management.server.port=0", "stamped-sync.security.allow-loopback-urls=true",
				"stamped-sync.subscriptions.configured.api-url=https://stamped.io",
				"stamped-sync.subscriptions.configured.api-public-key=pubkey-config",
				"stamped-sync.subscriptions.configured.api-private-key=key-configured-secret-5678",
				"stamped-sync.subscriptions.configured.api-store-hash=777",
				"stamped-sync.subscriptions.configured.concurrent-connections=3" })
@AutoConfigureWebTestClient
@Import(TestTokens.AdminClient.class)
@ExtendWith(OutputCaptureExtension.class)
class SubscriptionApiTests {

	static final String PRIVATE_KEY = "key-abcdefghijklmnop1234";

	static final String TOKEN = "token-ipaas-secret-abcd";

	static final String HOOK_KEY = "hook-key-secret-wxyz";

	@TempDir
	static Path dataDir;

	@DynamicPropertySource
	static void dataDir(DynamicPropertyRegistry registry) {
		registry.add("stamped-sync.data-dir", () -> dataDir.toString());
		TestTokens.register(registry);
	}

	@Autowired
	WebTestClient client;

	@Autowired
	SubscriptionRegistry registry;

	static Map<String, Object> body(String storeHash) {
		return Map.of("apiUrl", "https://stamped.io", "apiPublicKey", "pubkey-1", "apiPrivateKey", PRIVATE_KEY,
				"apiStoreHash", storeHash, "ipaasApiUrl", "https://api.ipaas.com", "ipaasApiToken", TOKEN,
				"ipaasSystemId", 42, "webhookApiKey", HOOK_KEY);
	}

	@Test
	void createsWith201AndLocationAndMasksSecrets(CapturedOutput output) {
		String json = put("create-me", body("270392")).expectStatus()
			.isCreated()
			.expectHeader()
			.location("/api/v1/subscriptions/create-me")
			.expectBody(String.class)
			.returnResult()
			.getResponseBody();
		this.client.get()
			.uri("/api/v1/subscriptions/create-me")
			.exchange()
			.expectBody()
			.jsonPath("$.id")
			.isEqualTo("create-me")
			.jsonPath("$.source")
			.isEqualTo("api")
			.jsonPath("$.version")
			.isEqualTo(1)
			.jsonPath("$.apiPrivateKey")
			.isEqualTo("key-…1234")
			.jsonPath("$.apiPassword")
			.isEqualTo("key-…1234")
			.jsonPath("$.apiUser")
			.isEqualTo("pubkey-1")
			.jsonPath("$.apiThrottleLimit")
			.isEqualTo(500)
			.jsonPath("$.concurrentConnections")
			.isEqualTo(2)
			.jsonPath("$.ipaasSystemId")
			.isEqualTo(42)
			.jsonPath("$.ipaasApiToken")
			.isEqualTo("token-…abcd")
			.jsonPath("$.webhookApiKey")
			.isEqualTo("hook-…wxyz");
		String read = getJson("/api/v1/subscriptions/create-me");
		String list = getJson("/api/v1/subscriptions");
		for (String text : List.of(json, read, list, output.getAll())) {
			assertThat(text).doesNotContain(PRIVATE_KEY, TOKEN, HOOK_KEY);
		}
		assertThat(read).contains("key-…1234");
	}

	@Test
	void replaceKeepsOmittedSecretsAndIncrementsTheVersion(CapturedOutput output) {
		put("keep-secrets", body("270392")).expectStatus().isCreated();
		this.client.put()
			.uri("/api/v1/subscriptions/keep-secrets")
			.bodyValue(Map.of("apiUrl", "https://stamped.io", "apiPublicKey", "pubkey-1", "apiStoreHash", "270392",
					"apiThrottleLimit", 120, "ipaasApiUrl", "https://api.ipaas.com", "ipaasSystemId", 42))
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody()
			.jsonPath("$.version")
			.isEqualTo(2)
			.jsonPath("$.apiThrottleLimit")
			.isEqualTo(120);
		SubscriptionSettings settings = this.registry.find("keep-secrets").block(Duration.ofSeconds(10));
		assertThat(settings.apiPrivateKey().reveal()).isEqualTo(PRIVATE_KEY);
		assertThat(settings.ipaasApiToken().reveal()).isEqualTo(TOKEN);
		assertThat(settings.webhookApiKey().reveal()).isEqualTo(HOOK_KEY);
		assertThat(settings.apiThrottleLimit()).isEqualTo(120);
		assertThat(output.getAll()).doesNotContain(PRIVATE_KEY, TOKEN, HOOK_KEY);
	}

	@Test
	void aReplaceMovingAUrlToAnotherHostMustResendThatHostsSecrets() {
		put("moving", body("270392")).expectStatus().isCreated();
		Map<String, Object> moved = new HashMap<>(Map.of("apiUrl", "https://eu.stamped.io", "apiPublicKey", "pubkey-1",
				"apiStoreHash", "270392", "ipaasApiUrl", "https://other.ipaas.com", "ipaasSystemId", 42));
		String problem = put("moving", moved).expectStatus()
			.isEqualTo(422)
			.expectBody(String.class)
			.returnResult()
			.getResponseBody();
		assertThat(problem).contains("apiPrivateKey", "ipaasApiToken", "must be sent again").doesNotContain("key-…");
		SubscriptionSettings unchanged = this.registry.find("moving").block(Duration.ofSeconds(10));
		assertThat(unchanged.apiUrl()).isEqualTo("https://stamped.io");
		moved.put("apiPrivateKey", "key-eu-private-key-0001");
		moved.put("ipaasApiToken", "token-other-ipaas-0001");
		put("moving", moved).expectStatus().isOk();
		SubscriptionSettings settings = this.registry.find("moving").block(Duration.ofSeconds(10));
		assertThat(settings.apiUrl()).isEqualTo("https://eu.stamped.io");
		assertThat(settings.apiPrivateKey().reveal()).isEqualTo("key-eu-private-key-0001");
		assertThat(settings.ipaasApiToken().reveal()).isEqualTo("token-other-ipaas-0001");
	}

	@Test
	void acceptsAViewEditedAndPutBack() {
		put("round-trip", body("270392")).expectStatus().isCreated();
		String view = getJson("/api/v1/subscriptions/round-trip");
		this.client.put()
			.uri("/api/v1/subscriptions/round-trip")
			.contentType(MediaType.APPLICATION_JSON)
			.bodyValue(view.replace("\"concurrentConnections\":2", "\"concurrentConnections\":5"))
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody()
			.jsonPath("$.concurrentConnections")
			.isEqualTo(5)
			.jsonPath("$.version")
			.isEqualTo(2);
		SubscriptionSettings settings = this.registry.find("round-trip").block(Duration.ofSeconds(10));
		assertThat(settings.apiPrivateKey().reveal()).isEqualTo(PRIVATE_KEY);
		assertThat(settings.ipaasApiToken().reveal()).isEqualTo(TOKEN);
		assertThat(settings.webhookApiKey().reveal()).isEqualTo(HOOK_KEY);
	}

	@Test
	void replaceClearsAnOptionalSecretSentEmpty() {
		put("clear-hook", body("270392")).expectStatus().isCreated();
		Map<String, Object> cleared = new HashMap<>(body("270392"));
		cleared.put("webhookApiKey", "");
		put("clear-hook", cleared).expectStatus().isOk().expectBody().jsonPath("$.webhookApiKey").isEmpty();
		assertThat(this.registry.find("clear-hook").block(Duration.ofSeconds(10)).webhookApiKey()).isNull();
	}

	@Test
	void rejectsDifferingDuplicatesNamingBothFieldsWithoutValues() {
		Map<String, Object> body = new HashMap<>(body("270392"));
		body.put("apiUser", "pubkey-other");
		body.put("apiPassword", "key-other-password-9876");
		String problem = put("duplicates", body).expectStatus()
			.isEqualTo(HttpStatus.UNPROCESSABLE_CONTENT)
			.expectHeader()
			.contentType(MediaType.APPLICATION_PROBLEM_JSON)
			.expectBody(String.class)
			.returnResult()
			.getResponseBody();
		assertThat(problem).contains("\"field\":\"apiUser\"", "\"field\":\"apiPassword\"", "apiPublicKey",
				"apiPrivateKey");
		assertThat(problem).doesNotContain("pubkey-other", "key-other-password", "9876", PRIVATE_KEY, "pubkey-1");
		getStatus("/api/v1/subscriptions/duplicates", HttpStatus.NOT_FOUND);
	}

	@Test
	void rejectsInvalidSettingsWithTheirFieldsAndRules() {
		put("invalid", Map.of("apiUrl", "http://evil.example", "apiPublicKey", "p", "apiThrottleLimit", 0))
			.expectStatus()
			.isEqualTo(HttpStatus.UNPROCESSABLE_CONTENT)
			.expectHeader()
			.contentType(MediaType.APPLICATION_PROBLEM_JSON)
			.expectBody()
			.jsonPath("$.status")
			.isEqualTo(422)
			.jsonPath("$.instance")
			.isEqualTo("/api/v1/subscriptions/invalid")
			.jsonPath("$.errors[?(@.field == 'apiUrl')].rule")
			.exists()
			.jsonPath("$.errors[?(@.field == 'apiPrivateKey')].rule")
			.isEqualTo("required")
			.jsonPath("$.errors[?(@.field == 'apiStoreHash')].rule")
			.isEqualTo("required")
			.jsonPath("$.errors[?(@.field == 'apiThrottleLimit')].rule")
			.isEqualTo("must be at least 1");
	}

	@Test
	void rejectsAnIdThatIsNotPathSafe() {
		put("Not_Safe", body("270392")).expectStatus()
			.isEqualTo(HttpStatus.UNPROCESSABLE_CONTENT)
			.expectBody()
			.jsonPath("$.errors[0].field")
			.isEqualTo("id");
	}

	@Test
	void answersAnUnreadableBodyWith400WithoutEchoingIt() {
		String problem = this.client.put()
			.uri("/api/v1/subscriptions/unreadable")
			.contentType(MediaType.APPLICATION_JSON)
			.bodyValue("{\"apiThrottleLimit\": \"" + PRIVATE_KEY + "\"}")
			.exchange()
			.expectStatus()
			.isBadRequest()
			.expectHeader()
			.contentType(MediaType.APPLICATION_PROBLEM_JSON)
			.expectBody(String.class)
			.returnResult()
			.getResponseBody();
		assertThat(problem).contains("apiThrottleLimit").doesNotContain(PRIVATE_KEY, "abcdefgh", "Exception");
		this.client.put()
			.uri("/api/v1/subscriptions/unreadable")
			.contentType(MediaType.APPLICATION_JSON)
			.bodyValue("{not json")
			.exchange()
			.expectStatus()
			.isBadRequest()
			.expectHeader()
			.contentType(MediaType.APPLICATION_PROBLEM_JSON);
	}

	@Test
	void answersUnknownSubscriptionsAndRoutesWith404Problems() {
		getStatus("/api/v1/subscriptions/nobody", HttpStatus.NOT_FOUND);
		this.client.get()
			.uri("/api/v1/subscriptions/nobody")
			.exchange()
			.expectBody()
			.jsonPath("$.detail")
			.isEqualTo("No subscription with id nobody");
		getStatus("/api/v1/no-such-route", HttpStatus.NOT_FOUND);
		this.client.get()
			.uri("/api/v1/no-such-route")
			.exchange()
			.expectBody()
			.jsonPath("$.detail")
			.isEqualTo("No route GET /api/v1/no-such-route");
		this.client.post()
			.uri("/api/v1/subscriptions/nobody/verify")
			.exchange()
			.expectStatus()
			.isNotFound()
			.expectHeader()
			.contentType(MediaType.APPLICATION_PROBLEM_JSON);
		this.client.delete()
			.uri("/api/v1/subscriptions/nobody")
			.exchange()
			.expectStatus()
			.isNotFound()
			.expectHeader()
			.contentType(MediaType.APPLICATION_PROBLEM_JSON);
	}

	@Test
	void answersAWrongMethodWithA405Problem() {
		this.client.post()
			.uri("/api/v1/subscriptions")
			.exchange()
			.expectStatus()
			.isEqualTo(HttpStatus.METHOD_NOT_ALLOWED)
			.expectHeader()
			.contentType(MediaType.APPLICATION_PROBLEM_JSON);
	}

	@Test
	void deletesWith204AndAnnouncesChanges() {
		StepVerifier.create(this.registry.changes().filter((change) -> change.id().equals("short-lived")).take(3))
			.then(() -> put("short-lived", body("270392")).expectStatus().isCreated())
			.assertNext((change) -> assertThat(change.settings().version()).isEqualTo(1))
			.then(() -> this.client.delete()
				.uri("/api/v1/subscriptions/short-lived")
				.exchange()
				.expectStatus()
				.isNoContent())
			.assertNext((change) -> assertThat(change.deleted()).isTrue())
			.then(() -> put("short-lived", body("270392")).expectStatus().isCreated())
			.assertNext((change) -> assertThat(change.settings().version())
				.as("a re-created subscription does not reuse a version")
				.isEqualTo(2))
			.expectComplete()
			.verify(Duration.ofSeconds(30));
		getStatus("/api/v1/subscriptions/short-lived", HttpStatus.OK);
	}

	@Test
	void showsConfiguredSubscriptionsAsReadOnly() {
		this.client.get()
			.uri("/api/v1/subscriptions/configured")
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody()
			.jsonPath("$.source")
			.isEqualTo("config")
			.jsonPath("$.concurrentConnections")
			.isEqualTo(3)
			.jsonPath("$.apiPrivateKey")
			.isEqualTo("key-…5678");
		this.client.get()
			.uri("/api/v1/subscriptions")
			.exchange()
			.expectBody()
			.jsonPath("$[?(@.id == 'configured')].source")
			.isEqualTo("config");
		put("configured", body("270392")).expectStatus()
			.isEqualTo(HttpStatus.CONFLICT)
			.expectHeader()
			.contentType(MediaType.APPLICATION_PROBLEM_JSON);
		this.client.delete()
			.uri("/api/v1/subscriptions/configured")
			.exchange()
			.expectStatus()
			.isEqualTo(HttpStatus.CONFLICT);
		StepVerifier.create(this.registry.find("configured").map(SubscriptionSettings::apiStoreHash))
			.expectNext("777")
			.verifyComplete();
	}

	@Test
	void verifySaysWhichSettingIsWrong() {
		verify("verify-ok", "270392").jsonPath("$.ok").isEqualTo(true).jsonPath("$.code").doesNotExist();
		verify("verify-keys", "bad-keys").jsonPath("$.ok")
			.isEqualTo(false)
			.jsonPath("$.code")
			.isEqualTo("STAMPED_AUTH")
			.jsonPath("$.setting")
			.isEqualTo("apiPublicKey")
			.jsonPath("$.message")
			.value((String message) -> assertThat(message).contains("API Public Key", "API Private Key",
					"API Store Hash"));
		verify("verify-store", "bad-store").jsonPath("$.setting").isEqualTo("apiStoreHash");
		verify("verify-down", "down").jsonPath("$.code").isEqualTo("NETWORK").jsonPath("$.setting").isEqualTo("apiUrl");
		verify("verify-busy", "busy").jsonPath("$.code")
			.isEqualTo("STAMPED_RATE_LIMITED")
			.jsonPath("$.setting")
			.doesNotExist()
			.jsonPath("$.message")
			.isEqualTo("Customer create or update failed: HTTP 429 from Stamped.io");
	}

	private WebTestClient.BodyContentSpec verify(String id, String storeHash) {
		put(id, body(storeHash)).expectStatus().isCreated();
		return this.client.post()
			.uri("/api/v1/subscriptions/{id}/verify", id)
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody();
	}

	private WebTestClient.ResponseSpec put(String id, Map<String, Object> body) {
		return this.client.put().uri("/api/v1/subscriptions/{id}", id).bodyValue(body).exchange();
	}

	private String getJson(String path) {
		return this.client.get()
			.uri(path)
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody(String.class)
			.returnResult()
			.getResponseBody();
	}

	private void getStatus(String path, HttpStatus status) {
		var spec = this.client.get().uri(path).exchange().expectStatus().isEqualTo(status);
		if (status.isError()) {
			spec.expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON);
		}
	}

	@TestConfiguration
	static class FakeStamped {

		@Bean
		@Primary
		StampedClients fakeStampedClients() {
			return new FakeStampedClients();
		}

	}

}

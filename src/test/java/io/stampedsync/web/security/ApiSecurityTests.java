package io.stampedsync.web.security;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import io.stampedsync.TestSubscriptions;
import io.stampedsync.TestTokens;
import io.stampedsync.sandbox.StampedSimulator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalManagementPort;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseCookie;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;

import static org.assertj.core.api.Assertions.assertThat;

/** Tokens, roles, the browser session and the open paths, against a running gateway. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@AutoConfigureWebTestClient
class ApiSecurityTests {

	static final StampedSimulator stamped = TestSubscriptions.stampedSimulator();

	static final String HOOK_KEY = "hook-key-security-test-0001";

	static final String NDJSON_CUSTOMER = "{\"id\":\"sec-1\",\"email_address\":\"sec1@example.com\"}\n";

	@TempDir
	static Path dataDir;

	@Autowired
	WebTestClient client;

	@LocalManagementPort
	int managementPort;

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
	void callWithoutTokenIs401ProblemWithBearerChallenge() {
		this.client.get()
			.uri("/api/v1/batches")
			.exchange()
			.expectStatus()
			.isUnauthorized()
			.expectHeader()
			.valueEquals(HttpHeaders.WWW_AUTHENTICATE, "Bearer")
			.expectHeader()
			.contentType(MediaType.APPLICATION_PROBLEM_JSON)
			.expectBody()
			.jsonPath("$.status")
			.isEqualTo(401)
			.jsonPath("$.instance")
			.isEqualTo("/api/v1/batches");
	}

	@Test
	void unknownTokenIs401AndNotEchoed() {
		String body = get("/api/v1/subscriptions", "not-a-configured-token-123456").expectStatus()
			.isUnauthorized()
			.expectHeader()
			.valueEquals(HttpHeaders.WWW_AUTHENTICATE, "Bearer")
			.expectBody(String.class)
			.returnResult()
			.getResponseBody();
		assertThat(body).doesNotContain("not-a-configured-token");
	}

	@Test
	void malformedAuthorizationIs401() {
		this.client.get()
			.uri("/api/v1/batches")
			.header(HttpHeaders.AUTHORIZATION, "Basic " + TestTokens.ADMIN)
			.exchange()
			.expectStatus()
			.isUnauthorized();
	}

	@Test
	void readerMayReadButNotPostABatch() {
		get("/api/v1/batches", TestTokens.READER).expectStatus().isOk();
		get("/api/v1/subscriptions/acme", TestTokens.READER).expectStatus().isOk();
		postBatch(TestTokens.READER).expectStatus()
			.isForbidden()
			.expectHeader()
			.contentType(MediaType.APPLICATION_PROBLEM_JSON)
			.expectBody()
			.jsonPath("$.status")
			.isEqualTo(403);
	}

	@Test
	void writerMayPostBatchesButNotChangeSettings() {
		postBatch(TestTokens.WRITER).expectStatus().isAccepted();
		this.client.put()
			.uri("/api/v1/subscriptions/other")
			.header(HttpHeaders.AUTHORIZATION, TestTokens.bearer(TestTokens.WRITER))
			.contentType(MediaType.APPLICATION_JSON)
			.bodyValue(Map.of("apiUrl", "https://stamped.io"))
			.exchange()
			.expectStatus()
			.isForbidden();
		this.client.post()
			.uri("/api/v1/subscriptions/acme/verify")
			.header(HttpHeaders.AUTHORIZATION, TestTokens.bearer(TestTokens.WRITER))
			.exchange()
			.expectStatus()
			.isForbidden();
	}

	@Test
	void writerMayCancelAndRetryButReaderMayNot() {
		String location = postBatch(TestTokens.WRITER).expectStatus()
			.isAccepted()
			.returnResult(String.class)
			.getResponseHeaders()
			.getLocation()
			.toString();
		this.client.delete()
			.uri(location)
			.header(HttpHeaders.AUTHORIZATION, TestTokens.bearer(TestTokens.READER))
			.exchange()
			.expectStatus()
			.isForbidden();
		this.client.post()
			.uri(location + "/retry")
			.header(HttpHeaders.AUTHORIZATION, TestTokens.bearer(TestTokens.READER))
			.exchange()
			.expectStatus()
			.isForbidden();
		// The batch may already be over (409 then): what matters is that the role passed.
		assertThat(status(this.client.delete()
			.uri(location)
			.header(HttpHeaders.AUTHORIZATION, TestTokens.bearer(TestTokens.WRITER))
			.exchange())).isIn(HttpStatus.ACCEPTED, HttpStatus.CONFLICT);
		assertThat(status(this.client.post()
			.uri(location + "/retry")
			.header(HttpHeaders.AUTHORIZATION, TestTokens.bearer(TestTokens.WRITER))
			.exchange())).isNotIn(HttpStatus.UNAUTHORIZED, HttpStatus.FORBIDDEN);
	}

	@Test
	void adminMayDoEverything() {
		postBatch(TestTokens.ADMIN).expectStatus().isAccepted();
		this.client.put()
			.uri("/api/v1/subscriptions/by-admin")
			.header(HttpHeaders.AUTHORIZATION, TestTokens.bearer(TestTokens.ADMIN))
			.contentType(MediaType.APPLICATION_JSON)
			.bodyValue(Map.of("apiUrl", "https://stamped.io", "apiPublicKey", "pubkey-admin", "apiPrivateKey",
					"key-admin-private-0001", "apiStoreHash", "42"))
			.exchange()
			.expectStatus()
			.isCreated();
		this.client.delete()
			.uri("/api/v1/subscriptions/by-admin")
			.header(HttpHeaders.AUTHORIZATION, TestTokens.bearer(TestTokens.ADMIN))
			.exchange()
			.expectStatus()
			.is2xxSuccessful();
	}

	@Test
	void hooksPathIsLeftToItsControllerWithTheWebhookKey() {
		HttpStatus status = status(this.client.post()
			.uri("/api/v1/subscriptions/acme/hooks")
			.header(HttpHeaders.AUTHORIZATION, TestTokens.bearer(HOOK_KEY))
			.contentType(MediaType.APPLICATION_JSON)
			.bodyValue("[]")
			.exchange());
		assertThat(status).isNotIn(HttpStatus.UNAUTHORIZED, HttpStatus.FORBIDDEN);
	}

	@Test
	void actuatorOnTheManagementPortNeedsNoToken() {
		WebTestClient management = WebTestClient.bindToServer()
			.baseUrl("http://127.0.0.1:" + this.managementPort)
			.build();
		for (String path : List.of("/actuator/health", "/actuator/health/liveness", "/actuator/health/readiness",
				"/actuator/prometheus")) {
			management.get().uri(path).exchange().expectStatus().isOk();
		}
	}

	@Test
	void pathsOutsideTheApiNeedNoToken() {
		for (String path : List.of("/", "/index.html", "/assets/app.js", "/v3/api-docs", "/swagger-ui/index.html")) {
			HttpStatus status = HttpStatus
				.valueOf(this.client.get().uri(path).exchange().returnResult(String.class).getStatus().value());
			assertThat(status).as(path).isNotIn(HttpStatus.UNAUTHORIZED, HttpStatus.FORBIDDEN);
		}
	}

	@Test
	void sessionCookieIsHttpOnlyStrictAndOpaque() {
		ResponseCookie cookie = login(TestTokens.READER);
		assertThat(cookie.isHttpOnly()).isTrue();
		assertThat(cookie.getSameSite()).isEqualTo("Strict");
		assertThat(cookie.getPath()).isEqualTo("/");
		assertThat(cookie.getValue()).hasSizeGreaterThanOrEqualTo(40).doesNotContain(TestTokens.READER);
		// Plain http from loopback: the only case without Secure.
		assertThat(cookie.isSecure()).isFalse();
	}

	@Test
	void sessionCookieAuthenticatesReadsAndNamesTheCaller() {
		ResponseCookie cookie = login(TestTokens.WRITER);
		this.client.get()
			.uri("/api/v1/session")
			.cookie(cookie.getName(), cookie.getValue())
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody()
			.jsonPath("$.name")
			.isEqualTo("test-writer")
			.jsonPath("$.role")
			.isEqualTo("writer");
		this.client.get()
			.uri("/api/v1/batches")
			.cookie(cookie.getName(), cookie.getValue())
			.exchange()
			.expectStatus()
			.isOk();
	}

	@Test
	void unsafeCallByCookieNeedsTheCsrfHeader() {
		ResponseCookie cookie = login(TestTokens.WRITER);
		this.client.post()
			.uri("/api/v1/subscriptions/acme/batches")
			.cookie(cookie.getName(), cookie.getValue())
			.contentType(MediaType.parseMediaType("application/x-ndjson"))
			.bodyValue(NDJSON_CUSTOMER)
			.exchange()
			.expectStatus()
			.isForbidden()
			.expectBody()
			.jsonPath("$.detail")
			.value((detail) -> assertThat(detail.toString()).contains("X-Requested-With"));
		this.client.post()
			.uri("/api/v1/subscriptions/acme/batches")
			.cookie(cookie.getName(), cookie.getValue())
			.header("X-Requested-With", "stamped-sync")
			.contentType(MediaType.parseMediaType("application/x-ndjson"))
			.bodyValue(NDJSON_CUSTOMER)
			.exchange()
			.expectStatus()
			.isAccepted();
	}

	@Test
	void logoutClearsTheCookieAndEndsTheSession() {
		ResponseCookie cookie = login(TestTokens.ADMIN);
		ResponseCookie cleared = this.client.delete()
			.uri("/api/v1/session")
			.cookie(cookie.getName(), cookie.getValue())
			.header("X-Requested-With", "stamped-sync")
			.exchange()
			.expectStatus()
			.isNoContent()
			.returnResult(Void.class)
			.getResponseCookies()
			.getFirst(ApiCredentials.SESSION_COOKIE);
		assertThat(cleared.getValue()).isEmpty();
		assertThat(cleared.getMaxAge()).isZero();
		this.client.get()
			.uri("/api/v1/session")
			.cookie(cookie.getName(), cookie.getValue())
			.exchange()
			.expectStatus()
			.isUnauthorized();
	}

	@Test
	void sessionWithoutCookieIs401() {
		this.client.get().uri("/api/v1/session").exchange().expectStatus().isUnauthorized();
	}

	@Test
	void unknownSessionCookieIs401() {
		this.client.get()
			.uri("/api/v1/batches")
			.cookie(ApiCredentials.SESSION_COOKIE, "forged-session-id")
			.exchange()
			.expectStatus()
			.isUnauthorized();
	}

	private ResponseCookie login(String token) {
		return this.client.post()
			.uri("/api/v1/session")
			.contentType(MediaType.APPLICATION_JSON)
			.bodyValue(Map.of("token", token))
			.exchange()
			.expectStatus()
			.isNoContent()
			.returnResult(Void.class)
			.getResponseCookies()
			.getFirst(ApiCredentials.SESSION_COOKIE);
	}

	private static HttpStatus status(WebTestClient.ResponseSpec response) {
		return HttpStatus.valueOf(response.returnResult(String.class).getStatus().value());
	}

	private WebTestClient.ResponseSpec get(String path, String token) {
		return this.client.get().uri(path).header(HttpHeaders.AUTHORIZATION, TestTokens.bearer(token)).exchange();
	}

	private WebTestClient.ResponseSpec postBatch(String token) {
		return this.client.post()
			.uri("/api/v1/subscriptions/acme/batches")
			.header(HttpHeaders.AUTHORIZATION, TestTokens.bearer(token))
			.contentType(MediaType.parseMediaType("application/x-ndjson"))
			.bodyValue(NDJSON_CUSTOMER)
			.exchange();
	}

}

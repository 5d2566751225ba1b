package io.stampedsync.web.security;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import io.r2dbc.pool.ConnectionPool;
import io.r2dbc.spi.ConnectionFactory;
import io.r2dbc.spi.Wrapped;
import io.stampedsync.GatewayClients;
import io.stampedsync.TestSubscriptions;
import io.stampedsync.TestTokens;
import io.stampedsync.ThreadDump;
import io.stampedsync.sandbox.StampedSimulator;
import io.stampedsync.testing.Customers;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import reactor.netty.http.HttpResources;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalManagementPort;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.context.ApplicationContext;
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

	static final String NDJSON_CUSTOMER = Customers.ndjson(Customers.customer("sec-1").email("sec1@example.com"));

	@TempDir
	static Path dataDir;

	@Autowired
	WebTestClient client;

	@Autowired
	ApplicationContext context;

	@Autowired
	ConnectionFactory journal;

	@LocalManagementPort
	int managementPort;

	@LocalServerPort
	int port;

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
	void settingsThatPointOutsideTheAllowListAreRefusedOnPut() {
		Map<String, Object> settings = new HashMap<>();
		settings.put("apiUrl", "https://metadata.internal");
		settings.put("apiPublicKey", "pubkey-x");
		settings.put("apiPrivateKey", "key-x-private-0001");
		settings.put("apiStoreHash", "42");
		settings.put("ipaasApiUrl", "https://10.0.0.5");
		settings.put("ipaasApiToken", "ipaas-x-token-0001");
		settings.put("ipaasSystemId", 1);
		this.client.put()
			.uri("/api/v1/subscriptions/outside")
			.header(HttpHeaders.AUTHORIZATION, TestTokens.bearer(TestTokens.ADMIN))
			.contentType(MediaType.APPLICATION_JSON)
			.bodyValue(settings)
			.exchange()
			.expectStatus()
			.isEqualTo(HttpStatus.UNPROCESSABLE_CONTENT)
			.expectBody()
			.jsonPath("$.errors[?(@.field == 'apiUrl')]")
			.exists()
			.jsonPath("$.errors[?(@.field == 'ipaasApiUrl')]")
			.exists();
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
		WebTestClient management = GatewayClients.webTestClient(this.context, this.managementPort).build();
		for (String path : List.of("/actuator/health", "/actuator/health/liveness", "/actuator/health/readiness",
				"/actuator/prometheus")) {
			try {
				// Each answer read to its end: a response left unread keeps its
				// connection,
				// and a later request of the same client could then wait for ever (a loop
				// of
				// unread GETs hung within a few hundred; read, 9,000 passed).
				management.get().uri(path).exchange().expectStatus().isOk().expectBody().returnResult();
			}
			catch (IllegalStateException ex) {
				// Should it time out again: what every thread was doing, and whether the
				// journal's pool (readiness checks the journal) had a connection to give.
				throw new AssertionError("No answer from " + path + " on the management port; journal pool: "
						+ journalPool() + "; threads:\n" + ThreadDump.now(), ex);
			}
		}
	}

	private String journalPool() {
		ConnectionFactory factory = this.journal;
		while (factory instanceof Wrapped<?> wrapped && !(factory instanceof ConnectionPool)) {
			factory = (ConnectionFactory) wrapped.unwrap();
		}
		return (factory instanceof ConnectionPool pool) ? pool.getMetrics()
			.map((m) -> "acquired " + m.acquiredSize() + ", idle " + m.idleSize() + ", pending "
					+ m.pendingAcquireSize() + " of " + m.getMaxAllocatedSize())
			.orElse("no metrics") : "not pooled";
	}

	// Boot builds the autowired client with reactor-netty's global resources, which other
	// gateways of the test JVM may dispose: the tests' own configuration moves it.
	@Test
	void theAutowiredClientRunsOnTheGatewaysOwnLoops() {
		HttpResources.disposeLoopsAndConnections();
		Set<Thread> before = globalLoopThreads();
		this.client.get()
			.uri("/api/v1/batches")
			.header(HttpHeaders.AUTHORIZATION, TestTokens.bearer(TestTokens.ADMIN))
			.exchange()
			.expectStatus()
			.isOk();
		assertThat(globalLoopThreads()).as("global loops the call started").isSubsetOf(before);
	}

	private static Set<Thread> globalLoopThreads() {
		return Thread.getAllStackTraces()
			.keySet()
			.stream()
			.filter((thread) -> thread.getName().startsWith("reactor-http-"))
			.collect(Collectors.toSet());
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
		// The API only: never sent with the dashboard's files or to the management port.
		assertThat(cookie.getPath()).isEqualTo("/api/v1");
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

	@Test
	void theDashboardIsServedUnderAContentSecurityPolicy() {
		for (String path : List.of("/", "/index.html", "/assets/js/main.js")) {
			this.client.get()
				.uri(path)
				.exchange()
				.expectHeader()
				.value("Content-Security-Policy",
						(policy) -> assertThat(policy).as(path)
							.contains("default-src 'self'", "script-src 'self'", "object-src 'none'",
									"frame-ancestors 'none'")
							.doesNotContain("unsafe-inline", "unsafe-eval"));
		}
	}

	@Test
	void headOfTheRootAnswersLikeGet() {
		this.client.head()
			.uri("/")
			.exchange()
			.expectStatus()
			.isOk()
			.expectHeader()
			.contentTypeCompatibleWith(MediaType.TEXT_HTML)
			.expectBody()
			.isEmpty();
	}

	@Test
	void negativePagesAndSizesAre400Problems() {
		for (String path : List.of("/api/v1/errors?page=-1", "/api/v1/errors?size=-5", "/api/v1/batches?limit=0",
				"/api/v1/batches/no-such-batch/results?page=-1", "/api/v1/batches/no-such-batch/results?size=-5")) {
			get(path, TestTokens.READER).expectStatus()
				.isBadRequest()
				.expectHeader()
				.contentType(MediaType.APPLICATION_PROBLEM_JSON);
		}
	}

	@Test
	void theJournalFileIsReadableByItsOwnerOnly() throws IOException {
		assertThat(Files.getPosixFilePermissions(dataDir.resolve("journal.mv.db")))
			.isEqualTo(PosixFilePermissions.fromString("rw-------"));
	}

	@Test
	void requestsRefusedByNettyGetProblemBodies() throws IOException {
		String longLine = "GET /api/v1/" + "a".repeat(10_000) + " HTTP/1.1\r\nHost: localhost\r\n\r\n";
		assertProblem(raw(longLine), 414);
		String bigHeaders = "GET / HTTP/1.1\r\nHost: localhost\r\nX-Big: " + "b".repeat(20_000) + "\r\n\r\n";
		assertProblem(raw(bigHeaders), 431);
		String negativeLength = "POST /api/v1/session HTTP/1.1\r\nHost: localhost\r\nContent-Length: -1\r\n\r\n";
		assertProblem(raw(negativeLength), 400);
	}

	private static void assertProblem(String response, int status) {
		assertThat(response).startsWith("HTTP/1.1 " + status + " ")
			.containsIgnoringCase("content-type: application/problem+json")
			.contains("\"status\":" + status);
	}

	/** The whole answer to {@code request}, sent as is over a plain socket. */
	private String raw(String request) throws IOException {
		try (Socket socket = new Socket("127.0.0.1", this.port)) {
			socket.setSoTimeout(30_000);
			socket.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
			socket.getOutputStream().flush();
			ByteArrayOutputStream answer = new ByteArrayOutputStream();
			InputStream in = socket.getInputStream();
			byte[] chunk = new byte[4096];
			int read;
			while ((read = in.read(chunk)) != -1) {
				answer.write(chunk, 0, read);
				if (answer.toString(StandardCharsets.ISO_8859_1).contains("}")) {
					break;
				}
			}
			return answer.toString(StandardCharsets.ISO_8859_1);
		}
		catch (SocketException ex) {
			// The server may reset once it has answered and closed.
			return "";
		}
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

package io.stampedsync.web.security;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

import io.stampedsync.GatewayClients;
import io.stampedsync.TestSubscriptions;
import io.stampedsync.TestTokens;
import io.stampedsync.sandbox.StampedSimulator;
import io.stampedsync.testing.Customers;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.context.ApplicationContext;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DefaultDataBufferFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.http.codec.ServerSentEvent;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.web.reactive.function.client.WebClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Body caps (413), the event-stream cap per token and the login rate limit (429). */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "stamped-sync.security.max-sse-per-token=2", "stamped-sync.security.max-json-body-bytes=1KB",
				"stamped-sync.security.max-batch-body-bytes=4KB", "stamped-sync.security.login-failures-per-minute=3",
				// One address of its own for the failed logins, which throttle every
				// call.
				"stamped-sync.security.trusted-proxies=127.0.0.0/8,::1", "stamped-sync.batches.heartbeat-seconds=1" })
@AutoConfigureWebTestClient
class ApiLimitsTests {

	static final StampedSimulator stamped = TestSubscriptions.stampedSimulator();

	static final ParameterizedTypeReference<ServerSentEvent<String>> SSE = new ParameterizedTypeReference<>() {
	};

	static final MediaType NDJSON = MediaType.parseMediaType("application/x-ndjson");

	@TempDir
	static Path dataDir;

	@Autowired
	WebTestClient client;

	@Autowired
	SseConnectionLimit sseLimit;

	@Autowired
	ApplicationContext context;

	@LocalServerPort
	int port;

	@DynamicPropertySource
	static void properties(DynamicPropertyRegistry registry) {
		TestSubscriptions.gateway(registry, dataDir);
		TestSubscriptions.subscription(registry, "acme", stamped, Map.of());
	}

	@AfterAll
	static void stop() {
		stamped.close();
	}

	@Test
	void eventStreamOverTheCapPerTokenIs429UntilOneCloses() {
		WebClient web = GatewayClients.webClient(this.context, this.port).build();
		Disposable first = stream(web, "/api/v1/events");
		Disposable second = stream(web, "/api/v1/events");
		try {
			awaitOpen("test-reader", 2);
			assertThat(openStatus(web, "/api/v1/events", TestTokens.READER).value()).isEqualTo(429);
			// Every batch's event stream counts too; another token has its own cap.
			assertThat(openStatus(web, "/api/v1/batches/any/events", TestTokens.READER).value()).isEqualTo(429);
			assertThat(openStatus(web, "/api/v1/events", TestTokens.WRITER).value()).isEqualTo(200);
			first.dispose();
			// The server sees the disconnect at the next heartbeat (1 s here).
			awaitOpen("test-reader", 1);
			assertThat(openStatus(web, "/api/v1/events", TestTokens.READER).value()).isEqualTo(200);
		}
		finally {
			first.dispose();
			second.dispose();
		}
	}

	@Test
	void tooManyStreamsAnswerIsProblemJson() {
		WebClient web = GatewayClients.webClient(this.context, this.port).build();
		Disposable first = stream(web, "/api/v1/events", TestTokens.ADMIN);
		Disposable second = stream(web, "/api/v1/events", TestTokens.ADMIN);
		try {
			awaitOpen("test-admin", 2);
			this.client.get()
				.uri("/api/v1/events")
				.header(HttpHeaders.AUTHORIZATION, TestTokens.bearer(TestTokens.ADMIN))
				.accept(MediaType.TEXT_EVENT_STREAM)
				.exchange()
				.expectStatus()
				.isEqualTo(429)
				.expectHeader()
				.contentType(MediaType.APPLICATION_PROBLEM_JSON);
		}
		finally {
			first.dispose();
			second.dispose();
		}
	}

	@Test
	void jsonBodyOverTheCapIs413Problem() {
		this.client.put()
			.uri("/api/v1/subscriptions/big")
			.header(HttpHeaders.AUTHORIZATION, TestTokens.bearer(TestTokens.ADMIN))
			.contentType(MediaType.APPLICATION_JSON)
			.bodyValue(Map.of("apiUrl", "https://stamped.io", "padding", "x".repeat(2000)))
			.exchange()
			.expectStatus()
			.isEqualTo(413)
			.expectHeader()
			.contentType(MediaType.APPLICATION_PROBLEM_JSON)
			.expectBody()
			.jsonPath("$.detail")
			.value((detail) -> assertThat(detail.toString()).contains("max-json-body-bytes"));
		this.client.post()
			.uri("/api/v1/session")
			.contentType(MediaType.APPLICATION_JSON)
			.bodyValue(Map.of("token", "x".repeat(2000)))
			.exchange()
			.expectStatus()
			.isEqualTo(413);
	}

	@Test
	void chunkedJsonBodyOverTheCapIs413Problem() {
		this.client.put()
			.uri("/api/v1/subscriptions/big")
			.header(HttpHeaders.AUTHORIZATION, TestTokens.bearer(TestTokens.ADMIN))
			.contentType(MediaType.APPLICATION_JSON)
			.body(chunks("{\"apiUrl\":\"https://stamped.io\",\"padding\":\"" + "x".repeat(3000) + "\"}"),
					DataBuffer.class)
			.exchange()
			.expectStatus()
			.isEqualTo(413)
			.expectHeader()
			.contentType(MediaType.APPLICATION_PROBLEM_JSON);
	}

	@Test
	void batchBodyOverItsCapIs413AndLeavesNoBatch() {
		String body = Customers.ndjson(Customers.fresh("cap-", 100));
		assertThat(body.length()).isGreaterThan(4096);
		int before = batches();
		this.client.post()
			.uri("/api/v1/subscriptions/acme/batches")
			.header(HttpHeaders.AUTHORIZATION, TestTokens.bearer(TestTokens.WRITER))
			.contentType(NDJSON)
			.bodyValue(body)
			.exchange()
			.expectStatus()
			.isEqualTo(413);
		this.client.post()
			.uri("/api/v1/subscriptions/acme/batches")
			.header(HttpHeaders.AUTHORIZATION, TestTokens.bearer(TestTokens.WRITER))
			.contentType(NDJSON)
			.body(chunks(body), DataBuffer.class)
			.exchange()
			.expectStatus()
			.isEqualTo(413)
			.expectHeader()
			.contentType(MediaType.APPLICATION_PROBLEM_JSON);
		assertThat(batches()).isEqualTo(before);
	}

	@Test
	void repeatedFailedLoginsAre429EvenForTheRightToken() {
		for (int i = 0; i < 3; i++) {
			login("wrong-token-guess-000" + i).expectStatus().isUnauthorized();
		}
		login(TestTokens.READER).expectStatus()
			.isEqualTo(429)
			.expectHeader()
			.exists(HttpHeaders.RETRY_AFTER)
			.expectHeader()
			.contentType(MediaType.APPLICATION_PROBLEM_JSON);
	}

	private WebTestClient.ResponseSpec login(String token) {
		return this.client.post()
			.uri("/api/v1/session")
			.header(ClientAddress.FORWARDED_FOR, "198.51.100.30")
			.contentType(MediaType.APPLICATION_JSON)
			.bodyValue(Map.of("token", token))
			.exchange();
	}

	private int batches() {
		return this.client.get()
			.uri("/api/v1/batches")
			.header(HttpHeaders.AUTHORIZATION, TestTokens.bearer(TestTokens.READER))
			.exchange()
			.expectStatus()
			.isOk()
			.expectBodyList(Object.class)
			.returnResult()
			.getResponseBody()
			.size();
	}

	private static Flux<DataBuffer> chunks(String body) {
		byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
		List<DataBuffer> parts = IntStream.range(0, (bytes.length + 511) / 512)
			.mapToObj((i) -> (DataBuffer) DefaultDataBufferFactory.sharedInstance
				.wrap(Arrays.copyOfRange(bytes, i * 512, Math.min(bytes.length, (i + 1) * 512))))
			.toList();
		return Flux.fromIterable(parts);
	}

	private static Disposable stream(WebClient web, String path) {
		return stream(web, path, TestTokens.READER);
	}

	private static Disposable stream(WebClient web, String path, String token) {
		return web.get()
			.uri(path)
			.header(HttpHeaders.AUTHORIZATION, TestTokens.bearer(token))
			.accept(MediaType.TEXT_EVENT_STREAM)
			.retrieve()
			.bodyToFlux(String.class)
			.subscribe((event) -> {
			}, (error) -> {
			});
	}

	/**
	 * Opens a stream and closes it after its first event (a heartbeat at the latest):
	 * only its status matters.
	 */
	private static HttpStatusCode openStatus(WebClient web, String path, String token) {
		return web.get()
			.uri(path)
			.header(HttpHeaders.AUTHORIZATION, TestTokens.bearer(token))
			.accept(MediaType.TEXT_EVENT_STREAM)
			.exchangeToMono((response) -> response.statusCode().is2xxSuccessful()
					? response.bodyToFlux(SSE).next().thenReturn(response.statusCode())
					: response.releaseBody().thenReturn(response.statusCode()))
			.block(Duration.ofSeconds(30));
	}

	private void awaitOpen(String token, int count) {
		await("open streams of " + token + " reach " + count).atMost(Duration.ofSeconds(30))
			.until(() -> this.sseLimit.open(token) == count);
	}

}

package io.stampedsync.web.security;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

import io.stampedsync.GatewayClients;
import io.stampedsync.TestSubscriptions;
import io.stampedsync.TestTokens;
import io.stampedsync.sandbox.Fault;
import io.stampedsync.sandbox.IpaasSimulator;
import io.stampedsync.sandbox.StampedSimulator;
import io.stampedsync.testing.Customers;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalManagementPort;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.ApplicationContext;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.EntityExchangeResult;
import org.springframework.test.web.reactive.server.WebTestClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * THE LEAK TEST: a full flow with wrong, rotated and right credentials and failing calls,
 * logging at DEBUG; no log line and no response carries a private key, API password,
 * iPaaS.com token, webhook key or inbound API token.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "logging.level.io.stampedsync=DEBUG", "logging.level.org.springframework.web=DEBUG",
				"logging.level.org.springframework.security=DEBUG", "stamped-sync.batches.heartbeat-seconds=1",
				"stamped-sync.outbound.max-attempts=2" })
@ExtendWith(OutputCaptureExtension.class)
class SecretLeakTests {

	static final String PUBLIC_KEY = TestSubscriptions.PUBLIC_KEY;

	static final String KEY_BEFORE = "key-leak-before-Q7xW2pLm9";

	static final String KEY_WRONG = "key-leak-wrong-Zr8Vn3Kd1";

	static final String KEY_AFTER = "key-leak-after-Hy5Tc6Bj4";

	static final String IPAAS_TOKEN = "ipaas-leak-token-Mf2Gs8Wq";

	static final String WEBHOOK_KEY = "hook-leak-key-Pn4Xe7Ra";

	static final String WRONG_INBOUND = "inbound-wrong-token-Lk3Jd9Uv";

	static final List<String> SECRETS = List.of(KEY_BEFORE, KEY_WRONG, KEY_AFTER, IPAAS_TOKEN, WEBHOOK_KEY,
			WRONG_INBOUND, TestTokens.ADMIN, TestTokens.WRITER, TestTokens.READER);

	static final StampedSimulator stamped = new StampedSimulator(TestSubscriptions.STORE_HASH, PUBLIC_KEY, KEY_BEFORE)
		.start();

	static final IpaasSimulator ipaas = new IpaasSimulator(IPAAS_TOKEN).start();

	@TempDir
	static Path dataDir;

	@Autowired
	ApplicationContext context;

	@LocalServerPort
	int port;

	@LocalManagementPort
	int managementPort;

	final List<String> responses = new ArrayList<>();

	final JsonMapper json = JsonMapper.builder().build();

	@DynamicPropertySource
	static void properties(DynamicPropertyRegistry registry) {
		TestSubscriptions.gateway(registry, dataDir);
	}

	@AfterAll
	static void stop() {
		stamped.close();
		ipaas.close();
	}

	@Test
	void noSecretAppearsInAnyLogLineOrResponse(CapturedOutput output) {
		WebTestClient admin = client(TestTokens.ADMIN);
		WebTestClient writer = client(TestTokens.WRITER);

		// Inbound: missing, wrong and right tokens; login with wrong and right tokens.
		record(client(null).get().uri("/api/v1/subscriptions").exchange());
		record(client(WRONG_INBOUND).get().uri("/api/v1/subscriptions").exchange());
		record(client(TestTokens.READER).put()
			.uri("/api/v1/subscriptions/leak")
			.contentType(MediaType.APPLICATION_JSON)
			.bodyValue(bytes(Map.of()))
			.exchange());
		record(client(null).post()
			.uri("/api/v1/session")
			.contentType(MediaType.APPLICATION_JSON)
			.bodyValue(bytes(Map.of("token", WRONG_INBOUND)))
			.exchange());
		record(client(null).post()
			.uri("/api/v1/session")
			.contentType(MediaType.APPLICATION_JSON)
			.bodyValue(bytes(Map.of("token", TestTokens.READER)))
			.exchange());

		// Wrong credentials, secrets in the wrong fields, an unreadable body.
		record(admin.put()
			.uri("/api/v1/subscriptions/leak")
			.contentType(MediaType.APPLICATION_JSON)
			.bodyValue(bytes(settings(KEY_WRONG)))
			.exchange());
		Map<String, Object> misplaced = new HashMap<>(settings(KEY_WRONG));
		misplaced.put("apiUrl", "https://" + KEY_WRONG + ".example.org");
		misplaced.put("apiPassword", KEY_AFTER);
		misplaced.put("ipaasSystemId", IPAAS_TOKEN);
		record(admin.put()
			.uri("/api/v1/subscriptions/leak-misplaced")
			.contentType(MediaType.APPLICATION_JSON)
			.bodyValue(bytes(misplaced))
			.exchange());
		record(admin.put()
			.uri("/api/v1/subscriptions/leak-broken")
			.contentType(MediaType.APPLICATION_JSON)
			.bodyValue(("{\"apiPrivateKey\": " + KEY_AFTER + "}").getBytes(StandardCharsets.UTF_8))
			.exchange());
		String wrongBatch = submit(writer, "wrong-", 5);
		awaitPaused(admin, wrongBatch);
		record(admin.post().uri("/api/v1/subscriptions/leak/verify").exchange());
		record(admin.get().uri("/api/v1/subscriptions/leak").exchange());

		// Rotation at Stamped.io, then through the API: the paused batch resumes.
		stamped.credentials(PUBLIC_KEY, KEY_AFTER);
		record(admin.put()
			.uri("/api/v1/subscriptions/leak")
			.contentType(MediaType.APPLICATION_JSON)
			.bodyValue(bytes(settings(KEY_AFTER)))
			.exchange());
		record(admin.post().uri("/api/v1/subscriptions/leak/verify").exchange());
		awaitFinal(admin, wrongBatch);

		// Failing calls: 500s (retried), then a 401 (paused until new settings).
		stamped.faults().next(3, Fault.status(500)).next(1, Fault.status(401));
		String faultBatch = submit(writer, "fault-", 6);
		awaitPaused(admin, faultBatch);
		record(admin.put()
			.uri("/api/v1/subscriptions/leak")
			.contentType(MediaType.APPLICATION_JSON)
			.bodyValue(bytes(settings(KEY_AFTER)))
			.exchange());
		awaitFinal(admin, faultBatch);

		// Hooks with the right and a wrong webhook key; reads, event replays, the
		// actuator.
		record(client(WEBHOOK_KEY).post()
			.uri("/api/v1/subscriptions/leak/hooks")
			.contentType(MediaType.APPLICATION_JSON)
			.bodyValue(bytes(Map.of()))
			.exchange());
		record(client(KEY_WRONG).post()
			.uri("/api/v1/subscriptions/leak/hooks")
			.contentType(MediaType.APPLICATION_JSON)
			.bodyValue(bytes(Map.of()))
			.exchange());
		for (String batch : List.of(wrongBatch, faultBatch)) {
			record(admin.get().uri("/api/v1/batches/{id}/results?size=1000", batch).exchange());
			this.responses.add(replay(batch));
		}
		record(admin.get().uri("/api/v1/batches").exchange());
		record(admin.get().uri("/api/v1/subscriptions").exchange());
		WebTestClient management = GatewayClients.webTestClient(this.context, this.managementPort).build();
		record(management.get().uri("/actuator/prometheus").exchange());
		record(management.get().uri("/actuator/health").exchange());

		assertThat(String.join("\n", this.responses)).as("the flow made calls that failed")
			.contains("\"status\":\"paused\"")
			.contains("\"status\":401");
		for (String secret : SECRETS) {
			assertThat(output.getAll()).as("log output").doesNotContain(secret);
			for (String response : this.responses) {
				assertThat(response).as("a response").doesNotContain(secret);
			}
		}
	}

	/**
	 * Request bodies go as bytes: the test's own client would log a String or Map body at
	 * DEBUG, and that is not the gateway speaking.
	 */
	private byte[] bytes(Object body) {
		return this.json.writeValueAsBytes(body);
	}

	private Map<String, Object> settings(String privateKey) {
		Map<String, Object> settings = new HashMap<>();
		settings.put("apiUrl", stamped.baseUrl());
		settings.put("apiPublicKey", PUBLIC_KEY);
		settings.put("apiPrivateKey", privateKey);
		settings.put("apiPassword", privateKey);
		settings.put("apiStoreHash", TestSubscriptions.STORE_HASH);
		settings.put("apiThrottleLimit", 100000);
		settings.put("apiThrottleSeconds", 1);
		settings.put("ipaasApiUrl", ipaas.baseUrl());
		settings.put("ipaasApiToken", IPAAS_TOKEN);
		settings.put("ipaasSystemId", 4242);
		settings.put("webhookApiKey", WEBHOOK_KEY);
		return settings;
	}

	private String submit(WebTestClient writer, String prefix, int count) {
		String body = Customers.ndjson(Customers.fresh(prefix, count));
		String answer = record(writer.post()
			.uri("/api/v1/subscriptions/leak/batches")
			.contentType(MediaType.parseMediaType("application/x-ndjson"))
			.bodyValue(body.getBytes(StandardCharsets.UTF_8))
			.exchange());
		return this.json.readTree(answer).get("id").asString();
	}

	private void awaitPaused(WebTestClient admin, String batch) {
		// A batch that met a 401 waits, paused, for new settings.
		await(admin, batch, (view) -> "paused".equals(view.get("status").asString()) || isFinal(view));
	}

	private void awaitFinal(WebTestClient admin, String batch) {
		await(admin, batch, SecretLeakTests::isFinal);
	}

	private void await(WebTestClient admin, String batch, Predicate<JsonNode> done) {
		Awaitility.await("batch " + batch)
			.atMost(Duration.ofSeconds(60))
			.pollInterval(Duration.ofMillis(200))
			.until(() -> this.json.readTree(record(admin.get().uri("/api/v1/batches/{id}", batch).exchange())),
					done::test);
	}

	private static boolean isFinal(JsonNode view) {
		return List.of("completed", "completed_with_errors", "cancelled").contains(view.get("status").asString());
	}

	private String replay(String batch) {
		return GatewayClients.webClient(this.context, this.port)
			.build()
			.get()
			.uri("/api/v1/batches/{id}/events", batch)
			.header(HttpHeaders.AUTHORIZATION, TestTokens.bearer(TestTokens.READER))
			.accept(MediaType.TEXT_EVENT_STREAM)
			.retrieve()
			.bodyToFlux(String.class)
			// The batch is final: its stream replays the log and ends at the final
			// status.
			// (Taking what came in a few seconds would pass on a part of the log.)
			.collectList()
			.map((events) -> String.join("\n", events))
			.block(Duration.ofSeconds(30));
	}

	private String record(WebTestClient.ResponseSpec response) {
		EntityExchangeResult<String> result = response.expectBody(String.class).returnResult();
		String body = (result.getResponseBody() != null) ? result.getResponseBody() : "";
		this.responses.add(result.getStatus() + " " + result.getResponseHeaders() + "\n" + body);
		return body;
	}

	private WebTestClient client(String token) {
		WebTestClient.Builder builder = GatewayClients.webTestClient(this.context, this.port);
		if (token != null) {
			builder.defaultHeader(HttpHeaders.AUTHORIZATION, TestTokens.bearer(token));
		}
		return builder.build();
	}

}

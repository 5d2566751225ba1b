package io.stampedsync.web.security;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;

import io.stampedsync.GatewayApi;
import io.stampedsync.TestSubscriptions;
import io.stampedsync.TestTokens;
import io.stampedsync.sandbox.StampedSimulator;
import io.stampedsync.testing.Customers;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import reactor.core.Disposable;
import tools.jackson.databind.JsonNode;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.codec.ServerSentEvent;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tokens scoped to their subscriptions: with two subscriptions and tokens scoped to
 * {@code acme-*}, every route answers for {@code acme-eu} and answers 404 for
 * {@code other} (in the words used for one that does not exist), and every list and
 * stream shows {@code acme-eu} only.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = "stamped-sync.batches.heartbeat-seconds=1")
@AutoConfigureWebTestClient
class TokenScopeTests {

	static final StampedSimulator stamped = TestSubscriptions.stampedSimulator();

	static final String ADMIN = "scoped-admin-token-0001-dddd";

	static final String WRITER = "scoped-writer-token-0001-eeee";

	static final String READER = "scoped-reader-token-0001-ffff";

	static final ParameterizedTypeReference<ServerSentEvent<String>> SSE = new ParameterizedTypeReference<>() {
	};

	@TempDir
	static Path dataDir;

	@Autowired
	WebTestClient client;

	@DynamicPropertySource
	static void properties(DynamicPropertyRegistry registry) {
		TestSubscriptions.gateway(registry, dataDir);
		TestSubscriptions.subscription(registry, "acme-eu", stamped, Map.of());
		TestSubscriptions.subscription(registry, "other", stamped, Map.of());
		token(registry, "scoped-admin", ADMIN, "admin");
		token(registry, "scoped-writer", WRITER, "writer");
		token(registry, "scoped-reader", READER, "reader");
	}

	static void token(DynamicPropertyRegistry registry, String name, String secret, String role) {
		String prefix = "stamped-sync.security.tokens." + name + ".";
		registry.add(prefix + "secret", () -> secret);
		registry.add(prefix + "role", () -> role);
		registry.add(prefix + "subscriptions", () -> "acme-*");
	}

	@AfterAll
	static void stop() {
		stamped.close();
	}

	@Test
	void everyRouteKeepsAScopedTokenToItsSubscriptions() {
		GatewayApi unscoped = new GatewayApi(this.client.mutate()
			.defaultHeader(HttpHeaders.AUTHORIZATION, TestTokens.bearer(TestTokens.ADMIN))
			.build());
		AtomicBoolean connected = new AtomicBoolean();
		List<String> seen = new CopyOnWriteArrayList<>();
		Disposable stream = this.client.mutate()
			.responseTimeout(Duration.ofSeconds(120))
			.build()
			.get()
			.uri("/api/v1/events")
			.header(HttpHeaders.AUTHORIZATION, TestTokens.bearer(READER))
			.accept(MediaType.TEXT_EVENT_STREAM)
			.exchange()
			.returnResult(SSE)
			.getResponseBody()
			.subscribe((event) -> {
				connected.set(true);
				if (event.data() != null) {
					seen.add(event.data());
				}
			});
		GatewayApi.until(connected::get, Duration.ofSeconds(60));

		String other = unscoped.submit("other", Customers.fresh("other-", 2));
		unscoped.awaitFinal(other, Duration.ofSeconds(60));
		String acme = call(WRITER, HttpMethod.POST, "/api/v1/subscriptions/acme-eu/batches",
				Customers.ndjson(Customers.fresh("acme-", 2)))
			.expectStatus()
			.isAccepted()
			.expectBody(JsonNode.class)
			.returnResult()
			.getResponseBody()
			.get("id")
			.asString();
		unscoped.awaitFinal(acme, Duration.ofSeconds(60));

		// Routes of a subscription outside the scope: 404 as for one that does not exist.
		for (String[] route : new String[][] { { READER, "GET", "/api/v1/subscriptions/other" },
				{ ADMIN, "PUT", "/api/v1/subscriptions/other" }, { ADMIN, "DELETE", "/api/v1/subscriptions/other" },
				{ ADMIN, "POST", "/api/v1/subscriptions/other/verify" },
				{ WRITER, "POST", "/api/v1/subscriptions/other/batches" },
				{ WRITER, "POST", "/api/v1/subscriptions/other/manual-sync" } }) {
			assertNotFound(route, "No subscription with id other");
		}
		for (String[] route : new String[][] { { READER, "GET", "/api/v1/batches/" + other },
				{ READER, "GET", "/api/v1/batches/" + other + "/results" },
				{ READER, "GET", "/api/v1/batches/" + other + "/events" },
				{ WRITER, "POST", "/api/v1/batches/" + other + "/retry" },
				{ WRITER, "DELETE", "/api/v1/batches/" + other } }) {
			assertNotFound(route, "No batch '" + other + "'");
		}
		// The same routes in scope.
		call(READER, HttpMethod.GET, "/api/v1/subscriptions/acme-eu", null).expectStatus().isOk();
		call(ADMIN, HttpMethod.POST, "/api/v1/subscriptions/acme-eu/verify", null).expectStatus().isOk();
		call(READER, HttpMethod.GET, "/api/v1/batches/" + acme, null).expectStatus().isOk();
		call(READER, HttpMethod.GET, "/api/v1/batches/" + acme + "/results", null).expectStatus().isOk();

		// Lists show the scope only.
		assertThat(ids(READER, "/api/v1/subscriptions", "id")).containsExactly("acme-eu");
		assertThat(ids(TestTokens.READER, "/api/v1/subscriptions", "id")).containsExactlyInAnyOrder("acme-eu", "other");
		assertThat(ids(READER, "/api/v1/batches", "id")).contains(acme).doesNotContain(other);
		assertThat(ids(READER, "/api/v1/batches?subscriptionId=other", "id")).isEmpty();
		JsonNode monitoring = get(READER, "/api/v1/monitoring");
		assertThat(monitoring.get("subscriptions").valueStream().map((s) -> s.get("subscriptionId").asString()))
			.containsExactly("acme-eu");
		JsonNode errors = get(READER, "/api/v1/errors");
		assertThat(errors.get("items").valueStream().map((e) -> e.get("subscriptionId").asString()))
			.allMatch((id) -> id.startsWith("acme-"));

		// The global event stream: the scope's batches only. A last batch ends the watch.
		String done = call(WRITER, HttpMethod.POST, "/api/v1/subscriptions/acme-eu/batches",
				Customers.ndjson(Customers.fresh("acme-done-", 1)))
			.expectStatus()
			.isAccepted()
			.expectBody(JsonNode.class)
			.returnResult()
			.getResponseBody()
			.get("id")
			.asString();
		unscoped.awaitFinal(done, Duration.ofSeconds(60));
		GatewayApi.until(() -> seen.stream().anyMatch((data) -> data.contains(done)), Duration.ofSeconds(60));
		stream.dispose();
		assertThat(seen).noneMatch((data) -> data.contains(other) || data.contains("\"other\""));
	}

	private void assertNotFound(String[] route, String detail) {
		String body = "PUT".equals(route[1]) ? "{\"apiUrl\": \"https://stamped.io\"}"
				: (route[2].endsWith("/batches") ? Customers.ndjson(Customers.customer("x-1").email("x1@example.com"))
						: (route[2].endsWith("/manual-sync") ? "{\"ids\": [\"1\"]}" : null));
		call(route[0], HttpMethod.valueOf(route[1]), route[2], body).expectStatus()
			.isNotFound()
			.expectHeader()
			.contentType(MediaType.APPLICATION_PROBLEM_JSON)
			.expectBody()
			.jsonPath("$.detail")
			.isEqualTo(detail);
	}

	private WebTestClient.ResponseSpec call(String token, HttpMethod method, String path, String body) {
		WebTestClient.RequestBodySpec request = this.client.method(method)
			.uri(path)
			.header(HttpHeaders.AUTHORIZATION, TestTokens.bearer(token));
		if (body == null) {
			return request.exchange();
		}
		MediaType type = path.endsWith("/batches") ? GatewayApi.NDJSON : MediaType.APPLICATION_JSON;
		return request.contentType(type).bodyValue(body).exchange();
	}

	private JsonNode get(String token, String path) {
		return GatewayApi.json(call(token, HttpMethod.GET, path, null), HttpStatus.OK);
	}

	private List<String> ids(String token, String path, String field) {
		return get(token, path).valueStream().map((node) -> node.get(field).asString()).toList();
	}

}

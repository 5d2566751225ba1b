package io.stampedsync.monitoring;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import io.stampedsync.GatewayApi;
import io.stampedsync.GatewayClients;
import io.stampedsync.StampedSyncApplication;
import io.stampedsync.TestSubscriptions;
import io.stampedsync.TestTokens;
import io.stampedsync.sandbox.Fault;
import io.stampedsync.sandbox.IpaasSimulator;
import io.stampedsync.sandbox.StampedEndpoint;
import io.stampedsync.sandbox.StampedSimulator;
import io.stampedsync.testing.Customers;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import reactor.core.Disposable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.MediaType;
import org.springframework.http.codec.ServerSentEvent;
import org.springframework.test.web.reactive.server.WebTestClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The throughput history: served per minute and direction, streamed on the dashboard
 * stream as it grows, and rebuilt from the journal after a restart equal to what was
 * served live.
 */
class ThroughputTests {

	static final String IPAAS_TOKEN = "throughput-ipaas-token-0001";

	static final StampedSimulator stamped = TestSubscriptions.stampedSimulator();

	static final IpaasSimulator ipaas = new IpaasSimulator(IPAAS_TOKEN).start();

	static final JsonMapper json = JsonMapper.builder().build();

	@TempDir
	static Path dataDir;

	@AfterAll
	static void stop() {
		stamped.close();
		ipaas.close();
	}

	@Test
	void historyPerDirectionIsServedStreamedAndRebuiltAfterRestart() {
		List<String> customers = Customers.fresh("tp-", 30);
		// Two records fail at Stamped.io: errors of the transfer (a record refused at
		// intake never reaches the dispatcher, and is in the error log only).
		stamped.faults().next(2, StampedEndpoint.CREATE, Fault.status(400));
		List<JsonNode> beforeRestart;
		try (ConfigurableApplicationContext first = start()) {
			WebTestClient client = client(first);
			GatewayApi api = new GatewayApi(client);
			Map<String, JsonNode> streamed = new ConcurrentHashMap<>();
			Disposable stream = client.mutate()
				.responseTimeout(Duration.ofMinutes(2))
				.build()
				.get()
				.uri("/api/v1/events")
				.accept(MediaType.TEXT_EVENT_STREAM)
				.exchange()
				.returnResult(new ParameterizedTypeReference<ServerSentEvent<String>>() {
				})
				.getResponseBody()
				.filter((event) -> "throughput".equals(event.event()))
				.map((event) -> json.readTree(event.data()))
				.filter((point) -> point.get("subscriptionId").asString().equals("acme"))
				.subscribe((point) -> streamed.put(point.get("at").asString(), point));
			try {
				// Pushed customers go to Stamped.io, and their new links back to
				// iPaaS.com;
				// a Manual Sync also reads each customer from iPaaS.com first.
				String pushed = api.submit("acme", customers);
				api.awaitFinal(pushed, Duration.ofSeconds(60));
				String synced = manualSync(client, List.of("700001", "700002", "700003", "700004", "700005"));
				api.awaitFinal(synced, Duration.ofSeconds(60));
				// Each record's calls per direction are journaled with it: read from
				// iPaaS.com,
				// sent to Stamped.io, its link written back.
				assertThat(api.results(synced)).hasSize(5).allSatisfy((record) -> {
					assertThat(record.get("ipaasCalls").asInt()).isGreaterThanOrEqualTo(2);
					assertThat(record.get("stampedCalls").asInt()).isGreaterThanOrEqualTo(1);
					assertThat(record.get("stampedCalls").asInt() + record.get("ipaasCalls").asInt())
						.isEqualTo(record.get("attempts").asInt());
				});

				List<JsonNode> points = await().atMost(Duration.ofSeconds(30))
					.until(() -> points(client, 60), (served) -> sum(served, "records") == 35);
				assertThat(points).hasSize(60);
				assertThat(points.get(59).get("at").asString()).endsWith(":00Z");
				assertThat(sum(points, "errors")).isEqualTo(2);
				// Every call the stores answered was made for one of the records, and is
				// counted in its direction.
				assertThat(sum(points, "stamped", "calls")).isEqualTo(stamped.stats().total());
				assertThat(sum(points, "ipaas", "calls")).isEqualTo(ipaas.stats().total()).isGreaterThanOrEqualTo(33);
				assertThat(sum(points, "calls")).isEqualTo(stamped.stats().total() + ipaas.stats().total());
				// The records that called each direction: all 35 went to Stamped.io, and
				// those created wrote their link back to iPaaS.com.
				assertThat(sum(points, "stamped", "records")).isEqualTo(35);
				assertThat(sum(points, "stamped", "errors")).isEqualTo(2);
				assertThat(sum(points, "ipaas", "records")).isEqualTo(33);
				assertThat(sum(points, "ipaas", "errors")).isZero();
				// The stream sends each changed minute: their latest values are the
				// served ones.
				await().atMost(Duration.ofSeconds(10))
					.until(() -> sum(List.copyOf(streamed.values()), "records") == 35);
				assertThat(nonEmpty(streamed.values().stream().map(ThroughputTests::withoutSubscription).toList()))
					.containsExactlyInAnyOrderElementsOf(nonEmpty(points));
				beforeRestart = points;
			}
			finally {
				stream.dispose();
			}
			client.get()
				.uri("/api/v1/monitoring/throughput?subscriptionId=acme&minutes=0")
				.exchange()
				.expectStatus()
				.isBadRequest();
			client.get()
				.uri("/api/v1/monitoring/throughput?subscriptionId=nobody")
				.exchange()
				.expectStatus()
				.isNotFound();
		}
		try (ConfigurableApplicationContext second = start()) {
			WebTestClient client = client(second);
			List<JsonNode> rebuilt = await().atMost(Duration.ofSeconds(30))
				.until(() -> points(client, 1440), (served) -> sum(served, "records") == 35);
			// Minute by minute and direction by direction, what was served live.
			assertThat(nonEmpty(rebuilt)).containsExactlyElementsOf(nonEmpty(beforeRestart));
		}
	}

	private static String manualSync(WebTestClient client, List<String> ids) {
		return client.post()
			.uri("/api/v1/subscriptions/acme/manual-sync")
			.contentType(MediaType.APPLICATION_JSON)
			.bodyValue(json.writeValueAsString(Map.of("ids", ids)))
			.exchange()
			.expectStatus()
			.isAccepted()
			.expectBody(JsonNode.class)
			.returnResult()
			.getResponseBody()
			.get("id")
			.asString();
	}

	/** The minutes with work, as JSON text. */
	private static List<String> nonEmpty(List<JsonNode> points) {
		return points.stream().filter((point) -> point.get("records").asLong() > 0).map(JsonNode::toString).toList();
	}

	/** A streamed minute as the API serves it. */
	private static JsonNode withoutSubscription(JsonNode update) {
		ObjectNode point = (ObjectNode) update.deepCopy();
		point.remove("subscriptionId");
		return point;
	}

	private static List<JsonNode> points(WebTestClient client, int minutes) {
		JsonNode view = GatewayApi.getJson(client,
				"/api/v1/monitoring/throughput?subscriptionId=acme&minutes=" + minutes);
		assertThat(view.get("subscriptionId").asString()).isEqualTo("acme");
		return view.get("points").valueStream().toList();
	}

	private static long sum(List<JsonNode> points, String field) {
		return points.stream().mapToLong((point) -> point.get(field).asLong()).sum();
	}

	private static long sum(List<JsonNode> points, String direction, String field) {
		return points.stream()
			.mapToLong((point) -> point.path("directions").path(direction).path(field).asLong())
			.sum();
	}

	private static ConfigurableApplicationContext start() {
		String prefix = "--stamped-sync.subscriptions.acme.";
		List<String> arguments = new ArrayList<>(List.of("--server.port=0", "--management.server.port=0",
				"--stamped-sync.data-dir=" + dataDir, "--stamped-sync.security.allow-loopback-urls=true",
				prefix + "api-url=" + stamped.baseUrl(), prefix + "api-public-key=" + TestSubscriptions.PUBLIC_KEY,
				prefix + "api-private-key=" + TestSubscriptions.PRIVATE_KEY,
				prefix + "api-store-hash=" + TestSubscriptions.STORE_HASH, prefix + "api-throttle-limit=100000",
				prefix + "api-throttle-seconds=1", prefix + "ipaas-api-url=" + ipaas.baseUrl(),
				prefix + "ipaas-api-token=" + IPAAS_TOKEN, prefix + "ipaas-system-id=4242"));
		arguments.addAll(TestTokens.arguments());
		return new SpringApplicationBuilder(StampedSyncApplication.class).run(arguments.toArray(String[]::new));
	}

	private static WebTestClient client(ConfigurableApplicationContext context) {
		return GatewayClients.admin(context).build();
	}

}

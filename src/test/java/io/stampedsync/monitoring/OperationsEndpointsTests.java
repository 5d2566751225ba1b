package io.stampedsync.monitoring;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.stampedsync.GatewayApi;
import io.stampedsync.GatewayClients;
import io.stampedsync.TestSubscriptions;
import io.stampedsync.TestTokens;
import io.stampedsync.sandbox.StampedSimulator;
import io.stampedsync.testing.Customers;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import reactor.core.scheduler.Schedulers;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalManagementPort;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.context.ApplicationContext;
import org.springframework.context.annotation.Import;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.MediaType;
import org.springframework.http.codec.ServerSentEvent;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What operators and dashboards read: Prometheus metrics and readiness on the management
 * port, the dashboard stream's subscription events, and the OpenAPI description.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = "management.endpoint.health.group.readiness.show-components=always")
@AutoConfigureWebTestClient
@Import(TestTokens.AdminClient.class)
class OperationsEndpointsTests {

	static final StampedSimulator stamped = TestSubscriptions.stampedSimulator();

	@TempDir
	static Path dataDir;

	@Autowired
	WebTestClient client;

	@Autowired
	ApplicationContext context;

	@LocalManagementPort
	int managementPort;

	MonitoringApi api;

	WebTestClient management;

	private final JsonMapper json = JsonMapper.builder().build();

	@DynamicPropertySource
	static void properties(DynamicPropertyRegistry registry) {
		TestSubscriptions.gateway(registry, dataDir);
		TestSubscriptions.subscription(registry, "acme", stamped,
				Map.of("api-throttle-limit", "100000", "api-throttle-seconds", "1"));
	}

	@AfterAll
	static void stop() {
		stamped.close();
	}

	@BeforeEach
	void setUp() {
		this.api = new MonitoringApi(this.client);
		this.management = GatewayClients.webTestClient(this.context, this.managementPort).build();
	}

	@Test
	void prometheusShowsCallsTransfersBatchesAndWaitsWithBoundedTags() {
		List<String> customers = new ArrayList<>(Customers.fresh("prom-", 3));
		customers.add(Customers.customer("prom-bad").email("not-an-email").json());
		this.api.awaitFinal(this.api.submit("acme", customers));

		String metrics = MonitoringApi.await(this::prometheus,
				(text) -> text.contains("stamped_sync_records_waiting{subscription=\"acme\"}")
						&& text.contains("code=\"INVALID_CUSTOMER\""),
				"metrics of the batch");

		assertThat(metrics).contains(
				"stamped_sync_calls_total{direction=\"stamped\",status=\"2xx\",subscription=\"acme\"}",
				"stamped_sync_call_duration_seconds_count{direction=\"stamped\",status=\"2xx\",subscription=\"acme\"}",
				"stamped_sync_permit_wait_seconds_count{direction=\"stamped\",subscription=\"acme\"}",
				"stamped_sync_transfers_total{code=\"none\",outcome=\"created\",subscription=\"acme\"} 3.0",
				"stamped_sync_transfers_total{code=\"INVALID_CUSTOMER\",outcome=\"rejected\",subscription=\"acme\"} 1.0",
				"stamped_sync_batch_duration_seconds_count{status=\"completed_with_errors\",subscription=\"acme\"} 1",
				"stamped_sync_errors_dropped_total 0.0");
	}

	@Test
	void readinessIncludesTheJournal() {
		JsonNode readiness = GatewayApi.getJson(this.management, "/actuator/health/readiness");

		assertThat(readiness.get("status").asString()).isEqualTo("UP");
		assertThat(readiness.get("components").get("r2dbc").get("status").asString()).isEqualTo("UP");
		this.management.get().uri("/actuator/health/liveness").exchange().expectStatus().isOk();
	}

	@Test
	void dashboardStreamCarriesSubscriptionHealthAndItsChanges() {
		List<JsonNode> seen = new ArrayList<>();
		this.client.mutate()
			.responseTimeout(Duration.ofSeconds(60))
			.build()
			.get()
			.uri("/api/v1/events")
			.accept(MediaType.TEXT_EVENT_STREAM)
			.exchange()
			.expectStatus()
			.isOk()
			.returnResult(new ParameterizedTypeReference<ServerSentEvent<String>>() {
			})
			.getResponseBody()
			.filter((event) -> "subscription".equals(event.event()))
			.map((event) -> this.json.readTree(event.data()))
			.filter((health) -> health.get("subscriptionId").asString().equals("acme"))
			// The test client blocks: off the event loop.
			.publishOn(Schedulers.boundedElastic())
			.doOnNext((health) -> {
				if (seen.isEmpty()) {
					// The first is the current health; a batch then changes it.
					this.api.submit("acme", Customers.fresh("sse-", 2));
				}
				seen.add(health);
			})
			.take(2)
			.blockLast(Duration.ofSeconds(60));

		assertThat(seen).hasSize(2);
		assertThat(seen.get(0).get("health").asString()).isEqualTo("healthy");
		assertThat(seen.get(1)).isNotEqualTo(seen.get(0));
		assertThat(seen.get(1).get("directions").get("stamped").get("limit").asInt()).isEqualTo(100000);
	}

	@Test
	void openApiDescribesEveryOperation() {
		// The first description is built on demand: slow on a busy machine.
		JsonNode docs = GatewayApi.getJson(this.api.client(), "/v3/api-docs");

		assertThat(docs.get("paths").propertyNames()).contains("/api/v1/subscriptions/{id}",
				"/api/v1/subscriptions/{subscriptionId}/batches", "/api/v1/batches/{batchId}/events", "/api/v1/errors",
				"/api/v1/monitoring", "/api/v1/events");
		docs.get("paths").properties().forEach((path) -> path.getValue().properties().forEach((operation) -> {
			assertThat(operation.getValue().path("summary").asString())
				.as("summary of %s %s", operation.getKey(), path.getKey())
				.isNotBlank();
			assertThat(operation.getValue().path("tags").size()).isEqualTo(1);
		}));
		assertThat(docs.get("info").get("title").asString()).isEqualTo("Stamped Sync API");
		// The browsing UI is off unless stamped-sync.api-docs.ui-enabled (on in the
		// sandbox).
		this.client.get().uri("/swagger-ui.html").exchange().expectStatus().isNotFound();
	}

	private String prometheus() {
		return this.management.get()
			.uri("/actuator/prometheus")
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody(String.class)
			.returnResult()
			.getResponseBody();
	}

}

package io.stampedsync.batch;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.stampedsync.GatewayClients;
import io.stampedsync.TestSubscriptions;
import io.stampedsync.TestTokens;
import io.stampedsync.sandbox.StampedSimulator;
import io.stampedsync.testing.Customers;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.context.ApplicationContext;
import org.springframework.context.annotation.Import;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.codec.ServerSentEvent;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.web.reactive.function.client.WebClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The SSE views of a batch: replay, resume with Last-Event-ID, streamed POST. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@AutoConfigureWebTestClient
@Import(TestTokens.AdminClient.class)
class BatchEventStreamTests {

	static final StampedSimulator stamped = TestSubscriptions.stampedSimulator();

	static final ParameterizedTypeReference<ServerSentEvent<String>> SSE = new ParameterizedTypeReference<>() {
	};

	@TempDir
	static Path dataDir;

	@Autowired
	WebTestClient client;

	@Autowired
	ApplicationContext context;

	@LocalServerPort
	int port;

	final JsonMapper json = JsonMapper.builder().build();

	@DynamicPropertySource
	static void properties(DynamicPropertyRegistry registry) {
		TestSubscriptions.gateway(registry, dataDir);
		TestSubscriptions.subscription(registry, "acme", stamped,
				Map.of("api-throttle-limit", "100000", "api-throttle-seconds", "1", "concurrent-connections", "2"));
	}

	private WebClient web() {
		return GatewayClients.webClient(this.context, this.port)
			.defaultHeader(HttpHeaders.AUTHORIZATION, TestTokens.bearer(TestTokens.ADMIN))
			.build();
	}

	@AfterAll
	static void stop() {
		stamped.close();
	}

	@Test
	void watcherThatReconnectsWithLastEventIdSeesEveryRecordExactlyOnce() {
		stamped.latency(Duration.ofMillis(15));
		BatchApi api = new BatchApi(this.client);
		String id = api.submit("acme", Customers.fresh("sse-", 200));
		WebClient web = web();

		List<ServerSentEvent<String>> first = web.get()
			.uri("/api/v1/batches/{id}/events", id)
			.accept(MediaType.TEXT_EVENT_STREAM)
			.retrieve()
			.bodyToFlux(SSE)
			.filter((event) -> event.event() != null)
			.takeUntil((event) -> indexes(List.of(event)).size() == 1 && Long.parseLong(event.id()) >= 60)
			.collectList()
			.block(Duration.ofSeconds(30));
		String lastId = first.get(first.size() - 1).id();
		List<ServerSentEvent<String>> second = web.get()
			.uri("/api/v1/batches/{id}/events", id)
			.accept(MediaType.TEXT_EVENT_STREAM)
			.header("Last-Event-ID", lastId)
			.retrieve()
			.bodyToFlux(SSE)
			.filter((event) -> event.event() != null)
			.collectList()
			.block(Duration.ofSeconds(60));

		List<Integer> seen = new ArrayList<>(indexes(first));
		seen.addAll(indexes(second));
		assertThat(seen).hasSize(200).doesNotHaveDuplicates();
		ServerSentEvent<String> last = second.get(second.size() - 1);
		assertThat(last.event()).isEqualTo("status");
		assertThat(last.data()).contains("\"completed\"");
		assertThat(Long.parseLong(second.get(0).id())).isEqualTo(Long.parseLong(lastId) + 1);
		stamped.latency(Duration.ZERO);
	}

	@Test
	void streamedPostAnswersWithTheBatchEventsFromTheFirstMoment() {
		WebClient web = web();

		List<ServerSentEvent<String>> events = web.post()
			.uri("/api/v1/subscriptions/acme/batches")
			.contentType(BatchApi.NDJSON)
			.accept(MediaType.TEXT_EVENT_STREAM)
			.bodyValue(Customers.ndjson(Customers.fresh("stream-", 30)))
			.retrieve()
			.bodyToFlux(SSE)
			.filter((event) -> event.event() != null)
			.collectList()
			.block(Duration.ofSeconds(60));

		assertThat(events.get(0).event()).isEqualTo("status");
		JsonNode first = this.json.readTree(events.get(0).data());
		assertThat(first.get("status").asString()).isEqualTo("receiving");
		String batchId = first.get("batchId").asString();
		assertThat(indexes(events)).hasSize(30).doesNotHaveDuplicates();
		assertThat(events).filteredOn((event) -> "progress".equals(event.event())).isNotEmpty();
		ServerSentEvent<String> last = events.get(events.size() - 1);
		assertThat(this.json.readTree(last.data()).get("batchId").asString()).isEqualTo(batchId);
		assertThat(last.data()).contains("\"completed\"");
	}

	@Test
	void finishedBatchReplaysItsLogAndEnds() {
		BatchApi api = new BatchApi(this.client);
		String id = api.submit("acme", Customers.fresh("replay-", 5));
		api.awaitFinal(id, Duration.ofSeconds(30));

		List<ServerSentEvent<String>> events = web().get()
			.uri("/api/v1/batches/{id}/events", id)
			.retrieve()
			.bodyToFlux(SSE)
			.collectList()
			.block(Duration.ofSeconds(30));

		assertThat(events.get(0).event()).isEqualTo("status");
		assertThat(indexes(events)).containsExactlyInAnyOrder(0, 1, 2, 3, 4);
		List<Long> ids = events.stream().map((event) -> Long.parseLong(event.id())).toList();
		assertThat(ids).isSorted().doesNotHaveDuplicates();
	}

	@Test
	void cancelEndsUnstartedRecordsCancelledAndEveryRecordHasOneOutcome() {
		stamped.latency(Duration.ofMillis(20));
		BatchApi api = new BatchApi(this.client);
		String id = api.submit("acme", Customers.fresh("cancel-", 300));
		await().atMost(Duration.ofSeconds(30)).until(() -> api.get(id).get("done").asLong() >= 10);

		this.client.delete().uri("/api/v1/batches/{id}", id).exchange().expectStatus().isAccepted();
		JsonNode done = api.awaitFinal(id, Duration.ofSeconds(30));

		assertThat(done.get("status").asString()).isEqualTo("cancelled");
		Map<String, Long> counts = api.counts(done);
		assertThat(counts.get("cancelled")).isPositive();
		assertThat(counts.get("created") + counts.get("cancelled")).isEqualTo(300);
		assertThat(stamped.store().all().stream().filter((c) -> c.email().startsWith("cancel-")))
			.hasSize(counts.get("created").intValue());
		this.client.delete().uri("/api/v1/batches/{id}", id).exchange().expectStatus().isEqualTo(409);
		stamped.latency(Duration.ZERO);
	}

	private List<Integer> indexes(List<ServerSentEvent<String>> events) {
		return events.stream()
			.filter((event) -> "record".equals(event.event()))
			.map((event) -> this.json.readTree(event.data()).get("index").asInt())
			.toList();
	}

}

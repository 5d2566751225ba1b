package io.stampedsync;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.BooleanSupplier;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.stream.Collectors;

import io.stampedsync.testing.Customers;
import org.awaitility.Awaitility;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.context.ApplicationContext;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.web.util.UriBuilder;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The gateway's batch and subscription API as the fault, pacing and crash tests drive it,
 * in the same JVM or in a child process.
 */
public class GatewayApi {

	/** NDJSON, the body type of most test batches. */
	public static final MediaType NDJSON = MediaType.parseMediaType("application/x-ndjson");

	/** The outcomes a record can end with. */
	public static final Set<String> TERMINAL = Set.of("created", "updated", "unchanged", "rejected", "failed",
			"cancelled");

	private static final Duration POLL = Duration.ofMillis(100);

	private static final Set<String> FINAL_STATUSES = Set.of("completed", "completed_with_errors", "cancelled");

	private final WebTestClient client;

	private final JsonMapper json = JsonMapper.builder().build();

	public GatewayApi(WebTestClient client) {
		this.client = client.mutate().responseTimeout(Duration.ofSeconds(120)).build();
	}

	/**
	 * A client of the gateway of {@code context}, as admin, on the gateway's own loops.
	 */
	public static GatewayApi of(ApplicationContext context) {
		return new GatewayApi(GatewayClients.admin(context).build());
	}

	/**
	 * A client of a gateway in a child process listening on {@code port} of 127.0.0.1.
	 */
	public static GatewayApi childProcess(int port) {
		return new GatewayApi(GatewayClients.childProcess(port).build());
	}

	public WebTestClient client() {
		return this.client;
	}

	/** {@code count} distinct valid customers, as {@link Customers#fresh} builds them. */
	public static List<String> customers(String prefix, int count) {
		return Customers.fresh(prefix, count);
	}

	/** Posts the customers as NDJSON, expects 202, answers the batch id. */
	public String submit(String subscriptionId, List<String> customers) {
		return submit(subscriptionId, "", customers);
	}

	/**
	 * Posts the customers as NDJSON with a query string (e.g. {@code ?force=true}),
	 * expects 202, answers the batch id.
	 */
	public String submit(String subscriptionId, String query, List<String> customers) {
		return json(this.client.post()
			.uri("/api/v1/subscriptions/" + subscriptionId + "/batches" + query)
			.contentType(NDJSON)
			.bodyValue(String.join("\n", customers) + "\n")
			.exchange(), HttpStatus.ACCEPTED).get("id").asString();
	}

	public JsonNode batch(String batchId) {
		return getJson("/api/v1/batches/{id}", batchId);
	}

	/**
	 * {@code GET uri} (a URI template and its variables): expects 200, answers the JSON.
	 */
	public JsonNode getJson(String uri, Object... variables) {
		return getJson(this.client, uri, variables);
	}

	/** {@code GET uri} with {@code client}: expects 200, answers the JSON body. */
	public static JsonNode getJson(WebTestClient client, String uri, Object... variables) {
		return json(client.get().uri(uri, variables).exchange(), HttpStatus.OK);
	}

	/** {@code GET} of the URI {@code uri} builds: expects 200, answers the JSON body. */
	public static JsonNode getJson(WebTestClient client, Function<UriBuilder, URI> uri) {
		return json(client.get().uri(uri).exchange(), HttpStatus.OK);
	}

	/** Expects {@code status}; answers the JSON body. */
	public static JsonNode json(WebTestClient.ResponseSpec response, HttpStatus status) {
		return response.expectStatus().isEqualTo(status).expectBody(JsonNode.class).returnResult().getResponseBody();
	}

	/** Polls until the batch reaches a final status; fails after {@code timeout}. */
	public JsonNode awaitFinal(String batchId, Duration timeout) {
		return await(batchId, timeout, (batch) -> FINAL_STATUSES.contains(batch.get("status").asString()));
	}

	/** Polls until {@code condition} holds for the batch; fails after {@code timeout}. */
	public JsonNode await(String batchId, Duration timeout, Predicate<JsonNode> condition) {
		return Awaitility.await("batch " + batchId)
			.atMost(timeout)
			.pollInterval(POLL)
			.until(() -> batch(batchId), condition::test);
	}

	/** Records per outcome of a batch summary. */
	/** Waits for the batch's final status and checks that it completed without errors. */
	public void assertCompletes(String batchId, Duration timeout) {
		String status = await(batchId, timeout, (view) -> view.get("status").asString().startsWith("completed"))
			.get("status")
			.asString();
		assertThat(status).as("status of batch %s", batchId).isEqualTo("completed");
	}

	public Map<String, Long> counts(JsonNode batch) {
		return this.json.convertValue(batch.get("counts"),
				this.json.getTypeFactory().constructMapType(Map.class, String.class, Long.class));
	}

	/** Every per-record result of a batch, page by page. */
	public List<JsonNode> results(String batchId) {
		return results(batchId, null);
	}

	/**
	 * The per-record results with {@code outcome} (all when {@code null}), page by page.
	 */
	public List<JsonNode> results(String batchId, String outcome) {
		List<JsonNode> all = new ArrayList<>();
		for (int page = 0;; page++) {
			int current = page;
			JsonNode body = getJson(this.client,
					(uri) -> uri.path("/api/v1/batches/{id}/results")
						.queryParam("page", current)
						.queryParam("size", 1000)
						.queryParamIfPresent("outcome", Optional.ofNullable(outcome))
						.build(batchId));
			List<JsonNode> items = body.get("items").valueStream().toList();
			all.addAll(items);
			if (items.size() < 1000) {
				return all;
			}
		}
	}

	/**
	 * Asserts that each of the {@code total} records of the batch has exactly one result
	 * with a terminal outcome; answers the results by index.
	 */
	public List<JsonNode> assertOneOutcomePerRecord(String batchId, int total) {
		List<JsonNode> results = results(batchId);
		assertThat(results).as("results of %s", batchId).hasSize(total);
		assertThat(results.stream().map((result) -> result.get("index").asInt()).collect(Collectors.toSet()))
			.as("indexes of %s", batchId)
			.hasSize(total)
			.allMatch((index) -> index >= 0 && index < total);
		assertThat(results).allSatisfy((result) -> assertThat(TERMINAL).as("outcome of %s", result)
			.contains(result.path("outcome").asString("")));
		List<JsonNode> byIndex = new ArrayList<>(results);
		byIndex.sort((a, b) -> Integer.compare(a.get("index").asInt(), b.get("index").asInt()));
		return byIndex;
	}

	/** PUTs a subscription; expects 200 or 201. */
	public void putSubscription(String id, String json) {
		this.client.put()
			.uri("/api/v1/subscriptions/{id}", id)
			.contentType(MediaType.APPLICATION_JSON)
			.bodyValue(json)
			.exchange()
			.expectStatus()
			.is2xxSuccessful();
	}

	/** {@code POST /subscriptions/{id}/verify}: the verify result. */
	public JsonNode verify(String id) {
		return this.client.post()
			.uri("/api/v1/subscriptions/{id}/verify", id)
			.exchange()
			.expectBody(JsonNode.class)
			.returnResult()
			.getResponseBody();
	}

	/**
	 * Polls {@code condition} every 100 ms until it holds; fails after {@code timeout}
	 * (be generous: these are shared 2-core machines).
	 */
	public static void until(BooleanSupplier condition, Duration timeout) {
		Awaitility.await().atMost(timeout).pollInterval(POLL).until(condition::getAsBoolean);
	}

	/**
	 * Lets a benchmark's measurement period pass. Never a way to wait for something to
	 * happen: that is {@link #until} or Awaitility.
	 */
	public static void sleep(long millis) {
		try {
			Thread.sleep(millis);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

}

package io.stampedsync.batch;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;

import static org.assertj.core.api.Assertions.assertThat;

/** The batch API as a test drives it. */
final class BatchApi {

	static final MediaType NDJSON = MediaType.parseMediaType("application/x-ndjson");

	private final WebTestClient client;

	private final JsonMapper json = JsonMapper.builder().build();

	BatchApi(WebTestClient client) {
		this.client = client.mutate().responseTimeout(Duration.ofSeconds(60)).build();
	}

	WebTestClient client() {
		return this.client;
	}

	/** Posts NDJSON, expects 202, answers the batch id. */
	String submit(String subscriptionId, List<String> customers) {
		return submit(subscriptionId, "", customers);
	}

	/** Posts NDJSON with a query string (e.g. {@code ?force=true}), expects 202. */
	String submit(String subscriptionId, String query, List<String> customers) {
		JsonNode batch = this.client.post()
			.uri("/api/v1/subscriptions/" + subscriptionId + "/batches" + query)
			.contentType(NDJSON)
			.bodyValue(Customers.ndjson(customers))
			.exchange()
			.expectStatus()
			.isAccepted()
			.expectBody(JsonNode.class)
			.returnResult()
			.getResponseBody();
		return batch.get("id").asString();
	}

	JsonNode get(String batchId) {
		return this.client.get()
			.uri("/api/v1/batches/{id}", batchId)
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody(JsonNode.class)
			.returnResult()
			.getResponseBody();
	}

	/** Polls until the batch reaches a final status; fails after {@code timeout}. */
	JsonNode awaitFinal(String batchId, Duration timeout) {
		long deadline = System.nanoTime() + timeout.toNanos();
		while (true) {
			JsonNode batch = get(batchId);
			String status = batch.get("status").asString();
			if (List.of("completed", "completed_with_errors", "cancelled").contains(status)) {
				return batch;
			}
			assertThat(System.nanoTime()).as("batch %s still %s: %s", batchId, status, batch).isLessThan(deadline);
			sleep(100);
		}
	}

	Map<String, Long> counts(JsonNode batch) {
		return this.json.convertValue(batch.get("counts"),
				this.json.getTypeFactory().constructMapType(Map.class, String.class, Long.class));
	}

	List<JsonNode> results(String batchId, String outcome) {
		JsonNode page = this.client.get()
			.uri((uri) -> uri.path("/api/v1/batches/{id}/results")
				.queryParam("size", 1000)
				.queryParamIfPresent("outcome", java.util.Optional.ofNullable(outcome))
				.build(batchId))
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody(JsonNode.class)
			.returnResult()
			.getResponseBody();
		return page.get("items").valueStream().toList();
	}

	static void sleep(long millis) {
		try {
			Thread.sleep(millis);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

}

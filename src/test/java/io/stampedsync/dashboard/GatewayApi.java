package io.stampedsync.dashboard;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

import io.stampedsync.TestTokens;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;

import static org.assertj.core.api.Assertions.assertThat;

/** The batch API as the browser tests drive it beside the page, with the admin token. */
final class GatewayApi {

	static final MediaType NDJSON = MediaType.parseMediaType("application/x-ndjson");

	private final WebTestClient client;

	private final JsonMapper json = JsonMapper.builder().build();

	GatewayApi(String baseUrl) {
		this.client = WebTestClient.bindToServer()
			.baseUrl(baseUrl)
			.defaultHeader(HttpHeaders.AUTHORIZATION, TestTokens.bearer(TestTokens.ADMIN))
			.responseTimeout(Duration.ofSeconds(60))
			.build();
	}

	static String customer(String id, String email, String firstName, String lastName) {
		return "{\"id\":\"" + id + "\"," + ((email != null) ? "\"email_address\":\"" + email + "\"," : "")
				+ "\"first_name\":\"" + firstName + "\",\"last_name\":\"" + lastName + "\"}";
	}

	/** {@code count} new customers {@code prefix1 … prefixN}. */
	static List<String> customers(String prefix, int count) {
		return IntStream.rangeClosed(1, count)
			.mapToObj((i) -> customer(prefix + i, prefix + i + "@example.com", "First" + i, "Last" + i))
			.toList();
	}

	/** Posts NDJSON, expects 202, answers the batch id. */
	String submit(String subscriptionId, List<String> customers) {
		JsonNode batch = this.client.post()
			.uri("/api/v1/subscriptions/{id}/batches", subscriptionId)
			.contentType(NDJSON)
			.bodyValue(String.join("\n", customers) + "\n")
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

	/** Polls until the batch reaches a final status. */
	JsonNode awaitFinal(String batchId) {
		long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
		while (true) {
			JsonNode batch = get(batchId);
			if (DashboardBrowserTests.FINAL.contains(batch.get("status").asString())) {
				return batch;
			}
			assertThat(System.nanoTime()).as("batch %s still running: %s", batchId, batch).isLessThan(deadline);
			try {
				Thread.sleep(100);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				throw new IllegalStateException(ex);
			}
		}
	}

	/** Records per outcome as {@code GET /api/v1/batches/{id}} tells them. */
	Map<String, Long> counts(JsonNode batch) {
		return this.json.convertValue(batch.get("counts"),
				this.json.getTypeFactory().constructMapType(java.util.LinkedHashMap.class, String.class, Long.class));
	}

}

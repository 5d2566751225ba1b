package io.stampedsync.ipaas;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import io.stampedsync.GatewayApi;
import io.stampedsync.TestSubscriptions;
import io.stampedsync.sandbox.IpaasSimulator;
import io.stampedsync.sandbox.StampedSimulator;
import tools.jackson.databind.JsonNode;

import org.springframework.http.MediaType;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.web.reactive.server.WebTestClient;

/** The hook, Manual Sync and batch API as the iPaaS.com flow tests drive them. */
final class IpaasApi extends GatewayApi {

	static final String TOKEN = "ipaas-test-token-0001";

	static final String WEBHOOK_KEY = "hook-test-key-0001";

	static final long SYSTEM_ID = 4242;

	IpaasApi(WebTestClient client) {
		super(client);
	}

	/**
	 * A subscription on both simulators with an iPaaS.com side and the webhook key;
	 * {@code overrides} as in {@link TestSubscriptions#subscription}.
	 */
	static void subscription(DynamicPropertyRegistry registry, String id, StampedSimulator stamped,
			IpaasSimulator ipaas, Map<String, String> overrides) {
		Map<String, String> settings = new HashMap<>(Map.of("ipaas-api-url", ipaas.baseUrl(), "ipaas-api-token", TOKEN,
				"ipaas-system-id", Long.toString(SYSTEM_ID), "webhook-api-key", WEBHOOK_KEY));
		settings.putAll(overrides);
		TestSubscriptions.subscription(registry, id, stamped, settings);
	}

	WebTestClient.ResponseSpec hook(String subscriptionId, String key, String body) {
		return client().post().uri("/api/v1/subscriptions/{id}/hooks", subscriptionId).headers((headers) -> {
			if (key != null) {
				headers.setBearerAuth(key);
			}
		}).contentType(MediaType.APPLICATION_JSON).bodyValue(body).exchange();
	}

	WebTestClient.ResponseSpec manualSync(String subscriptionId, String body) {
		return client().post()
			.uri("/api/v1/subscriptions/{id}/manual-sync", subscriptionId)
			.contentType(MediaType.APPLICATION_JSON)
			.bodyValue(body)
			.exchange();
	}

	/** A Manual Sync of {@code ids}, expected to be accepted; answers the batch id. */
	String manualSync(String subscriptionId, List<String> ids, boolean debug) {
		StringBuilder body = new StringBuilder("{\"debug\": ").append(debug).append(", \"ids\": [");
		for (int i = 0; i < ids.size(); i++) {
			body.append((i > 0) ? "," : "").append('"').append(ids.get(i)).append('"');
		}
		body.append("]}");
		JsonNode batch = manualSync(subscriptionId, body.toString()).expectStatus()
			.isAccepted()
			.expectBody(JsonNode.class)
			.returnResult()
			.getResponseBody();
		return batch.get("id").asString();
	}

	static boolean isFinal(JsonNode batch) {
		return List.of("completed", "completed_with_errors", "cancelled").contains(batch.get("status").asString());
	}

	/** The results of a batch, as raw JSON text and parsed. */
	String resultsJson(String batchId) {
		return client().get()
			.uri("/api/v1/batches/{id}/results?size=1000", batchId)
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody(String.class)
			.returnResult()
			.getResponseBody();
	}

	/** How many batches the subscription has. */
	int batchCount(String subscriptionId) {
		JsonNode list = GatewayApi.getJson(client(), "/api/v1/batches?subscriptionId={id}&limit=1000", subscriptionId);
		return list.size();
	}

}

package io.stampedsync.batch;

import io.stampedsync.GatewayApi;
import tools.jackson.databind.JsonNode;

import org.springframework.test.web.reactive.server.WebTestClient;

/** The batch API as the batch tests drive it. */
final class BatchApi extends GatewayApi {

	BatchApi(WebTestClient client) {
		super(client);
	}

	/** The batch summary ({@code GET /api/v1/batches/{id}}). */
	JsonNode get(String batchId) {
		return batch(batchId);
	}

}

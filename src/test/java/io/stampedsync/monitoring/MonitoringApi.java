package io.stampedsync.monitoring;

import java.net.URI;
import java.time.Duration;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.function.Supplier;

import io.stampedsync.GatewayApi;
import org.awaitility.Awaitility;
import tools.jackson.databind.JsonNode;

import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.web.util.UriBuilder;

/** The batch, error log and monitoring API as the monitoring tests drive it. */
final class MonitoringApi extends GatewayApi {

	MonitoringApi(WebTestClient client) {
		super(client);
	}

	JsonNode awaitFinal(String batchId) {
		return awaitFinal(batchId, Duration.ofSeconds(60));
	}

	JsonNode errors(Function<UriBuilder, UriBuilder> query) {
		return get((uri) -> query.apply(uri.path("/api/v1/errors")).build());
	}

	/** The monitoring entry of one subscription. */
	JsonNode health(String subscriptionId) {
		JsonNode view = get((uri) -> uri.path("/api/v1/monitoring").build());
		return view.get("subscriptions")
			.valueStream()
			.filter((health) -> health.get("subscriptionId").asString().equals(subscriptionId))
			.findFirst()
			.orElseThrow();
	}

	JsonNode awaitHealth(String subscriptionId, Predicate<JsonNode> condition, String what) {
		return await(() -> health(subscriptionId), condition, what);
	}

	JsonNode get(Function<UriBuilder, URI> uri) {
		return GatewayApi.getJson(client(), uri);
	}

	/**
	 * Polls until {@code condition} holds; generous deadline (shared 2-core machines).
	 */
	static <T> T await(Supplier<T> poll, Predicate<T> condition, String what) {
		return Awaitility.await(what)
			.atMost(Duration.ofSeconds(60))
			.pollInterval(Duration.ofMillis(100))
			.until(poll::get, condition::test);
	}

}

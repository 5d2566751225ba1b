package io.stampedsync.batch;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.stampedsync.GatewayApi;
import io.stampedsync.TestSubscriptions;
import io.stampedsync.TestTokens;
import io.stampedsync.sandbox.IpaasSimulator;
import io.stampedsync.sandbox.StampedSimulator;
import io.stampedsync.testing.Customers;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.context.annotation.Import;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Rates and ETAs of batches sharing one store: each batch counts its own calls of the
 * last minute per direction, they add up to no more than the store's calls of that minute
 * as the monitoring measures them (its window W is 1 s here, not a minute), and each ETA
 * comes true within 20 %.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@AutoConfigureWebTestClient
@Import(TestTokens.AdminClient.class)
class BatchRateTests {

	static final StampedSimulator two = TestSubscriptions.stampedSimulator();

	static final StampedSimulator three = TestSubscriptions.stampedSimulator();

	static final String IPAAS_TOKEN = "rates-ipaas-token-0001";

	/** The iPaaS.com side of both stores: each new customer's link is written back. */
	static final IpaasSimulator ipaas = new IpaasSimulator(IPAAS_TOKEN).start();

	@TempDir
	static Path dataDir;

	@Autowired
	WebTestClient client;

	@DynamicPropertySource
	static void properties(DynamicPropertyRegistry registry) {
		TestSubscriptions.gateway(registry, dataDir);
		// 5 calls a second: the Stamped.io quota binds, not the iPaaS.com quota nor the
		// connections, even when the machine is busy and a record's two calls (the
		// customer, then its link written back) take a few hundred milliseconds: four
		// connections keep up with the quota as long as a record takes under 0.8 s.
		Map<String, String> store = Map.of("api-throttle-limit", "5", "api-throttle-seconds", "1",
				"ipaas-throttle-limit", "50", "ipaas-throttle-seconds", "1", "concurrent-connections", "4",
				"ipaas-api-url", ipaas.baseUrl(), "ipaas-api-token", IPAAS_TOKEN, "ipaas-system-id", "4242");
		TestSubscriptions.subscription(registry, "two", two, store);
		TestSubscriptions.subscription(registry, "three", three, store);
	}

	@AfterAll
	static void stop() {
		two.close();
		three.close();
		ipaas.close();
	}

	@Test
	void twoBatchesShareTheQuotaAndFinishWhenTheirEtaSaid() {
		// Together 12 s, then the larger one alone 4 s.
		checkRatesAndEtas("two", two, List.of(30, 50));
	}

	@Test
	void threeBatchesShareTheQuotaAndFinishWhenTheirEtaSaid() {
		// 9 s of three, 6 s of two, 4 s alone.
		checkRatesAndEtas("three", three, List.of(15, 30, 50));
	}

	private void checkRatesAndEtas(String subscriptionId, StampedSimulator store, List<Integer> sizes) {
		store.latency(Duration.ofMillis(10));
		BatchApi api = new BatchApi(this.client);
		List<String> ids = new ArrayList<>();
		// The largest first: a batch runs alone until the next one is in, which on a
		// busy machine takes a few seconds, and the smallest must not end before the
		// others run.
		for (int i = sizes.size() - 1; i >= 0; i--) {
			int size = sizes.get(i);
			ids.add(api.submit(subscriptionId, Customers.fresh(subscriptionId + "-" + size + "-", size)));
		}
		// Some history first: the calls per record of each batch are measured.
		await().atMost(Duration.ofSeconds(60))
			.until(() -> ids.stream().allMatch((id) -> api.get(id).path("done").asLong() >= 4));

		long callsBefore = store.stats().total();
		// The ETAs listed were estimated at the batches' latest progress, before the list
		// is read.
		Instant estimatedAt = Instant.now();
		List<JsonNode> views = list(subscriptionId);
		long callsAfter = store.stats().total();
		JsonNode measured = monitoring(subscriptionId).path("directions");
		assertThat(views).hasSize(sizes.size());
		long stampedSum = 0;
		long ipaasSum = 0;
		for (JsonNode view : views) {
			assertThat(view.path("status").asString()).isEqualTo("running");
			// The quota binds; on a machine too busy to keep the gateway at its pace,
			// the connections do, and the ETA follows them.
			assertThat(view.path("limit").asString()).isIn("stamped-quota", "connections");
			assertThat(view.path("callsPerMinute").asDouble()).isEqualTo(
					(double) view.path("stampedCallsPerMinute").asLong() + view.path("ipaasCallsPerMinute").asLong());
			stampedSum += view.path("stampedCallsPerMinute").asLong();
			ipaasSum += view.path("ipaasCallsPerMinute").asLong();
		}
		// Every Stamped.io call so far is within the last minute and was made for one of
		// the batches.
		assertThat(stampedSum).as("the batches' Stamped.io calls of the last minute")
			.isBetween(callsBefore - 2, callsAfter);
		assertThat(ipaasSum).as("the batches' iPaaS.com calls of the last minute").isPositive();
		// Read after the batches: the store's minute holds every call they counted.
		assertThat(stampedSum).isLessThanOrEqualTo(measured.path("stamped").path("callsPerMinute").asLong());
		assertThat(ipaasSum).isLessThanOrEqualTo(measured.path("ipaas").path("callsPerMinute").asLong());
		assertThat(measured.path("stamped").path("calls").asLong()).as("calls in the 1 s window")
			.isLessThanOrEqualTo(5 + 1);

		for (JsonNode view : views) {
			JsonNode done = api.awaitFinal(view.path("id").asString(), Duration.ofSeconds(120));
			double took = Duration.between(estimatedAt, Instant.parse(done.path("finishedAt").asString())).toMillis()
					/ 1000.0;
			double eta = view.path("etaSeconds").asDouble();
			// The ETA is told in whole seconds: its rounding comes on top of the 20 %
			// (it matters for a batch that started before the others and has little
			// left).
			assertThat(eta).as("ETA of the %d-record batch, which took %.1f s", view.path("total").asInt(), took)
				.isBetween(took * 0.8 - 0.5, took * 1.2 + 0.5);
		}
	}

	private JsonNode monitoring(String subscriptionId) {
		JsonNode all = GatewayApi.getJson(this.client, "/api/v1/monitoring");
		return all.path("subscriptions")
			.valueStream()
			.filter((entry) -> entry.path("subscriptionId").asString().equals(subscriptionId))
			.findFirst()
			.orElseThrow();
	}

	private List<JsonNode> list(String subscriptionId) {
		JsonNode list = GatewayApi.getJson(this.client, "/api/v1/batches?subscriptionId={id}&status=running",
				subscriptionId);
		return list.valueStream().toList();
	}

}

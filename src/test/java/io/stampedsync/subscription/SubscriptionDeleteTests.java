package io.stampedsync.subscription;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import io.stampedsync.GatewayApi;
import io.stampedsync.TestSubscriptions;
import io.stampedsync.TestTokens;
import io.stampedsync.sandbox.StampedSimulator;
import io.stampedsync.testing.Customers;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.context.annotation.Import;
import org.springframework.http.MediaType;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@code DELETE /subscriptions/{id}} against the Stamped.io simulator: refused with a 409
 * naming the unfinished batches, or with {@code ?cancelBatches=true} their records end
 * cancelled and the subscription goes; one made again under the same id never continues
 * them.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@AutoConfigureWebTestClient
@Import(TestTokens.AdminClient.class)
class SubscriptionDeleteTests {

	static final StampedSimulator stamped = TestSubscriptions.stampedSimulator();

	@TempDir
	static Path dataDir;

	@Autowired
	WebTestClient webClient;

	GatewayApi api;

	@DynamicPropertySource
	static void properties(DynamicPropertyRegistry registry) {
		TestSubscriptions.gateway(registry, dataDir);
	}

	@AfterAll
	static void stop() {
		stamped.close();
	}

	@BeforeEach
	void setUp() {
		this.api = new GatewayApi(this.webClient);
	}

	@Test
	void deleteWithUnfinishedBatchesIsRefusedNamingThem() {
		this.api.putSubscription("doomed", settings("key-wrong-private-0000"));
		String batch = this.api.submit("doomed", Customers.fresh("refused", 3));
		awaitStatus(batch, "paused");

		this.webClient.delete()
			.uri("/api/v1/subscriptions/doomed")
			.exchange()
			.expectStatus()
			.isEqualTo(409)
			.expectHeader()
			.contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
			.expectBody()
			.jsonPath("$.detail")
			.value((detail) -> assertThat(detail.toString()).contains(batch).contains("cancelBatches=true"));

		assertThat(this.api.batch(batch).get("status").asString()).isEqualTo("paused");
		this.webClient.get().uri("/api/v1/subscriptions/doomed").exchange().expectStatus().isOk();
		cancelAndDelete("doomed");
	}

	@Test
	void deleteWithCancelBatchesCancelsThemAndANewSubscriptionDoesNotContinueThem() {
		this.api.putSubscription("reborn", settings("key-wrong-private-0000"));
		String batch = this.api.submit("reborn", Customers.fresh("orphan", 3));
		awaitStatus(batch, "paused");

		cancelAndDelete("reborn");

		JsonNode cancelled = this.api.batch(batch);
		assertThat(cancelled.get("status").asString()).isEqualTo("cancelled");
		assertThat(this.api.counts(cancelled)).containsEntry("cancelled", 3L);
		this.webClient.get().uri("/api/v1/subscriptions/reborn").exchange().expectStatus().isNotFound();

		// The same id again, now with keys that work: only its own batches run.
		this.api.putSubscription("reborn", settings(TestSubscriptions.PRIVATE_KEY));
		String fresh = this.api.submit("reborn", Customers.fresh("fresh", 2));
		await().atMost(Duration.ofSeconds(60))
			.until(() -> this.api.batch(fresh).get("status").asString(), "completed"::equals);
		assertThat(this.api.batch(batch).get("status").asString()).isEqualTo("cancelled");
		assertThat(stamped.store().byEmail("orphan1@example.com")).isEmpty();
		assertThat(stamped.store().byEmail("fresh1@example.com")).isPresent();
	}

	private void cancelAndDelete(String id) {
		this.webClient.delete()
			.uri("/api/v1/subscriptions/{id}?cancelBatches=true", id)
			.exchange()
			.expectStatus()
			.isNoContent();
	}

	private void awaitStatus(String batch, String status) {
		await().atMost(Duration.ofSeconds(60))
			.until(() -> this.api.batch(batch).get("status").asString(), status::equals);
	}

	private static String settings(String privateKey) {
		return JsonMapper.builder()
			.build()
			.writeValueAsString(Map.of("apiUrl", stamped.baseUrl(), "apiPublicKey", TestSubscriptions.PUBLIC_KEY,
					"apiPrivateKey", privateKey, "apiStoreHash", TestSubscriptions.STORE_HASH));
	}

}

package io.stampedsync.batch;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
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
 * Input longer than the column it is stored in is refused at the edge, never a 5xx
 * (DESIGN.md §5): an overlong customer field rejects that record (its stored copy cut to
 * fit), an overlong header or hook value refuses the request with a problem.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@AutoConfigureWebTestClient
@Import(TestTokens.AdminClient.class)
class OverlongInputTests {

	static final StampedSimulator stamped = TestSubscriptions.stampedSimulator();

	static final String WEBHOOK_KEY = "hook-key-overlong-0001";

	@TempDir
	static Path dataDir;

	@Autowired
	WebTestClient webClient;

	GatewayApi api;

	@DynamicPropertySource
	static void properties(DynamicPropertyRegistry registry) {
		TestSubscriptions.gateway(registry, dataDir);
		TestSubscriptions.subscription(registry, "long", stamped, Map.of("ipaas-api-url", "http://127.0.0.1:9",
				"ipaas-api-token", "token-overlong-0001", "ipaas-system-id", "42", "webhook-api-key", WEBHOOK_KEY));
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
	void overlongCustomerIdAndEmailRejectTheirRecordsOnly() {
		String longId = "c".repeat(65);
		String longEmail = "a".repeat(64) + "@" + "b".repeat(250) + ".example.com";
		String batch = this.api.submit("long", List.of(Customers.customer(longId).email("long-id@example.com").json(),
				Customers.customer("long-email").email(longEmail).json(), Customers.numbered("fits-", 1).json()));

		await().atMost(Duration.ofSeconds(60))
			.until(() -> this.api.batch(batch).get("status").asString(), "completed_with_errors"::equals);
		List<JsonNode> results = this.api.assertOneOutcomePerRecord(batch, 3);
		assertThat(results.get(0).get("outcome").asString()).isEqualTo("rejected");
		assertThat(results.get(0).at("/error/code").asString()).isEqualTo("INVALID_CUSTOMER");
		assertThat(results.get(0).at("/error/message").asString()).contains("id").contains("64");
		assertThat(results.get(0).get("ipaasCustomerId").asString()).hasSizeLessThanOrEqualTo(64);
		assertThat(results.get(1).get("outcome").asString()).isEqualTo("rejected");
		assertThat(results.get(1).at("/error/message").asString()).contains("email_address").contains("320");
		assertThat(results.get(1).get("email").asString()).hasSizeLessThanOrEqualTo(320);
		assertThat(results.get(2).get("outcome").asString()).isEqualTo("created");
	}

	@Test
	void overlongIdempotencyKeyIsABadRequest() {
		this.webClient.post()
			.uri("/api/v1/subscriptions/long/batches")
			.contentType(GatewayApi.NDJSON)
			.header("Idempotency-Key", "k".repeat(201))
			.bodyValue(Customers.ndjson(Customers.numbered("idem-", 1)))
			.exchange()
			.expectStatus()
			.isBadRequest()
			.expectHeader()
			.contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
			.expectBody()
			.jsonPath("$.detail")
			.value((detail) -> assertThat(detail.toString()).contains("Idempotency-Key").contains("200"));
	}

	@Test
	void overlongHookTrackingGuidIsKeptByItsDigestAndRecognisedOnRedelivery() {
		String body = "{\"notifications\":[{\"scope\":\"customer/created\",\"id\":\"150713\",\"tracking_guid\":\""
				+ "g".repeat(5000) + "\"}]}";
		hook(body).expectStatus().isAccepted();
		hook(body).expectStatus().isOk().expectBody().jsonPath("$.duplicates").isEqualTo(1);
	}

	private WebTestClient.ResponseSpec hook(String body) {
		return this.webClient.post()
			.uri("/api/v1/subscriptions/long/hooks")
			.headers((headers) -> headers.setBearerAuth(WEBHOOK_KEY))
			.contentType(MediaType.APPLICATION_JSON)
			.bodyValue(body)
			.exchange();
	}

	@Test
	void overlongQueryValuesAreNeverAServerError() {
		String value = "q".repeat(5000);
		for (String uri : List.of("/api/v1/batches?subscriptionId=" + value, "/api/v1/batches?status=" + value,
				"/api/v1/errors?subscriptionId=" + value, "/api/v1/errors?code=" + value)) {
			this.webClient.get()
				.uri(uri)
				.exchange()
				.expectStatus()
				.value((status) -> assertThat(status).as(uri).isLessThan(500));
		}
	}

}

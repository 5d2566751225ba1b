package io.stampedsync.ipaas;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

import io.stampedsync.TestSubscriptions;
import io.stampedsync.TestTokens;
import io.stampedsync.sandbox.IpaasEndpoint;
import io.stampedsync.sandbox.IpaasSimulator;
import io.stampedsync.sandbox.StampedEndpoint;
import io.stampedsync.sandbox.StampedSimulator;
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

import static io.stampedsync.ipaas.IpaasApi.SYSTEM_ID;
import static io.stampedsync.ipaas.IpaasApi.WEBHOOK_KEY;
import static org.assertj.core.api.Assertions.assertThat;

/** Hook deliveries end to end through the iPaaS.com and Stamped.io simulators. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@AutoConfigureWebTestClient
@Import(TestTokens.AdminClient.class)
class HookFlowTests {

	static final StampedSimulator stamped = TestSubscriptions.stampedSimulator();

	static final IpaasSimulator ipaas = new IpaasSimulator(IpaasApi.TOKEN).start();

	@TempDir
	static Path dataDir;

	@Autowired
	WebTestClient webClient;

	IpaasApi api;

	@DynamicPropertySource
	static void properties(DynamicPropertyRegistry registry) {
		TestSubscriptions.gateway(registry, dataDir);
		IpaasApi.subscription(registry, "acme", stamped, ipaas,
				Map.of("api-throttle-limit", "1000", "api-throttle-seconds", "1", "ipaas-throttle-limit", "1000",
						"ipaas-throttle-seconds", "1", "concurrent-connections", "4"));
		TestSubscriptions.subscription(registry, "nokey", stamped,
				Map.of("ipaas-api-url", ipaas.baseUrl(), "ipaas-api-token", IpaasApi.TOKEN, "ipaas-system-id", "4242"));
		TestSubscriptions.subscription(registry, "noipaas", stamped, Map.of("webhook-api-key", WEBHOOK_KEY));
	}

	@AfterAll
	static void stop() {
		stamped.close();
		ipaas.close();
	}

	@BeforeEach
	void setUp() {
		this.api = new IpaasApi(this.webClient);
	}

	@Test
	void createdHookFetchesTheCustomerCreatesItInStampedAndWritesTheIdBack() {
		String email = ipaas.store().customer("150700").orElseThrow().get("email_address").asString();

		JsonNode receipt = this.api.hook("acme", WEBHOOK_KEY, delivery(notification("customer/created", "150700")))
			.expectStatus()
			.isAccepted()
			.expectHeader()
			.valueMatches("Location", "/api/v1/batches/[0-9a-f-]{36}")
			.expectBody(JsonNode.class)
			.returnResult()
			.getResponseBody();

		assertThat(receipt.get("queued").asInt()).isEqualTo(1);
		assertThat(receipt.get("notifications").get(0).get("result").asString()).isEqualTo("queued");
		String batchId = receipt.get("batchId").asString();
		JsonNode batch = this.api.awaitFinal(batchId, Duration.ofSeconds(30));
		assertThat(batch.get("source").asString()).isEqualTo("hook");
		assertThat(batch.get("status").asString()).isEqualTo("completed");
		JsonNode result = this.api.results(batchId).get(0);
		assertThat(result.get("outcome").asString()).isEqualTo("created");
		String stampedId = result.get("stampedCustomerId").asString();
		assertThat(stamped.store().byEmail(email))
			.hasValueSatisfying((customer) -> assertThat(Long.toString(customer.id())).isEqualTo(stampedId));
		assertThat(ipaas.store().externalId("150700", SYSTEM_ID)).contains(stampedId);
		assertThat(ipaas.store().externalIdWrites()).anySatisfy((write) -> {
			assertThat(write.internalId()).isEqualTo("150700");
			assertThat(write.externalId()).isEqualTo(stampedId);
		});
	}

	@Test
	void aRedeliveredNotificationIsNotTransferredTwice() {
		String first = notification("customer/updated", "150701");
		String body = delivery(first);
		String batchId = this.api.hook("acme", WEBHOOK_KEY, body)
			.expectStatus()
			.isAccepted()
			.expectBody(JsonNode.class)
			.returnResult()
			.getResponseBody()
			.get("batchId")
			.asString();
		this.api.awaitFinal(batchId, Duration.ofSeconds(30));
		long fetches = ipaas.stats().calls(IpaasEndpoint.GET_CUSTOMER);
		long creates = stamped.stats().calls(StampedEndpoint.CREATE);
		int batches = this.api.batchCount("acme");

		JsonNode again = this.api.hook("acme", WEBHOOK_KEY, body)
			.expectStatus()
			.isOk()
			.expectBody(JsonNode.class)
			.returnResult()
			.getResponseBody();

		assertThat(again.has("batchId")).isFalse();
		assertThat(again.get("duplicates").asInt()).isEqualTo(1);
		assertThat(again.get("notifications").get(0).get("result").asString()).isEqualTo("duplicate");
		assertThat(this.api.batchCount("acme")).isEqualTo(batches);

		JsonNode mixed = this.api.hook("acme", WEBHOOK_KEY, delivery(first, notification("customer/created", "150702")))
			.expectStatus()
			.isAccepted()
			.expectBody(JsonNode.class)
			.returnResult()
			.getResponseBody();
		assertThat(mixed.get("queued").asInt()).isEqualTo(1);
		assertThat(mixed.get("duplicates").asInt()).isEqualTo(1);
		this.api.awaitFinal(mixed.get("batchId").asString(), Duration.ofSeconds(30));
		assertThat(this.api.results(mixed.get("batchId").asString())).singleElement()
			.satisfies((record) -> assertThat(record.get("ipaasCustomerId").asString()).isEqualTo("150702"));
		assertThat(ipaas.stats().calls(IpaasEndpoint.GET_CUSTOMER) - fetches).isEqualTo(1);
		assertThat(stamped.stats().calls(StampedEndpoint.CREATE) - creates).isEqualTo(1);
	}

	@Test
	void twoDeliveriesOfOneNotificationAtTheSameMomentQueueItOnce() throws Exception {
		String body = delivery(notification("customer/created", "150707"));
		List<CompletableFuture<JsonNode>> answers = IntStream.range(0, 4)
			.mapToObj((i) -> CompletableFuture.supplyAsync(() -> this.api.hook("acme", WEBHOOK_KEY, body)
				.expectStatus()
				.is2xxSuccessful()
				.expectBody(JsonNode.class)
				.returnResult()
				.getResponseBody()))
			.toList();
		List<JsonNode> receipts = new ArrayList<>();
		for (CompletableFuture<JsonNode> answer : answers) {
			receipts.add(answer.get(60, TimeUnit.SECONDS));
		}
		assertThat(receipts).extracting((receipt) -> receipt.get("queued").asInt()).containsOnly(0, 1).contains(1);
		assertThat(receipts.stream().mapToInt((receipt) -> receipt.get("queued").asInt()).sum()).isEqualTo(1);
		JsonNode queued = receipts.stream().filter((receipt) -> receipt.has("batchId")).findFirst().orElseThrow();
		this.api.awaitFinal(queued.get("batchId").asString(), Duration.ofSeconds(30));
	}

	@Test
	void aDeletedNotificationIsRecordedAsDeleteNotSupportedWithoutAnyCall() {
		long ipaasCalls = ipaas.stats().total();
		long stampedCalls = stamped.stats().total();

		JsonNode receipt = this.api.hook("acme", WEBHOOK_KEY, delivery(notification("customer/deleted", "150703")))
			.expectStatus()
			.isAccepted()
			.expectBody(JsonNode.class)
			.returnResult()
			.getResponseBody();

		JsonNode said = receipt.get("notifications").get(0);
		assertThat(said.get("result").asString()).isEqualTo("refused");
		assertThat(said.get("code").asString()).isEqualTo("DELETE_NOT_SUPPORTED");
		assertThat(said.get("message").asString()).contains("Stamped.io has no customer delete");
		String batchId = receipt.get("batchId").asString();
		this.api.awaitFinal(batchId, Duration.ofSeconds(30));
		JsonNode record = this.api.results(batchId).get(0);
		assertThat(record.get("outcome").asString()).isEqualTo("rejected");
		assertThat(record.get("error").get("code").asString()).isEqualTo("DELETE_NOT_SUPPORTED");
		assertThat(ipaas.stats().total()).isEqualTo(ipaasCalls);
		assertThat(stamped.stats().total()).isEqualTo(stampedCalls);
	}

	@Test
	void anUnknownScopeIsRefusedWholeNamingTheAcceptedScopes() {
		int batches = this.api.batchCount("acme");

		this.api
			.hook("acme", WEBHOOK_KEY,
					delivery(notification("customer/created", "150704"), notification("product/created", "9")))
			.expectStatus()
			.isEqualTo(422)
			.expectHeader()
			.contentType(MediaType.APPLICATION_PROBLEM_JSON)
			.expectBody()
			.jsonPath("$.detail")
			.value(String.class,
					(detail) -> assertThat(detail).contains("customer/created", "customer/updated", "customer/deleted"))
			.jsonPath("$.errors[0].field")
			.isEqualTo("notifications[1].scope");

		assertThat(this.api.batchCount("acme")).isEqualTo(batches);
	}

	@Test
	void initializationIsNotSupportedByHookNorByItsOwnCall() {
		this.api.hook("acme", WEBHOOK_KEY, delivery(notification("customer/initialize", null)))
			.expectStatus()
			.isEqualTo(422)
			.expectBody()
			.jsonPath("$.code")
			.isEqualTo("INITIALIZATION_NOT_SUPPORTED")
			.jsonPath("$.detail")
			.value(String.class, (detail) -> assertThat(detail).contains("Manual Sync"));
		this.api.hook("acme", WEBHOOK_KEY, delivery(notification("poll", null)))
			.expectStatus()
			.isEqualTo(422)
			.expectBody()
			.jsonPath("$.code")
			.isEqualTo("INITIALIZATION_NOT_SUPPORTED");
		this.api.client()
			.post()
			.uri("/api/v1/subscriptions/acme/initialize")
			.exchange()
			.expectStatus()
			.isEqualTo(422)
			.expectBody()
			.jsonPath("$.code")
			.isEqualTo("INITIALIZATION_NOT_SUPPORTED");
	}

	@Test
	void aMissingOrWrongWebhookKeyIsUnauthorizedAndQueuesNothing() {
		String body = delivery(notification("customer/created", "150705"));
		int batches = this.api.batchCount("acme");
		for (String key : new String[] { null, "hook-test-key-0002", WEBHOOK_KEY + "x", "" }) {
			this.api.hook("acme", key, body)
				.expectStatus()
				.isUnauthorized()
				.expectHeader()
				.contentType(MediaType.APPLICATION_PROBLEM_JSON)
				.expectBody(String.class)
				.value((problem) -> assertThat(problem).doesNotContain(WEBHOOK_KEY));
		}
		this.api.client()
			.post()
			.uri("/api/v1/subscriptions/acme/hooks")
			.header("Authorization", "Basic " + WEBHOOK_KEY)
			.contentType(MediaType.APPLICATION_JSON)
			.bodyValue(body)
			.exchange()
			.expectStatus()
			.isUnauthorized();
		this.api.hook("nokey", WEBHOOK_KEY, body).expectStatus().isUnauthorized();
		this.api.hook("nobody", WEBHOOK_KEY, body).expectStatus().isUnauthorized();
		assertThat(this.api.batchCount("acme")).isEqualTo(batches);
	}

	@Test
	void malformedOrEmptyDeliveriesAreRefused() {
		this.api.hook("acme", WEBHOOK_KEY, "{not json").expectStatus().isBadRequest();
		this.api.hook("acme", WEBHOOK_KEY, "{\"notifications\": []}").expectStatus().isEqualTo(422);
		this.api.hook("acme", WEBHOOK_KEY, delivery(notification("customer/created", " ")))
			.expectStatus()
			.isEqualTo(422)
			.expectBody()
			.jsonPath("$.errors[0].field")
			.isEqualTo("notifications[0].id");
		this.api.hook("noipaas", WEBHOOK_KEY, delivery(notification("customer/created", "150706")))
			.expectStatus()
			.isEqualTo(422)
			.expectBody()
			.jsonPath("$.detail")
			.value(String.class, (detail) -> assertThat(detail).contains("no iPaaS.com side"));
	}

	static String delivery(String... notifications) {
		return "{\"id\": \"" + UUID.randomUUID() + "\", \"attempt\": 1, \"extra\": true, \"notifications\": ["
				+ String.join(",", List.of(notifications)) + "]}";
	}

	static String notification(String scope, String id) {
		return "{\"action\": \"x\", \"id\": " + ((id != null) ? "\"" + id + "\"" : "null") + ", \"scope\": \"" + scope
				+ "\", \"destination\": \"4242\", \"tracking_guid\": \"" + UUID.randomUUID()
				+ "\", \"type\": 1, \"external_id\": null}";
	}

}

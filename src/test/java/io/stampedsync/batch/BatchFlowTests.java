package io.stampedsync.batch;

import io.stampedsync.sandbox.Fault;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

import io.stampedsync.TestSubscriptions;
import io.stampedsync.TestTokens;
import io.stampedsync.sandbox.StampedEndpoint;
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
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;

import static org.assertj.core.api.Assertions.assertThat;

/** Bulk batches end to end through the Stamped.io simulator, read from its counters. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@AutoConfigureWebTestClient
@Import(TestTokens.AdminClient.class)
class BatchFlowTests {

	static final StampedSimulator stamped = TestSubscriptions.stampedSimulator();

	@TempDir
	static Path dataDir;

	@Autowired
	WebTestClient client;

	BatchApi api;

	@DynamicPropertySource
	static void properties(DynamicPropertyRegistry registry) {
		TestSubscriptions.gateway(registry, dataDir);
		TestSubscriptions.subscription(registry, "acme", stamped,
				Map.of("api-throttle-limit", "100000", "api-throttle-seconds", "1", "concurrent-connections", "8"));
	}

	@AfterAll
	static void stop() {
		stamped.close();
	}

	@BeforeEach
	void setUp() {
		this.api = new BatchApi(this.client);
	}

	@Test
	void mixedThousandCustomerBatchEndsWithExactOutcomesAndNoDuplicateCreates() {
		List<String> fresh = Customers.fresh("new-", 800);
		List<String> existing = new ArrayList<>();
		for (int i = 1; i <= 100; i++) {
			stamped.store().seed("known" + i + "@example.com", "Known", "Customer");
			existing.add(Customers.customer("known-" + i)
				.email("known" + i + "@example.com")
				.firstName("Known")
				.lastName("Customer" + i)
				.json());
		}
		List<String> invalid = new ArrayList<>();
		IntStream.rangeClosed(1, 20)
			.forEach((i) -> invalid.add(Customers.customer("noemail-" + i).firstName("A").lastName("B").json()));
		IntStream.rangeClosed(1, 20)
			.forEach((i) -> invalid.add(Customers.customer("bademail-" + i)
				.email("not-an-email-" + i)
				.firstName("A")
				.lastName("B")
				.json()));
		IntStream.rangeClosed(1, 10)
			.forEach((i) -> invalid
				.add(Customers.withoutId().email("noid" + i + "@x.com").firstName("A").lastName("B").json()));
		List<String> repeated = new ArrayList<>();
		for (int version = 1; version <= 5; version++) {
			for (int i = 1; i <= 10; i++) {
				repeated.add(Customers.customer("rep-" + i)
					.email("rep" + i + "@example.com")
					.firstName("Rep")
					.lastName("Version" + version)
					.json());
			}
		}
		List<String> batch = new ArrayList<>();
		batch.addAll(fresh);
		batch.addAll(existing);
		batch.addAll(invalid);
		batch.addAll(repeated);
		assertThat(batch).hasSize(1000);
		long callsBefore = stamped.stats().total();
		long createdBefore = stamped.store().createdNew();
		long deduplicatedBefore = stamped.store().deduplicated();
		int storedBefore = stamped.store().count();

		String id = this.api.submit("acme", batch);
		JsonNode done = this.api.awaitFinal(id, Duration.ofSeconds(120));

		assertThat(done.get("status").asString()).isEqualTo("completed_with_errors");
		assertThat(this.api.counts(done)).containsEntry("created", 910L)
			.containsEntry("updated", 40L)
			.containsEntry("rejected", 50L)
			.containsEntry("failed", 0L)
			.containsEntry("unchanged", 0L);
		assertThat(stamped.store().createdNew() - createdBefore).isEqualTo(810);
		assertThat(stamped.store().deduplicated() - deduplicatedBefore).isEqualTo(100);
		assertThat(stamped.store().count() - storedBefore).isEqualTo(810);
		long firstSyncCalls = stamped.stats().total() - callsBefore;
		int transferable = 1000 - 50;
		assertThat((double) firstSyncCalls / transferable).isLessThanOrEqualTo(1.0);
		List<JsonNode> rejected = this.api.results(id, "rejected");
		assertThat(rejected).hasSize(50)
			.allSatisfy(
					(record) -> assertThat(record.get("error").get("code").asString()).isEqualTo("INVALID_CUSTOMER"));
		assertThat(rejected).anySatisfy(
				(record) -> assertThat(record.get("error").get("message").asString()).contains("email_address"));
		assertThat(stamped.store().byEmail("rep3@example.com"))
			.hasValueSatisfying((customer) -> assertThat(customer.lastName()).isEqualTo("Version5"));

		long callsBeforeResend = stamped.stats().total();
		List<String> resend = new ArrayList<>(fresh);
		resend.addAll(existing);
		String again = this.api.submit("acme", resend);
		JsonNode resent = this.api.awaitFinal(again, Duration.ofSeconds(60));

		assertThat(resent.get("status").asString()).isEqualTo("completed");
		assertThat(this.api.counts(resent)).containsEntry("unchanged", 900L);
		assertThat(stamped.stats().total()).isEqualTo(callsBeforeResend);
	}

	@Test
	void forceSendsUnchangedCustomersAgain() {
		List<String> customers = Customers.fresh("force-", 20);
		this.api.awaitFinal(this.api.submit("acme", customers), Duration.ofSeconds(30));
		long before = stamped.stats().calls(StampedEndpoint.UPDATE);

		String id = this.api.submit("acme", "?force=true", customers);

		assertThat(this.api.counts(this.api.awaitFinal(id, Duration.ofSeconds(30)))).containsEntry("updated", 20L);
		assertThat(stamped.stats().calls(StampedEndpoint.UPDATE) - before).isEqualTo(20);
	}

	@Test
	void dryRunDecidesWithoutCalling() {
		this.api.awaitFinal(this.api.submit("acme", Customers.fresh("dry-", 5)), Duration.ofSeconds(30));
		List<String> customers = new ArrayList<>(Customers.fresh("dry-", 5));
		customers.set(0,
				Customers.customer("dry-1").email("dry1@example.com").firstName("Changed").lastName("Name").json());
		customers.addAll(Customers.fresh("drynew-", 3));
		customers.add(Customers.customer("dry-bad").email("bad").firstName("A").lastName("B").json());
		long before = stamped.stats().total();

		String id = this.api.submit("acme", "?dryRun=true", customers);
		JsonNode done = this.api.awaitFinal(id, Duration.ofSeconds(30));

		assertThat(done.get("dryRun").asBoolean()).isTrue();
		assertThat(this.api.counts(done)).containsEntry("updated", 1L)
			.containsEntry("unchanged", 4L)
			.containsEntry("created", 3L)
			.containsEntry("rejected", 1L);
		assertThat(stamped.stats().total()).isEqualTo(before);
	}

	@Test
	void retryMakesANewBatchOfTheFailedRecords() {
		stamped.faults().next(3, StampedEndpoint.CREATE, Fault.status(400));
		String id = this.api.submit("acme", Customers.fresh("retry-", 10));
		JsonNode done = this.api.awaitFinal(id, Duration.ofSeconds(30));
		assertThat(this.api.counts(done)).containsEntry("failed", 3L).containsEntry("created", 7L);
		assertThat(this.api.results(id, "failed"))
			.allSatisfy((record) -> assertThat(record.get("error").get("message").asString())
				.startsWith("Customer create or update failed: HTTP 400"));

		JsonNode retry = this.api.client()
			.post()
			.uri("/api/v1/batches/{id}/retry", id)
			.exchange()
			.expectStatus()
			.isAccepted()
			.expectBody(JsonNode.class)
			.returnResult()
			.getResponseBody();

		assertThat(retry.get("retryOf").asString()).isEqualTo(id);
		JsonNode retried = this.api.awaitFinal(retry.get("id").asString(), Duration.ofSeconds(30));
		assertThat(this.api.counts(retried)).containsEntry("created", 3L);
		assertThat(stamped.store().byEmail("retry-1@example.com")).isPresent();
		assertThat(stamped.store().all().stream().filter((c) -> c.email().startsWith("retry-"))).hasSize(10);
	}

}

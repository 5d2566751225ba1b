package io.stampedsync.batch;

import io.stampedsync.testing.Customers;
import tools.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.Map;

import java.time.Duration;
import io.stampedsync.TestSubscriptions;
import io.stampedsync.TestTokens;
import io.stampedsync.sandbox.StampedSimulator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.context.annotation.Import;
import org.springframework.http.MediaType;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;

import static org.awaitility.Awaitility.await;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Bad batch requests: each gets its status and problem+json, and leaves the journal as it
 * was.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@AutoConfigureWebTestClient
@Import(TestTokens.AdminClient.class)
class BatchIntakeErrorTests {

	static final StampedSimulator stamped = TestSubscriptions.stampedSimulator();

	@TempDir
	static Path dataDir;

	@Autowired
	WebTestClient client;

	@Autowired
	DatabaseClient db;

	@Autowired
	BatchJournal journal;

	Rows batchesBefore;

	@DynamicPropertySource
	static void properties(DynamicPropertyRegistry registry) {
		TestSubscriptions.gateway(registry, dataDir);
		TestSubscriptions.subscription(registry, "acme", stamped, Map.of());
		registry.add("stamped-sync.batches.max-records", () -> "50");
	}

	@AfterAll
	static void stop() {
		stamped.close();
	}

	// Batches of earlier tests may still be running and writing events: wait them out
	// first.
	@BeforeEach
	void countBatches() {
		await().atMost(Duration.ofSeconds(30))
			.until(() -> this.journal.subscriptionsWithUnfinishedBatches().count().block() == 0);
		this.batchesBefore = batches();
	}

	@Test
	void wrongContentTypeIs415() {
		post("acme", MediaType.TEXT_PLAIN, "hello").expectStatus().isEqualTo(415);
		assertProblemAndJournalUnchanged(post("acme", MediaType.TEXT_PLAIN, "hello"), 415);
	}

	@Test
	void unknownSubscriptionIs404() {
		assertProblemAndJournalUnchanged(post("nobody", BatchApi.NDJSON,
				Customers.customer("1").email("a@b.co").firstName("A").lastName("B").json()), 404);
	}

	@Test
	void emptyBatchIs422() {
		assertProblemAndJournalUnchanged(post("acme", MediaType.APPLICATION_JSON, "[]"), 422);
		assertProblemAndJournalUnchanged(post("acme", BatchApi.NDJSON, "\n\n"), 422);
	}

	@Test
	void moreRecordsThanTheMaximumIs413() {
		assertProblemAndJournalUnchanged(post("acme", BatchApi.NDJSON, Customers.ndjson(Customers.fresh("big-", 51))),
				413);
	}

	@Test
	void syntaxErrorIs400WithWhereItIs() {
		String body = Customers.ndjson(Customers.fresh("ok-", 10)) + "{\"id\": \"11\", \"email_address\": }\n";
		post("acme", BatchApi.NDJSON, body).expectStatus()
			.isBadRequest()
			.expectHeader()
			.contentType(MediaType.APPLICATION_PROBLEM_JSON)
			.expectBody()
			.jsonPath("$.line")
			.isEqualTo(11);
		assertThat(batches()).isEqualTo(this.batchesBefore);
		assertProblemAndJournalUnchanged(post("acme", MediaType.APPLICATION_JSON, "[{\"id\":\"1\"},"), 400);
	}

	@Test
	void idempotencyKeyGivesTheSameBatchForTheSameBodyAnd422ForAnother() {
		String body = Customers.ndjson(Customers.fresh("idem-", 3));
		String first = idempotent("key-1", body).expectStatus()
			.isAccepted()
			.expectBody(JsonNode.class)
			.returnResult()
			.getResponseBody()
			.get("id")
			.asString();
		String again = idempotent("key-1", body).expectStatus()
			.isAccepted()
			.expectBody(JsonNode.class)
			.returnResult()
			.getResponseBody()
			.get("id")
			.asString();
		assertThat(again).isEqualTo(first);
		assertThat(count("batch")).isEqualTo(this.batchesBefore.batches() + 1);

		idempotent("key-1", Customers.ndjson(Customers.fresh("other-", 3))).expectStatus()
			.isEqualTo(422)
			.expectHeader()
			.contentType(MediaType.APPLICATION_PROBLEM_JSON);
		assertThat(count("batch")).isEqualTo(this.batchesBefore.batches() + 1);
	}

	@Test
	void recordsRefusedAtIntakeAreCountedInTheAnswer() {
		String body = Customers.ndjson(Customers.fresh("counted-", 4))
				+ "{\"id\": \"no-email\"}\n{\"first_name\": \"x\"}\n";
		JsonNode answer = post("acme", BatchApi.NDJSON, body).expectStatus()
			.isAccepted()
			.expectBody(JsonNode.class)
			.returnResult()
			.getResponseBody();
		assertThat(answer.get("total").asInt()).isEqualTo(6);
		assertThat(answer.get("counts").get("rejected").asLong()).isEqualTo(2);
		// The batch may have started by the time it answers: the rest is the
		// dispatcher's.
		assertThat(answer.get("done").asLong()).isBetween(2L, 6L);
	}

	@Test
	void unknownBatchIs404() {
		this.client.get()
			.uri("/api/v1/batches/nope")
			.exchange()
			.expectStatus()
			.isNotFound()
			.expectHeader()
			.contentType(MediaType.APPLICATION_PROBLEM_JSON);
	}

	private WebTestClient.ResponseSpec idempotent(String key, String body) {
		return this.client.post()
			.uri("/api/v1/subscriptions/acme/batches")
			.contentType(BatchApi.NDJSON)
			.header("Idempotency-Key", key)
			.bodyValue(body)
			.exchange();
	}

	private WebTestClient.ResponseSpec post(String subscription, MediaType type, String body) {
		return this.client.post()
			.uri("/api/v1/subscriptions/{id}/batches", subscription)
			.contentType(type)
			.bodyValue(body)
			.exchange();
	}

	private void assertProblemAndJournalUnchanged(WebTestClient.ResponseSpec response, int status) {
		response.expectStatus()
			.isEqualTo(status)
			.expectHeader()
			.contentType(MediaType.APPLICATION_PROBLEM_JSON)
			.expectBody()
			.jsonPath("$.status")
			.isEqualTo(status);
		assertThat(batches()).isEqualTo(this.batchesBefore);
	}

	// Counts rows, not batches: a rejected body must leave no record or event behind
	// either.
	private Rows batches() {
		return new Rows(count("batch"), count("batch_record"), count("batch_event"));
	}

	record Rows(long batches, long records, long events) {
	}

	private long count(String table) {
		return this.db.sql("SELECT COUNT(*) FROM " + table).map((row) -> row.get(0, Long.class)).one().block();
	}

}

package io.stampedsync.journal;

import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;

import io.stampedsync.batch.BatchEvent;
import io.stampedsync.batch.BatchRecord;
import io.stampedsync.transfer.CustomerLink;
import io.stampedsync.transfer.Outcome;
import org.junit.jupiter.api.Test;

import org.springframework.r2dbc.core.DatabaseClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A customer link and the outcome of its record commit together, in the transaction of
 * the outcomes' group, on the real schema (Flyway, embedded H2).
 */
class OutcomeWithLinkTests {

	private static final Instant AT = Instant.parse("2026-12-01T00:00:00Z");

	private final DatabaseClient db = migrated();

	private final UnsavedLinks unsaved = new UnsavedLinks();

	private final R2dbcLinkStore links = new R2dbcLinkStore(this.db, this.unsaved);

	private final R2dbcBatchJournal journal = new R2dbcBatchJournal(this.db, null, this.unsaved);

	@Test
	void aSavedLinkIsCommittedWithTheNextGroupOfOutcomes() {
		batchWithRecord("b1");
		CustomerLink link = new CustomerLink("acme", "c0", "s0", "fp", null, 1, 0, AT);

		this.links.save(link).block();

		assertThat(count("customer_link")).as("not committed on its own").isZero();
		assertThat(this.links.find("acme", "c0").block()).as("but found").isEqualTo(link);

		this.journal.complete(List.of(created("b1")), List.of()).block();

		assertThat(count("customer_link")).isEqualTo(1);
		assertThat(outcome("b1")).isEqualTo("created");
		assertThat(this.unsaved.isEmpty()).isTrue();
		assertThat(new R2dbcLinkStore(this.db, new UnsavedLinks()).find("acme", "c0").block()).isEqualTo(link);
	}

	@Test
	void aGroupThatDoesNotCommitLeavesNeitherLinkNorOutcomeAndTheNextGroupWritesTheLink() {
		batchWithRecord("b1");
		// An event number already taken: the group's insert fails and it rolls back.
		this.db
			.sql("INSERT INTO batch_event (batch_id, seq, type, data, created_at) "
					+ "VALUES ('b1', 5, 'progress', '{}', CURRENT_TIMESTAMP)")
			.then()
			.block();
		CustomerLink link = new CustomerLink("acme", "c0", "s0", "fp", null, 1, 0, AT);
		this.links.save(link).block();
		BatchEvent taken = new BatchEvent("b1", "acme", 5, BatchEvent.PROGRESS, "{}", AT);

		assertThatThrownBy(() -> this.journal.complete(List.of(created("b1")), List.of(taken)).block()).isNotNull();

		assertThat(count("customer_link")).isZero();
		assertThat(outcome("b1")).isNull();
		assertThat(this.links.find("acme", "c0").block()).as("still answered").isEqualTo(link);

		this.journal.complete(List.of(created("b1")), List.of()).block();

		assertThat(count("customer_link")).isEqualTo(1);
		assertThat(outcome("b1")).isEqualTo("created");
	}

	private void batchWithRecord(String id) {
		this.db
			.sql("INSERT INTO batch (id, accept_seq, subscription_id, source, status, total, created_at) "
					+ "VALUES (:id, 1, 'acme', 'bulk', 'running', 1, :at)")
			.bind("id", id)
			.bind("at", AT.atOffset(ZoneOffset.UTC))
			.then()
			.block();
		this.journal.insertRecords(List.of(BatchRecord.pending(id, 0, "c0", "c0@example.com", "{}"))).block();
	}

	private static BatchRecord created(String batchId) {
		return new BatchRecord(batchId, 0, "c0", "c0@example.com", null, Outcome.CREATED, "s0", 1, 0, 3L, null, null,
				null, null, AT);
	}

	private String outcome(String batchId) {
		return this.db.sql("SELECT outcome FROM batch_record WHERE batch_id = :id")
			.bind("id", batchId)
			.map((row) -> Optional.ofNullable(row.get("outcome", String.class)))
			.one()
			.block()
			.orElse(null);
	}

	private long count(String table) {
		return this.db.sql("SELECT COUNT(*) AS n FROM " + table)
			.map((row) -> row.get("n", Number.class).longValue())
			.one()
			.block();
	}

	private static DatabaseClient migrated() {
		return InMemoryJournal.migrated("outcome-link-");
	}

}

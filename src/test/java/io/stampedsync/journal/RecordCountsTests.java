package io.stampedsync.journal;

import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.stampedsync.batch.BatchRecord;
import io.stampedsync.batch.BatchStatus;
import io.stampedsync.batch.RecordCounts;
import io.stampedsync.transfer.Outcome;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import org.springframework.r2dbc.core.DatabaseClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A batch's records are counted through the primary key (no index by outcome, which
 * intake would have to write an entry of per record), in one read for both the pending
 * count and the outcomes, and only the batch's own records: on the real schema (Flyway),
 * H2 and PostgreSQL (127.0.0.1:5432, a fresh schema; skipped when unreachable, except in
 * CI).
 */
class RecordCountsTests {

	private static final Instant AT = Instant.parse("2026-12-01T10:15:30Z");

	private DatabaseClient db;

	private R2dbcBatchJournal journal;

	private long acceptSeq;

	@ParameterizedTest
	@ValueSource(strings = { "h2", "postgresql" })
	void noIndexBesideThePrimaryKeyAfterTheMigrations(String database) {
		open(database);
		String names = database.equals("h2")
				? "SELECT LOWER(INDEX_NAME) FROM INFORMATION_SCHEMA.INDEXES WHERE TABLE_NAME = 'BATCH_RECORD'"
				: "SELECT indexname FROM pg_indexes WHERE tablename = 'batch_record' AND schemaname = current_schema()";
		List<String> indexes = this.db.sql(names).map((row) -> row.get(0, String.class)).all().collectList().block();
		assertThat(indexes).doesNotContain("batch_record_by_outcome", "batch_record_by_event");
	}

	@ParameterizedTest
	@ValueSource(strings = { "h2", "postgresql" })
	void countsWaitingRecordsAndEachOutcomeOfTheBatchOnly(String database) {
		open(database);
		// b1: 3 rejected at intake, 10 waiting; then 4 created, 2 failed, the rest but
		// one running cancelled.
		batch("b1", 13, Set.of(2, 5, 11));
		batch("b2", 4, Set.of(0));
		this.journal
			.complete(List.of(done("b1", 0, Outcome.CREATED), done("b1", 1, Outcome.CREATED),
					done("b1", 3, Outcome.CREATED), done("b1", 4, Outcome.FAILED)), List.of())
			.block();
		assertThat(this.journal.countRecords("b1").block())
			.isEqualTo(new RecordCounts(6, Map.of(Outcome.REJECTED, 3L, Outcome.CREATED, 3L, Outcome.FAILED, 1L)));
		this.journal.complete(List.of(done("b1", 6, Outcome.CREATED), done("b1", 7, Outcome.FAILED)), List.of())
			.block();
		this.journal.cancelPending("b1", Set.of(12)).block();

		RecordCounts b1 = this.journal.countRecords("b1").block();
		assertThat(b1).isEqualTo(new RecordCounts(1,
				Map.of(Outcome.REJECTED, 3L, Outcome.CREATED, 4L, Outcome.FAILED, 2L, Outcome.CANCELLED, 3L)));
		assertThat(b1.pending()).isEqualTo(this.journal.countPending("b1").block());
		assertThat(b1.outcomes()).isEqualTo(this.journal.countOutcomes("b1").block());
		assertThat(this.journal.countRecords("b2").block())
			.isEqualTo(new RecordCounts(3, Map.of(Outcome.REJECTED, 1L)));
		assertThat(this.journal.countRecords("none").block()).isEqualTo(new RecordCounts(0, Map.of()));
	}

	@ParameterizedTest
	@ValueSource(strings = { "h2", "postgresql" })
	void keepsTheIntakeCountsOfAQueuedBatchUntilItStarts(String database) {
		open(database);
		batch("b1", 13, Set.of(2, 5, 11));
		batch("b2", 4, Set.of());
		batch("b3", 4, Set.of(1));
		this.journal.markReceived("b1", 13, null, 3).block();
		this.journal.markReceived("b2", 4, null, 0).block();
		this.journal.markReceived("b3", 4, null).block();

		assertThat(this.journal.intakeCounts("b1").block())
			.isEqualTo(new RecordCounts(10, Map.of(Outcome.REJECTED, 3L)))
			.isEqualTo(this.journal.countRecords("b1").block());
		assertThat(this.journal.intakeCounts("b2").block()).isEqualTo(new RecordCounts(4, Map.of()));
		assertThat(this.journal.intakeCounts("b3").blockOptional()).as("not kept").isEmpty();

		// Paused and resumed (or run by another replica) before a restart: its records
		// may have moved on, so they are counted.
		this.journal.updateStatus("b1", BatchStatus.PAUSED, "keys").block();
		this.journal.updateStatus("b1", BatchStatus.QUEUED, null).block();
		this.journal.updateStatus("b2", BatchStatus.CANCELLED, null).block();
		assertThat(this.journal.intakeCounts("b1").blockOptional()).isEmpty();
		assertThat(this.journal.intakeCounts("b2").blockOptional()).isEmpty();
	}

	private void open(String database) {
		this.db = DatabaseClient.create(MigratedJournal.connections(database, "counts-"));
		this.journal = new R2dbcBatchJournal(this.db, null, new UnsavedLinks());
	}

	/** A batch of {@code records} records as intake writes them, some rejected. */
	private void batch(String id, int records, Set<Integer> rejected) {
		this.db
			.sql("INSERT INTO batch (id, accept_seq, subscription_id, source, status, total, created_at) "
					+ "VALUES (:id, :seq, 'acme', 'bulk', 'queued', :total, :at)")
			.bind("id", id)
			// Each batch its own, as the journal's sequence gives: its records' keys.
			.bind("seq", ++this.acceptSeq)
			.bind("total", records)
			.bind("at", AT.atOffset(ZoneOffset.UTC))
			.then()
			.block();
		List<BatchRecord> chunk = new ArrayList<>();
		for (int i = 0; i < records; i++) {
			chunk.add(rejected.contains(i) ? BatchRecord.rejected(id, i, "c" + i, null, "{}", "email: missing", AT)
					: waiting(id, i));
		}
		this.journal.insertRecords(chunk).block();
	}

	private static BatchRecord waiting(String batchId, int index) {
		return BatchRecord.pending(batchId, index, "c" + index, "c" + index + "@example.com", "{\"i\":" + index + "}");
	}

	private static BatchRecord done(String batchId, int index, Outcome outcome) {
		BatchRecord waiting = waiting(batchId, index);
		return new BatchRecord(batchId, index, waiting.ipaasCustomerId(), waiting.email(), waiting.payload(), outcome,
				"s" + index, 1, 0, 10L, null, null, 201, null, AT);
	}

}

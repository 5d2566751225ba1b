package io.stampedsync.journal;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;

import io.r2dbc.spi.Statement;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import org.springframework.r2dbc.core.DatabaseClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Retention of finished batches on the real schema (Flyway), on H2 and PostgreSQL
 * (127.0.0.1:5432, a fresh schema; skipped when unreachable, except in CI), with a fixed
 * clock.
 */
class JournalPrunerTests {

	private static final Instant NOW = Instant.parse("2026-12-01T00:00:00Z");

	private static final Duration DAY = Duration.ofDays(1);

	@ParameterizedTest
	@ValueSource(strings = { "h2", "postgresql" })
	void shouldDeleteBatchesFinishedLongerAgoThanTheRetentionWithTheirRecordsAndEventsAndKeepLinks(String database) {
		DatabaseClient db = migrated(database);
		batch(db, "old-done", "completed", NOW.minus(DAY.multipliedBy(31)), 250);
		batch(db, "old-cancelled", "cancelled", NOW.minus(DAY.multipliedBy(40)), 3);
		batch(db, "old-errors", "completed_with_errors", NOW.minus(DAY.multipliedBy(30)).minusSeconds(1), 101);
		batch(db, "recent", "completed", NOW.minus(DAY.multipliedBy(29)), 5);
		batch(db, "running", "running", null, 7);
		db.sql("INSERT INTO customer_link (subscription_id, ipaas_customer_id, stamped_customer_id, source_batch_seq, "
				+ "source_idx, updated_at) VALUES ('acme', 'c1', 's1', 1, 0, :at)")
			.bind("at", NOW.minus(DAY.multipliedBy(60)).atOffset(ZoneOffset.UTC))
			.then()
			.block();
		// Chunks of 100 rows and one batch per round: several statements and rounds.
		JournalPruner pruner = new JournalPruner(db, Clock.fixed(NOW, ZoneOffset.UTC),
				new JournalRetentionProperties(Duration.ofDays(30), Duration.ofHours(1), 100, 1));

		assertThat(pruner.prune().block()).isEqualTo(3);

		assertThat(ids(db, "SELECT id FROM batch ORDER BY id")).containsExactly("recent", "running");
		assertThat(ids(db, "SELECT DISTINCT batch_id AS id FROM batch_record ORDER BY batch_id"))
			.containsExactly("recent", "running");
		assertThat(ids(db, "SELECT DISTINCT batch_id AS id FROM batch_event ORDER BY batch_id"))
			.containsExactly("recent", "running");
		assertThat(count(db, "batch_record")).isEqualTo(12);
		assertThat(count(db, "batch_event")).isEqualTo(24);
		assertThat(count(db, "customer_link")).isEqualTo(1);
		assertThat(pruner.prune().block()).as("nothing left to prune").isZero();
	}

	private static void batch(DatabaseClient db, String id, String status, Instant finishedAt, int records) {
		OffsetDateTime created = NOW.minus(DAY.multipliedBy(90)).atOffset(ZoneOffset.UTC);
		DatabaseClient.GenericExecuteSpec insert = db
			.sql("INSERT INTO batch (id, accept_seq, subscription_id, source, status, total, created_at, finished_at) "
					+ "VALUES (:id, :seq, 'acme', 'bulk', :status, :total, :created, :finished)")
			.bind("id", id)
			.bind("seq", (long) (Math.abs(id.hashCode()) % 1_000_000))
			.bind("status", status)
			.bind("total", records)
			.bind("created", created);
		insert = (finishedAt != null) ? insert.bind("finished", finishedAt.atOffset(ZoneOffset.UTC))
				: insert.bindNull("finished", OffsetDateTime.class);
		insert.then().block();
		rows(db, "INSERT INTO batch_record (record_key, batch_id, idx, outcome) VALUES ("
				+ "(SELECT accept_seq * 4294967296 FROM batch WHERE id = $1) + $2, $1, $2, 'created')", id, records);
		rows(db, "INSERT INTO batch_event (batch_id, seq, type, data, created_at) VALUES ($1, $2, 'record', '{}', "
				+ "CURRENT_TIMESTAMP)", id, records * 2);
	}

	/** Rows {@code 0..count-1} of one batch, in one statement with a binding per row. */
	private static void rows(DatabaseClient db, String sql, String batchId, int count) {
		db.inConnectionMany((connection) -> {
			Statement statement = connection.createStatement(sql);
			for (int i = 0; i < count; i++) {
				if (i > 0) {
					statement.add();
				}
				statement.bind(0, batchId).bind(1, i);
			}
			return Flux.from(statement.execute()).flatMap((result) -> Mono.from(result.getRowsUpdated()));
		}).then().block();
	}

	private static List<String> ids(DatabaseClient db, String sql) {
		return db.sql(sql).map((row) -> row.get("id", String.class)).all().collectList().block();
	}

	private static long count(DatabaseClient db, String table) {
		return db.sql("SELECT COUNT(*) AS n FROM " + table)
			.map((row) -> row.get("n", Number.class).longValue())
			.one()
			.block();
	}

	private static DatabaseClient migrated(String database) {
		return DatabaseClient.create(MigratedJournal.connections(database, "prune-"));
	}

}

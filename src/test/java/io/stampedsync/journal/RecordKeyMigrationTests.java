package io.stampedsync.journal;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * V10 keys the records of a journal written before it by their batch's accept_seq and
 * their index, keeps every column of every row, and leaves the event index as it was.
 */
class RecordKeyMigrationTests {

	@ParameterizedTest
	@ValueSource(strings = { "h2", "postgresql" })
	void aJournalWithRecordsKeepsThemKeyedByBatchAndIndex(String database) throws SQLException {
		MigrationJournal journal = MigrationJournal.of(database, "reckey");
		try {
			journal.migrateTo("9");
			try (Connection connection = journal.connect(); Statement statement = connection.createStatement()) {
				for (String[] batch : new String[][] { { "b-one", "7" }, { "b-two", "8" } }) {
					statement.execute("INSERT INTO batch (id, accept_seq, subscription_id, source, status, total, "
							+ "created_at) VALUES ('" + batch[0] + "', " + batch[1]
							+ ", 'acme', 'bulk', 'running', 3, CURRENT_TIMESTAMP)");
					statement.execute("INSERT INTO batch_record (batch_id, idx, ipaas_customer_id, email, payload) "
							+ "VALUES ('" + batch[0] + "', 0, 'c0', 'c0@x.io', '{\"id\":\"c0\"}')");
					statement.execute("INSERT INTO batch_record (batch_id, idx, ipaas_customer_id, outcome, "
							+ "stamped_customer_id, attempts, ipaas_calls, error_code, event_seq, finished_at) VALUES ('"
							+ batch[0] + "', 1, 'c1', 'created', 's1', 2, 1, 'X', 5, CURRENT_TIMESTAMP)");
					statement.execute("INSERT INTO batch_record (batch_id, idx, ipaas_customer_id, trace) VALUES ('"
							+ batch[0] + "', 2147483647, 'c2', 'a trace')");
				}
			}
			// Up to V10: V11 moves the event index to a table of its own
			// (RecordEventMigrationTests).
			journal.migrateTo("10");
			try (Connection connection = journal.connect(); Statement statement = connection.createStatement()) {
				assertThat(MigrationJournal.rows(statement,
						"SELECT record_key, batch_id, idx, ipaas_customer_id, email, payload, "
								+ "outcome, stamped_customer_id, attempts, ipaas_calls, error_code, event_seq, trace, "
								+ "finished_at IS NOT NULL FROM batch_record ORDER BY record_key"))
					.containsExactly(
							"30064771072|b-one|0|c0|c0@x.io|{\"id\":\"c0\"}|null|null|0|0|null|null|null|false",
							"30064771073|b-one|1|c1|null|null|created|s1|2|1|X|5|null|true",
							"32212254719|b-one|2147483647|c2|null|null|null|null|0|0|null|null|a trace|false",
							"34359738368|b-two|0|c0|c0@x.io|{\"id\":\"c0\"}|null|null|0|0|null|null|null|false",
							"34359738369|b-two|1|c1|null|null|created|s1|2|1|X|5|null|true",
							"36507222015|b-two|2147483647|c2|null|null|null|null|0|0|null|null|a trace|false");
				// The key is the primary key: a second row with it is refused.
				assertThat(MigrationJournal.rows(statement,
						"SELECT COUNT(*) FROM batch_record WHERE record_key = 30064771073"))
					.containsExactly("1");
				try {
					statement.execute("INSERT INTO batch_record (record_key, batch_id, idx) "
							+ "VALUES (30064771073, 'b-one', 9)");
					throw new AssertionError("a duplicate key was accepted");
				}
				catch (SQLException expected) {
					// the primary key holds
				}
				assertThat(MigrationJournal.rows(statement, database.equals("h2")
						? "SELECT COUNT(*) FROM INFORMATION_SCHEMA.INDEXES WHERE INDEX_NAME = 'BATCH_RECORD_BY_EVENT'"
						: "SELECT COUNT(*) FROM pg_indexes WHERE indexname = 'batch_record_by_event' "
								+ "AND indexdef LIKE '%WHERE (event_seq IS NOT NULL)%' AND schemaname = '"
								+ journal.schema() + "'"))
					.containsExactly("1");
			}
		}
		finally {
			journal.drop();
		}
	}

}

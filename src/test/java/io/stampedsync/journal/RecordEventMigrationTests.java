package io.stampedsync.journal;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * V11 moves the numbers of a journal's record events from the index
 * {@code batch_record_by_event} (V7, V10) to {@code record_event}, one row per number,
 * keyed by batch and number, and drops the index.
 */
class RecordEventMigrationTests {

	@ParameterizedTest
	@ValueSource(strings = { "h2", "postgresql" })
	void numberedRecordsTakeOneEventRowPerNumberAndTheIndexGoes(String database) throws SQLException {
		MigrationJournal journal = MigrationJournal.of(database, "recevt");
		try {
			journal.migrateTo("10");
			try (Connection connection = journal.connect(); Statement statement = connection.createStatement()) {
				for (String[] batch : new String[][] { { "b-one", "7" }, { "b-two", "8" } }) {
					statement.execute("INSERT INTO batch (id, accept_seq, subscription_id, source, status, total, "
							+ "created_at) VALUES ('" + batch[0] + "', " + batch[1]
							+ ", 'acme', 'bulk', 'running', 4, CURRENT_TIMESTAMP)");
					long base = Long.parseLong(batch[1]) << 32;
					// 0 waits, 1 and 2 are numbered 5 and 3, and 3 took number 3 as well
					// (two replicas' race).
					String[] rows = { "0, NULL, NULL", "1, 'created', 5", "2, 'failed', 3", "3, 'created', 3" };
					for (String row : rows) {
						String idx = row.substring(0, row.indexOf(','));
						statement.execute("INSERT INTO batch_record (record_key, batch_id, idx, outcome, event_seq) "
								+ "VALUES (" + (base + Long.parseLong(idx)) + ", '" + batch[0] + "', " + row + ")");
					}
				}
			}
			journal.migrateTo(null);
			try (Connection connection = journal.connect(); Statement statement = connection.createStatement()) {
				long one = 7L << 32;
				long two = 8L << 32;
				assertThat(MigrationJournal.rows(statement,
						"SELECT event_key, record_key FROM record_event ORDER BY event_key"))
					.containsExactly((one + 3) + "|" + (one + 2), (one + 5) + "|" + (one + 1),
							(two + 3) + "|" + (two + 2), (two + 5) + "|" + (two + 1));
				assertThat(MigrationJournal.rows(statement, database.equals("h2")
						? "SELECT COUNT(*) FROM INFORMATION_SCHEMA.INDEXES WHERE INDEX_NAME = 'BATCH_RECORD_BY_EVENT'"
						: "SELECT COUNT(*) FROM pg_indexes WHERE indexname = 'batch_record_by_event' "
								+ "AND schemaname = '" + journal.schema() + "'"))
					.containsExactly("0");
				// The numbers' key holds: a second row with it is refused.
				try {
					statement.execute("INSERT INTO record_event (event_key, record_key) VALUES (" + (one + 5) + ", 0)");
					throw new AssertionError("a duplicate number was accepted");
				}
				catch (SQLException expected) {
					// the primary key holds
				}
			}
		}
		finally {
			journal.drop();
		}
	}

}

package io.stampedsync.journal;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import io.stampedsync.environment.EnvironmentRule;
import io.stampedsync.environment.Requirement;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * V11 moves the numbers of a journal's record events from the index
 * {@code batch_record_by_event} (V7, V10) to {@code record_event}, one row per number,
 * keyed by batch and number, and drops the index.
 */
class RecordEventMigrationTests {

	private static final String PG = "jdbc:postgresql://127.0.0.1:5432/test";

	@ParameterizedTest
	@ValueSource(strings = { "h2", "postgresql" })
	void numberedRecordsTakeOneEventRowPerNumberAndTheIndexGoes(String database) throws SQLException {
		Journal journal = journal(database);
		try {
			Flyway.configure()
				.dataSource(journal.url(), journal.user(), "")
				.schemas(journal.schema())
				.target("10")
				.load()
				.migrate();
			try (Connection connection = DriverManager.getConnection(journal.connectionUrl(), journal.user(), "");
					Statement statement = connection.createStatement()) {
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
			Flyway.configure().dataSource(journal.url(), journal.user(), "").schemas(journal.schema()).load().migrate();
			try (Connection connection = DriverManager.getConnection(journal.connectionUrl(), journal.user(), "");
					Statement statement = connection.createStatement()) {
				long one = 7L << 32;
				long two = 8L << 32;
				assertThat(rows(statement, "SELECT event_key, record_key FROM record_event ORDER BY event_key"))
					.containsExactly((one + 3) + "|" + (one + 2), (one + 5) + "|" + (one + 1),
							(two + 3) + "|" + (two + 2), (two + 5) + "|" + (two + 1));
				assertThat(rows(statement, database.equals("h2")
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

	private static List<String> rows(Statement statement, String sql) throws SQLException {
		List<String> rows = new ArrayList<>();
		try (ResultSet result = statement.executeQuery(sql)) {
			int columns = result.getMetaData().getColumnCount();
			while (result.next()) {
				List<String> values = new ArrayList<>();
				for (int i = 1; i <= columns; i++) {
					values.add(String.valueOf(result.getObject(i)));
				}
				rows.add(String.join("|", values));
			}
		}
		return rows;
	}

	private static Journal journal(String database) {
		if (database.equals("h2")) {
			String url = "jdbc:h2:mem:record-event-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1";
			return new Journal(url, url, "sa", "PUBLIC");
		}
		String user = postgresUser();
		String schema = "recevt_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
		return new Journal(PG, PG + "?currentSchema=" + schema, user, schema);
	}

	private record Journal(String url, String connectionUrl, String user, String schema) {

		void drop() throws SQLException {
			try (Connection connection = DriverManager.getConnection(this.url, this.user, "");
					Statement statement = connection.createStatement()) {
				statement.execute(this.url.startsWith("jdbc:h2") ? "DROP ALL OBJECTS"
						: "DROP SCHEMA IF EXISTS " + this.schema + " CASCADE");
			}
		}

	}

	private static String postgresUser() {
		EnvironmentRule.require(Requirement.POSTGRES);
		for (String candidate : List.of("postgres", "root")) {
			try (Connection connection = DriverManager.getConnection(PG, candidate, "")) {
				return candidate;
			}
			catch (SQLException ex) {
				// try the next user
			}
		}
		throw new IllegalStateException("PostgreSQL on 127.0.0.1:5432 is not reachable as postgres or root");
	}

}

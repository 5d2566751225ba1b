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
 * V10 keys the records of a journal written before it by their batch's accept_seq and
 * their index, keeps every column of every row, and leaves the event index as it was.
 */
class RecordKeyMigrationTests {

	private static final String PG = "jdbc:postgresql://127.0.0.1:5432/test";

	@ParameterizedTest
	@ValueSource(strings = { "h2", "postgresql" })
	void aJournalWithRecordsKeepsThemKeyedByBatchAndIndex(String database) throws SQLException {
		Journal journal = journal(database);
		try {
			Flyway.configure()
				.dataSource(journal.url(), journal.user(), "")
				.schemas(journal.schema())
				.target("9")
				.load()
				.migrate();
			try (Connection connection = DriverManager.getConnection(journal.connectionUrl(), journal.user(), "");
					Statement statement = connection.createStatement()) {
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
			Flyway.configure()
				.dataSource(journal.url(), journal.user(), "")
				.schemas(journal.schema())
				.target("10")
				.load()
				.migrate();
			try (Connection connection = DriverManager.getConnection(journal.connectionUrl(), journal.user(), "");
					Statement statement = connection.createStatement()) {
				assertThat(rows(statement,
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
				assertThat(rows(statement, "SELECT COUNT(*) FROM batch_record WHERE record_key = 30064771073"))
					.containsExactly("1");
				try {
					statement.execute("INSERT INTO batch_record (record_key, batch_id, idx) "
							+ "VALUES (30064771073, 'b-one', 9)");
					throw new AssertionError("a duplicate key was accepted");
				}
				catch (SQLException expected) {
					// the primary key holds
				}
				assertThat(rows(statement, database.equals("h2")
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
			String url = "jdbc:h2:mem:record-key-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1";
			return new Journal(url, url, "sa", "PUBLIC");
		}
		String user = postgresUser();
		String schema = "reckey_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
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

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
import org.junit.jupiter.api.Test;

import org.springframework.r2dbc.core.DatabaseClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The record-event index on PostgreSQL holds numbered records only, and the queries that
 * read record events by it still use it.
 */
class EventIndexMigrationTests {

	private static final String URL = "jdbc:postgresql://127.0.0.1:5432/test";

	@Test
	void postgresIndexesOnlyNumberedRecordsAndTheEventQueriesUseIt() throws SQLException {
		String user = postgresUser();
		String schema = "evidx_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
		Flyway.configure().dataSource(URL, user, "").schemas(schema).load().migrate();
		try (Connection connection = DriverManager.getConnection(URL + "?currentSchema=" + schema, user, "");
				Statement statement = connection.createStatement()) {
			assertThat(single(statement, "SELECT COUNT(*) FROM flyway_schema_history WHERE version = '7' AND success"))
				.isEqualTo("1");
			assertThat(
					single(statement,
							"SELECT indexdef FROM pg_indexes WHERE schemaname = '" + schema
									+ "' AND indexname = 'batch_record_by_event'"))
				.contains("WHERE (event_seq IS NOT NULL)");
			// Waiting records and finished ones in many batches. Whether the index is
			// used is the planner's choice by cost; whether it can be is what counts here
			// (a query that does not imply the index's condition could never use it), so
			// the plans it would rather take on a small table are turned off.
			statement.execute("INSERT INTO batch_record (record_key, batch_id, idx, outcome, event_seq) "
					+ "SELECT i, 'b' || (i % 50), i, CASE WHEN i % 3 = 0 THEN 'created' END, "
					+ "CASE WHEN i % 3 = 0 THEN i END FROM generate_series(1, 30000) i");
			statement.execute("ANALYZE batch_record");
			statement.execute("SET enable_seqscan = off");
			statement.execute("SET enable_bitmapscan = off");
			statement.execute("SET enable_sort = off");
			for (String query : List.of(
					"SELECT idx FROM batch_record WHERE batch_id = 'b3' AND event_seq > 10 ORDER BY event_seq",
					"SELECT idx FROM batch_record WHERE batch_id = 'b3' AND event_seq IS NOT NULL "
							+ "ORDER BY event_seq DESC LIMIT 1",
					"SELECT COALESCE(MAX(event_seq), 0) FROM batch_record WHERE batch_id = 'b3'")) {
				assertThat(plan(statement, query)).as(query).contains("batch_record_by_event");
			}
		}
		finally {
			try (Connection connection = DriverManager.getConnection(URL, user, "");
					Statement statement = connection.createStatement()) {
				statement.execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
			}
		}
	}

	@Test
	void h2KeepsTheWholeIndex() {
		DatabaseClient db = InMemoryJournal.migrated("event-index-");
		assertThat(db.sql("SELECT COUNT(*) FROM \"flyway_schema_history\" WHERE \"version\" = '7' AND \"success\"")
			.map((row) -> row.get(0, Long.class))
			.one()
			.block()).isEqualTo(1L);
		assertThat(db.sql("SELECT COUNT(*) FROM INFORMATION_SCHEMA.INDEXES WHERE INDEX_NAME = 'BATCH_RECORD_BY_EVENT'")
			.map((row) -> row.get(0, Long.class))
			.one()
			.block()).isEqualTo(1L);
	}

	private static String single(Statement statement, String sql) throws SQLException {
		try (ResultSet rows = statement.executeQuery(sql)) {
			assertThat(rows.next()).as(sql).isTrue();
			return rows.getString(1);
		}
	}

	private static String plan(Statement statement, String query) throws SQLException {
		List<String> lines = new ArrayList<>();
		try (ResultSet rows = statement.executeQuery("EXPLAIN " + query)) {
			while (rows.next()) {
				lines.add(rows.getString(1));
			}
		}
		return String.join("\n", lines);
	}

	private static String postgresUser() {
		EnvironmentRule.require(Requirement.POSTGRES);
		for (String candidate : List.of("postgres", "root")) {
			try (Connection connection = DriverManager.getConnection(URL, candidate, "")) {
				return candidate;
			}
			catch (SQLException ex) {
				// try the next user
			}
		}
		throw new IllegalStateException("PostgreSQL on 127.0.0.1:5432 is not reachable as postgres or root");
	}

}

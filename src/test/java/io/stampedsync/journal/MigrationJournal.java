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
import org.flywaydb.core.api.configuration.FluentConfiguration;

/**
 * A journal database of its own for a migration test: a fresh in-memory H2 database, or a
 * fresh schema on the local PostgreSQL, so that Flyway can migrate it step by step.
 *
 * @param url where Flyway and {@link #drop()} connect
 * @param connectionUrl where the test's own statements connect (PostgreSQL: in the
 * schema)
 * @param user the database user
 * @param schema the schema Flyway migrates
 */
record MigrationJournal(String url, String connectionUrl, String user, String schema) {

	private static final String PG = "jdbc:postgresql://127.0.0.1:5432/test";

	/**
	 * A fresh journal on {@code database} ("h2" or "postgresql"), named after
	 * {@code name}.
	 */
	static MigrationJournal of(String database, String name) {
		if (database.equals("h2")) {
			String url = "jdbc:h2:mem:" + name + "-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1";
			return new MigrationJournal(url, url, "sa", "PUBLIC");
		}
		String user = postgresUser();
		String schema = name + "_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
		return new MigrationJournal(PG, PG + "?currentSchema=" + schema, user, schema);
	}

	/** Migrates the journal up to {@code version}, or to the latest when it is null. */
	void migrateTo(String version) {
		FluentConfiguration flyway = Flyway.configure().dataSource(this.url, this.user, "").schemas(this.schema);
		if (version != null) {
			flyway.target(version);
		}
		flyway.load().migrate();
	}

	Connection connect() throws SQLException {
		return DriverManager.getConnection(this.connectionUrl, this.user, "");
	}

	void drop() throws SQLException {
		try (Connection connection = DriverManager.getConnection(this.url, this.user, "");
				Statement statement = connection.createStatement()) {
			statement.execute(this.url.startsWith("jdbc:h2") ? "DROP ALL OBJECTS"
					: "DROP SCHEMA IF EXISTS " + this.schema + " CASCADE");
		}
	}

	/** The rows {@code sql} answers, each as its columns' values joined by {@code |}. */
	static List<String> rows(Statement statement, String sql) throws SQLException {
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

package io.stampedsync.journal;

import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.List;
import java.util.UUID;

import io.r2dbc.spi.ConnectionFactories;
import io.r2dbc.spi.ConnectionFactory;
import io.stampedsync.environment.EnvironmentRule;
import io.stampedsync.environment.Requirement;
import org.flywaydb.core.Flyway;

/**
 * A fresh journal with every migration applied, on the embedded H2 ({@code h2}, in
 * memory) or on the local PostgreSQL ({@code postgresql}: 127.0.0.1:5432, database
 * {@code test}, a new schema; a test that asks for it follows {@link EnvironmentRule}).
 */
final class MigratedJournal {

	private MigratedJournal() {
	}

	/**
	 * The connections of a new migrated database whose name starts with {@code prefix}.
	 */
	static ConnectionFactory connections(String database, String prefix) {
		if (database.equals("h2")) {
			return InMemoryJournal.connections(prefix);
		}
		String user = postgresUser();
		String schema = prefix.replaceAll("[^a-z]", "") + "_"
				+ UUID.randomUUID().toString().replace("-", "").substring(0, 12);
		Flyway.configure()
			.dataSource("jdbc:postgresql://127.0.0.1:5432/test", user, "")
			.schemas(schema)
			.load()
			.migrate();
		return ConnectionFactories.get("r2dbc:postgresql://" + user + "@127.0.0.1:5432/test?schema=" + schema);
	}

	private static String postgresUser() {
		EnvironmentRule.require(Requirement.POSTGRES);
		for (String candidate : List.of("postgres", "root")) {
			try (var connection = DriverManager.getConnection("jdbc:postgresql://127.0.0.1:5432/test", candidate, "")) {
				return candidate;
			}
			catch (SQLException ex) {
				// try the next user
			}
		}
		throw new IllegalStateException("PostgreSQL on 127.0.0.1:5432 is not reachable as postgres or root");
	}

}

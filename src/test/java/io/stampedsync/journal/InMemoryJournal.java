package io.stampedsync.journal;

import java.util.UUID;

import io.r2dbc.spi.ConnectionFactories;
import io.r2dbc.spi.ConnectionFactory;
import io.r2dbc.spi.ConnectionFactoryOptions;
import org.flywaydb.core.Flyway;

import org.springframework.r2dbc.core.DatabaseClient;

/** A fresh in-memory H2 journal with every migration applied, for the journal's tests. */
final class InMemoryJournal {

	private InMemoryJournal() {
	}

	/** A client of a new database whose name starts with {@code prefix}. */
	static DatabaseClient migrated(String prefix) {
		return DatabaseClient.create(connections(prefix));
	}

	/** The connections of a new database whose name starts with {@code prefix}. */
	static ConnectionFactory connections(String prefix) {
		String name = prefix + UUID.randomUUID();
		Flyway.configure().dataSource("jdbc:h2:mem:" + name + ";DB_CLOSE_DELAY=-1", "sa", "").load().migrate();
		ConnectionFactoryOptions options = ConnectionFactoryOptions
			.parse("r2dbc:h2:mem:///" + name + ";DB_CLOSE_DELAY=-1")
			.mutate()
			.option(ConnectionFactoryOptions.USER, "sa")
			.option(ConnectionFactoryOptions.PASSWORD, "")
			.build();
		return ConnectionFactories.get(options);
	}

}

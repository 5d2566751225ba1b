package io.stampedsync.journal;

import java.util.List;
import java.util.function.Function;

import io.r2dbc.spi.Result;
import io.r2dbc.spi.Statement;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import org.springframework.r2dbc.core.DatabaseClient;

/**
 * Runs one parameterised statement for many rows in a single round trip
 * ({@link Statement#add()}), which {@link DatabaseClient} cannot express. Placeholders
 * are {@code $1 … $n}, understood by both H2 and PostgreSQL drivers.
 */
final class BulkWriter {

	private final DatabaseClient db;

	BulkWriter(DatabaseClient db) {
		this.db = db;
	}

	/** Runs {@code sql} once per row; {@code types} give the SQL type of null values. */
	<T> Mono<Void> execute(String sql, List<T> rows, Function<T, Object[]> values, Class<?>[] types) {
		if (rows.isEmpty()) {
			return Mono.empty();
		}
		return this.db.inConnectionMany((connection) -> {
			Statement statement = connection.createStatement(sql);
			for (int i = 0; i < rows.size(); i++) {
				if (i > 0) {
					statement.add();
				}
				Object[] row = values.apply(rows.get(i));
				for (int column = 0; column < row.length; column++) {
					if (row[column] == null) {
						statement.bindNull(column, types[column]);
					}
					else {
						statement.bind(column, row[column]);
					}
				}
			}
			return Flux.from(statement.execute()).flatMap(Result::getRowsUpdated);
		}).then();
	}

}

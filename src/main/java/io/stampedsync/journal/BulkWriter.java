package io.stampedsync.journal;

import java.util.List;
import java.util.function.Function;

import io.r2dbc.spi.Connection;
import io.r2dbc.spi.Result;
import io.r2dbc.spi.Statement;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import org.springframework.r2dbc.core.DatabaseClient;

/**
 * Runs parameterised statements for many rows in a single round trip
 * ({@link Statement#add()}), which {@link DatabaseClient} cannot express, and in one
 * transaction. Placeholders are {@code $1 … $n}, understood by both H2 and PostgreSQL
 * drivers.
 * <p>
 * One transaction, because in auto-commit mode the embedded H2 commits every row on its
 * own, and with {@code WRITE_DELAY=0} each commit writes a new chunk of the store file:
 * profiled, those per-row commits were two thirds of the gateway's CPU. One commit per
 * group keeps the guarantee (a group is on disk before anything acknowledges it) at a
 * fraction of the cost.
 */
final class BulkWriter {

	private final DatabaseClient db;

	BulkWriter(DatabaseClient db) {
		this.db = db;
	}

	/** Runs {@code sql} once per row; {@code types} give the SQL type of null values. */
	<T> Mono<Void> execute(String sql, List<T> rows, Function<T, Object[]> values, Class<?>[] types) {
		return execute(List.of(new Rows<>(sql, rows, values, types)));
	}

	/** Runs each group of rows, in order, all in one transaction. */
	Mono<Void> execute(List<Rows<?>> groups) {
		List<Rows<?>> nonEmpty = groups.stream().filter((rows) -> !rows.rows().isEmpty()).toList();
		if (nonEmpty.isEmpty()) {
			return Mono.empty();
		}
		return this.db
			.inConnectionMany((connection) -> inTransaction(connection,
					Flux.fromIterable(nonEmpty).concatMap((rows) -> run(connection, rows))))
			.then();
	}

	private static Flux<Long> inTransaction(Connection connection, Flux<Long> work) {
		if (!connection.isAutoCommit()) {
			// Already in a transaction (a fenced write in distributed mode): join it, or
			// its commit here would end the caller's transaction and its lease check.
			return work;
		}
		return Mono.from(connection.beginTransaction())
			.thenMany(work)
			.concatWith(Mono.from(connection.commitTransaction()).then(Mono.empty()))
			.onErrorResume((ex) -> Mono.from(connection.rollbackTransaction())
				.onErrorResume((rollback) -> Mono.empty())
				.then(Mono.error(ex)));
	}

	private static <T> Flux<Long> run(Connection connection, Rows<T> rows) {
		Statement statement = connection.createStatement(rows.sql());
		for (int i = 0; i < rows.rows().size(); i++) {
			if (i > 0) {
				statement.add();
			}
			Object[] row = rows.values().apply(rows.rows().get(i));
			for (int column = 0; column < row.length; column++) {
				if (row[column] == null) {
					statement.bindNull(column, rows.types()[column]);
				}
				else {
					statement.bind(column, row[column]);
				}
			}
		}
		return Flux.from(statement.execute()).flatMap(Result::getRowsUpdated);
	}

	/**
	 * One statement and the rows to run it for; {@code types} give the SQL type of null
	 * values.
	 */
	record Rows<T>(String sql, List<T> rows, Function<T, Object[]> values, Class<?>[] types) {
	}

}

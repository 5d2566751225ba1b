package io.stampedsync.monitoring;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

import io.r2dbc.spi.Readable;
import io.r2dbc.spi.Result;
import io.r2dbc.spi.Statement;
import io.stampedsync.PeriodicPruning;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Repository;

/** The {@code error_log} table (V3): append in groups, read newest first, prune. */
@Repository
class ErrorLog {

	private static final String COLUMNS = "subscription_id, batch_id, record_index, ipaas_customer_id, email, code, "
			+ "message, http_status, attempts, direction, kind, occurred_at";

	private static final Class<?>[] TYPES = { String.class, String.class, Integer.class, String.class, String.class,
			String.class, String.class, Integer.class, Integer.class, String.class, String.class,
			OffsetDateTime.class };

	private static final String INSERT = "INSERT INTO error_log (" + COLUMNS
			+ ") VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)";

	private final DatabaseClient db;

	ErrorLog(DatabaseClient db) {
		this.db = db;
	}

	/**
	 * Inserts the entries in one round trip: one statement with a binding per row
	 * ({@link Statement#add()}, the idea of {@code journal.BulkWriter}), in one
	 * transaction (auto-commit would commit, and on H2 write the file, once per row).
	 */
	Mono<Void> append(List<ErrorEntry> entries) {
		if (entries.isEmpty()) {
			return Mono.empty();
		}
		return this.db.inConnectionMany((connection) -> {
			Statement statement = connection.createStatement(INSERT);
			for (int i = 0; i < entries.size(); i++) {
				if (i > 0) {
					statement.add();
				}
				bind(statement, values(entries.get(i)));
			}
			return Mono.from(connection.beginTransaction())
				.thenMany(Flux.from(statement.execute()).flatMap(Result::getRowsUpdated))
				.concatWith(Mono.from(connection.commitTransaction()).then(Mono.empty()))
				.onErrorResume((ex) -> Mono.from(connection.rollbackTransaction())
					.onErrorResume((rollback) -> Mono.empty())
					.then(Mono.error(ex)));
		}).then();
	}

	private static void bind(Statement statement, Object[] row) {
		for (int column = 0; column < row.length; column++) {
			if (row[column] == null) {
				statement.bindNull(column, TYPES[column]);
			}
			else {
				statement.bind(column, row[column]);
			}
		}
	}

	private static Object[] values(ErrorEntry e) {
		return new Object[] { e.subscriptionId(), e.batchId(), e.recordIndex(), truncate(e.ipaasCustomerId(), 64),
				truncate(e.email(), 320), e.code(), truncate(e.message(), 2000), e.httpStatus(), e.attempts(),
				e.direction(), e.kind(), e.occurredAt().atOffset(ZoneOffset.UTC) };
	}

	/** Entries matching {@code query}, newest first, paged. */
	Flux<ErrorEntry> find(ErrorQuery query, long offset, int limit) {
		List<String> where = new ArrayList<>();
		List<Object> values = new ArrayList<>();
		condition(where, values, "subscription_id", query.subscriptionId());
		condition(where, values, "code", query.code());
		condition(where, values, "batch_id", query.batchId());
		condition(where, values, "kind", query.kind());
		if (query.since() != null) {
			values.add(query.since().atOffset(ZoneOffset.UTC));
			where.add("occurred_at >= :p" + values.size());
		}
		String sql = "SELECT id, " + COLUMNS + " FROM error_log"
				+ (where.isEmpty() ? "" : " WHERE " + String.join(" AND ", where))
				+ " ORDER BY occurred_at DESC, id DESC LIMIT :limit OFFSET :offset";
		DatabaseClient.GenericExecuteSpec spec = this.db.sql(sql).bind("limit", limit).bind("offset", offset);
		for (int i = 0; i < values.size(); i++) {
			spec = spec.bind("p" + (i + 1), values.get(i));
		}
		return spec.map(ErrorLog::entry).all();
	}

	private static void condition(List<String> where, List<Object> values, String column, String value) {
		if (value != null) {
			values.add(value);
			where.add(column + " = :p" + values.size());
		}
	}

	/**
	 * Deletes entries older than {@code before}, {@code chunk} rows per statement so a
	 * long backlog never holds one huge transaction; answers how many went.
	 */
	Mono<Long> prune(Instant before, int chunk) {
		return PeriodicPruning.inChunks(chunk, () -> deleteChunk(before, chunk));
	}

	private Mono<Long> deleteChunk(Instant before, int chunk) {
		return this.db
			.sql("DELETE FROM error_log WHERE id IN "
					+ "(SELECT id FROM error_log WHERE occurred_at < :before ORDER BY occurred_at LIMIT :chunk)")
			.bind("before", before.atOffset(ZoneOffset.UTC))
			.bind("chunk", chunk)
			.fetch()
			.rowsUpdated();
	}

	private static ErrorEntry entry(Readable row) {
		OffsetDateTime at = row.get("occurred_at", OffsetDateTime.class);
		Integer attempts = row.get("attempts", Integer.class);
		return new ErrorEntry(row.get("id", Long.class), row.get("subscription_id", String.class),
				row.get("batch_id", String.class), row.get("record_index", Integer.class),
				row.get("ipaas_customer_id", String.class), row.get("email", String.class),
				row.get("code", String.class), row.get("message", String.class), row.get("http_status", Integer.class),
				(attempts != null) ? attempts : 0, row.get("direction", String.class), row.get("kind", String.class),
				(at != null) ? at.toInstant() : null);
	}

	private static String truncate(String text, int max) {
		return (text == null || text.length() <= max) ? text : text.substring(0, max);
	}

}

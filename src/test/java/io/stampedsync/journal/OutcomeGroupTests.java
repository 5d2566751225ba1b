package io.stampedsync.journal;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;

import io.r2dbc.spi.Connection;
import io.r2dbc.spi.ConnectionFactory;
import io.r2dbc.spi.ConnectionFactoryMetadata;
import io.r2dbc.spi.Statement;
import io.stampedsync.batch.BatchEvent;
import io.stampedsync.batch.BatchRecord;
import io.stampedsync.outbound.ErrorCode;
import io.stampedsync.transfer.Outcome;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Mono;

import org.springframework.r2dbc.core.DatabaseClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A group of outcomes is one statement of column arrays, and each outcome lands exactly
 * as it was: on the real schema (Flyway), on H2 and on PostgreSQL (127.0.0.1:5432, a
 * fresh schema; skipped when unreachable, except in CI).
 */
class OutcomeGroupTests {

	private static final Instant AT = Instant.parse("2026-12-01T10:15:30.123456Z");

	/** The largest group the journal writer sends ({@code JournalWriter}). */
	private static final int LARGEST_GROUP = 512;

	/** Five UTF-16 units: two of them one character outside the BMP. */
	private static final String UNICODE = "é✓😀中";

	private final List<String> statements = new CopyOnWriteArrayList<>();

	private final AtomicInteger addedBindings = new AtomicInteger();

	private DatabaseClient db;

	private R2dbcBatchJournal journal;

	@ParameterizedTest
	@ValueSource(strings = { "h2", "postgresql" })
	void storesEachOutcomeOfAGroupExactlyWithItsNullsLongMessagesAndUnicode(String database) {
		open(database);
		batch("b1", 5);
		BatchRecord created = done("b1", 0, Outcome.CREATED, "s0", 1, 0, 12L, null, null, 201, null, AT);
		BatchRecord failed = done("b1", 1, Outcome.FAILED, "s1-" + UNICODE, 4, 2, 30_000L, ErrorCode.STAMPED_VALIDATION,
				UNICODE.repeat(400), 422, "[" + UNICODE.repeat(20_000) + "]", AT.plusMillis(1));
		BatchRecord nulls = done("b1", 2, Outcome.UNCHANGED, null, 0, 0, null, null, null, null, null, null);
		BatchRecord empty = done("b1", 3, Outcome.REJECTED, "", 0, 0, 0L, ErrorCode.INVALID_CUSTOMER, "", null, "", AT);

		this.journal
			.complete(List.of(created, failed, nulls, empty),
					List.of(recordEvent(created, 10), recordEvent(failed, 11), recordEvent(empty, 12)))
			.block();

		assertThat(failed.errorMessage()).hasSize(2000);
		assertThat(records("b1")).containsExactly(created, failed, nulls, empty, pending("b1", 4));
		assertThat(this.journal.events("b1", 0)
			.map((event) -> event.seq() + " " + event.record().index())
			.collectList()
			.block()).containsExactly("10 0", "11 1", "12 3");
	}

	@ParameterizedTest
	@ValueSource(strings = { "h2", "postgresql" })
	void writesAGroupOfOneAndTheLargestGroupEachAsOneStatementOfOneBindingWithTheSameText(String database) {
		open(database);
		batch("b1", 1 + LARGEST_GROUP);
		List<BatchRecord> largest = new ArrayList<>();
		for (int i = 1; i <= LARGEST_GROUP; i++) {
			largest.add(done("b1", i, (i % 2 == 0) ? Outcome.CREATED : Outcome.FAILED, "s" + i, i % 5, i % 3, (long) i,
					(i % 2 == 0) ? null : ErrorCode.NETWORK, (i % 2 == 0) ? null : "no answer " + i,
					(i % 7 == 0) ? null : 200 + i % 100, null, AT.plusSeconds(i)));
		}
		BatchRecord one = done("b1", 0, Outcome.CREATED, "s0", 1, 0, 5L, null, null, 201, null, AT);

		this.statements.clear();
		this.addedBindings.set(0);

		this.journal.complete(List.of(one), List.of()).block();
		this.journal.complete(largest, List.of()).block();

		List<String> merges = this.statements.stream()
			.filter((sql) -> sql.startsWith("MERGE INTO batch_record"))
			.toList();
		assertThat(merges).as("one statement per group, one SQL text for both").hasSize(2).containsOnly(merges.get(0));
		assertThat(this.addedBindings).as("no binding per row").hasValue(0);
		List<BatchRecord> expected = new ArrayList<>(List.of(one));
		expected.addAll(largest);
		assertThat(records("b1")).containsExactlyElementsOf(expected);
	}

	@ParameterizedTest
	@ValueSource(strings = { "h2", "postgresql" })
	void aRecordWrittenAgainTakesItsLaterOutcomeAlsoTwiceInOneGroup(String database) {
		open(database);
		batch("b1", 2);
		BatchRecord failed0 = done("b1", 0, Outcome.FAILED, null, 1, 0, 3L, ErrorCode.NETWORK, "down", null, null, AT);
		BatchRecord created0 = done("b1", 0, Outcome.CREATED, "s0", 2, 0, 4L, null, null, 201, null, AT.plusSeconds(1));
		BatchRecord failed1 = done("b1", 1, Outcome.FAILED, null, 1, 0, 3L, ErrorCode.NETWORK, "down", null, null, AT);
		BatchRecord created1 = done("b1", 1, Outcome.CREATED, "s1", 2, 0, 4L, null, null, 201, null, AT.plusSeconds(1));

		this.journal.complete(List.of(failed0), List.of(recordEvent(failed0, 1))).block();
		this.journal
			.complete(List.of(created0, failed1, created1), List.of(recordEvent(failed1, 2), recordEvent(created0, 3)))
			.block();

		assertThat(records("b1")).containsExactly(created0, created1);
		assertThat(this.journal.events("b1", 0)
			.map((event) -> event.seq() + " " + event.record().index())
			.collectList()
			.block()).as("each record numbered by its latest event").containsExactly("2 1", "3 0");
	}

	@ParameterizedTest
	@ValueSource(strings = { "h2", "postgresql" })
	void storesLoggedEventsAndNumbersTheRecordsRejectedAtIntake(String database) {
		open(database);
		batch("b1", 1);
		BatchRecord rejected = BatchRecord.rejected("b1", 1, "c1", "not-an-email", "{}", "email: " + UNICODE, AT);
		this.journal.insertRecords(List.of(rejected)).block();
		BatchEvent progress = new BatchEvent("b1", "acme", 3, BatchEvent.PROGRESS, "{\"note\":\"" + UNICODE + "\"}",
				AT);

		this.journal.appendEvents(List.of(recordEvent(rejected, 2), progress)).block();

		assertThat(this.journal.events("b1", 0).map((event) -> event.seq() + " " + event.type()).collectList().block())
			.containsExactly("2 record", "3 progress");
		assertThat(this.journal.lastEvent("b1", BatchEvent.PROGRESS).block().data()).isEqualTo(progress.data());
		assertThat(this.journal.lastSeq("b1").block()).isEqualTo(3);
	}

	private void open(String database) {
		ConnectionFactory connections = MigratedJournal.connections(database, "outcomes-");
		ConnectionFactory noting = new ConnectionFactory() {

			@Override
			public Publisher<? extends Connection> create() {
				return Mono.from(connections.create()).map(OutcomeGroupTests.this::noting);
			}

			@Override
			public ConnectionFactoryMetadata getMetadata() {
				return connections.getMetadata();
			}

		};
		this.db = DatabaseClient.create(noting);
		this.journal = new R2dbcBatchJournal(this.db, null, new UnsavedLinks());
	}

	/** A batch of {@code records} pending records. */
	private void batch(String id, int records) {
		this.db
			.sql("INSERT INTO batch (id, accept_seq, subscription_id, source, status, total, created_at) "
					+ "VALUES (:id, 1, 'acme', 'bulk', 'running', :total, :at)")
			.bind("id", id)
			.bind("total", records)
			.bind("at", AT.atOffset(ZoneOffset.UTC))
			.then()
			.block();
		this.journal.insertRecords(IntStream.range(0, records).mapToObj((i) -> pending(id, i)).toList()).block();
	}

	private static BatchRecord pending(String batchId, int index) {
		return BatchRecord.pending(batchId, index, "c" + index, "c" + index + "@example.com", "{\"i\":" + index + "}");
	}

	private static BatchRecord done(String batchId, int index, Outcome outcome, String stampedId, int attempts,
			int ipaasCalls, Long durationMs, ErrorCode code, String message, Integer httpStatus, String trace,
			Instant finishedAt) {
		BatchRecord waiting = pending(batchId, index);
		return new BatchRecord(batchId, index, waiting.ipaasCustomerId(), waiting.email(), waiting.payload(), outcome,
				stampedId, attempts, ipaasCalls, durationMs, code, message, httpStatus, trace, finishedAt);
	}

	private static BatchEvent recordEvent(BatchRecord record, long seq) {
		return new BatchEvent(record.batchId(), "acme", seq, BatchEvent.RECORD, "{}", AT, record);
	}

	/** Every record of the batch, in order, waiting ones included. */
	private List<BatchRecord> records(String batchId) {
		return this.db
			.sql("SELECT batch_id, idx, ipaas_customer_id, email, payload, outcome, stamped_customer_id, attempts, "
					+ "duration_ms, error_code, error_message, http_status, trace, finished_at, ipaas_calls "
					+ "FROM batch_record WHERE batch_id = :id ORDER BY idx")
			.bind("id", batchId)
			.map((row) -> {
				String outcome = row.get("outcome", String.class);
				String code = row.get("error_code", String.class);
				return new BatchRecord(row.get("batch_id", String.class), row.get("idx", Integer.class),
						row.get("ipaas_customer_id", String.class), row.get("email", String.class),
						row.get("payload", String.class), (outcome != null) ? Outcome.fromTag(outcome) : null,
						row.get("stamped_customer_id", String.class), row.get("attempts", Integer.class),
						row.get("ipaas_calls", Integer.class), row.get("duration_ms", Long.class),
						(code != null) ? ErrorCode.valueOf(code) : null, row.get("error_message", String.class),
						row.get("http_status", Integer.class), row.get("trace", String.class),
						R2dbcBatchJournal.instant(row, "finished_at"));
			})
			.all()
			.collectList()
			.block();
	}

	/**
	 * {@code connection}, noting the statements it prepares and the bindings added to
	 * them.
	 */
	private Connection noting(Connection connection) {
		return proxy(Connection.class, connection, (name, result) -> {
			if (name.equals("createStatement")) {
				return proxy(Statement.class, result, (statementMethod, returned) -> {
					if (statementMethod.equals("add")) {
						this.addedBindings.incrementAndGet();
					}
					return returned;
				});
			}
			return result;
		}, (name, arguments) -> {
			if (name.equals("createStatement")) {
				this.statements.add((String) arguments[0]);
			}
		});
	}

	private static <T> T proxy(Class<T> type, Object target,
			java.util.function.BiFunction<String, Object, Object> after) {
		return proxy(type, target, after, (name, arguments) -> {
		});
	}

	@SuppressWarnings("unchecked")
	private static <T> T proxy(Class<T> type, Object target,
			java.util.function.BiFunction<String, Object, Object> after,
			java.util.function.BiConsumer<String, Object[]> before) {
		return (T) Proxy.newProxyInstance(OutcomeGroupTests.class.getClassLoader(), new Class<?>[] { type },
				(self, method, arguments) -> {
					before.accept(method.getName(), arguments);
					try {
						return after.apply(method.getName(), method.invoke(target, arguments));
					}
					catch (InvocationTargetException ex) {
						throw ex.getCause();
					}
				});
	}

}

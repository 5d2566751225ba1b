package io.stampedsync.journal;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import io.r2dbc.spi.Readable;
import io.stampedsync.batch.Batch;
import io.stampedsync.batch.BatchEvent;
import io.stampedsync.batch.BatchJournal;
import io.stampedsync.batch.BatchRecord;
import io.stampedsync.batch.BatchSource;
import io.stampedsync.batch.BatchStatus;
import io.stampedsync.batch.EventJson;
import io.stampedsync.batch.Fence;
import io.stampedsync.batch.PendingRecord;
import io.stampedsync.batch.RecordCounts;
import io.stampedsync.outbound.ErrorCode;
import io.stampedsync.transfer.CustomerLink;
import io.stampedsync.transfer.Outcome;
import io.stampedsync.transfer.PrefetchedLink;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import org.springframework.r2dbc.connection.R2dbcTransactionManager;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.r2dbc.core.Parameter;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.reactive.TransactionalOperator;

/**
 * {@link BatchJournal} on R2DBC: the embedded H2 file by default, PostgreSQL when
 * configured.
 */
@Repository
class R2dbcBatchJournal implements BatchJournal {

	private static final String BATCH_COLUMNS = "id, accept_seq, subscription_id, source, status, status_reason, "
			+ "priority, dry_run, force_send, debug, total, idempotency_key, body_hash, retry_of, created_at, "
			+ "started_at, finished_at";

	private static final String RECORD_COLUMNS = "batch_id, idx, ipaas_customer_id, email, payload, outcome, "
			+ "stamped_customer_id, attempts, duration_ms, error_code, error_message, http_status, trace, finished_at, "
			+ "ipaas_calls";

	private final DatabaseClient db;

	private final BulkWriter bulk;

	private final SqlDialect dialect;

	private final TransactionalOperator transactions;

	private final EventJson eventJson;

	private final UnsavedLinks unsaved;

	R2dbcBatchJournal(DatabaseClient db, EventJson eventJson, UnsavedLinks unsaved) {
		this.db = db;
		this.eventJson = eventJson;
		this.unsaved = unsaved;
		this.bulk = new BulkWriter(db);
		this.dialect = SqlDialect.of(db);
		// Bound to the very connection factory of the client, so that the statements of
		// a fenced write (DatabaseClient and BulkWriter alike) join its transaction.
		this.transactions = TransactionalOperator.create(new R2dbcTransactionManager(db.getConnectionFactory()));
	}

	@Override
	public Mono<Boolean> underFence(Fence fence, Mono<Void> writes) {
		if (!fence.isChecked()) {
			return writes.thenReturn(true);
		}
		// FOR SHARE conflicts with the claim's row update: a replica taking the lease
		// waits for this transaction, and this one, if it comes second, sees the new
		// token.
		Mono<Boolean> checked = this.db
			.sql("SELECT fencing_token FROM subscription_lease WHERE subscription_id = :id FOR SHARE")
			.bind("id", fence.subscriptionId())
			.map((row) -> row.get(0, Long.class))
			.one()
			.filter((token) -> token == fence.token())
			.hasElement()
			.flatMap((held) -> held ? writes.thenReturn(true) : Mono.just(false));
		return this.transactions.transactional(checked);
	}

	@Override
	public Mono<Batch> create(Batch batch) {
		return this.db.sql(this.dialect.nextAcceptSeq())
			.map((row) -> row.get(0, Long.class))
			.one()
			.flatMap((seq) -> this.db
				.sql("INSERT INTO batch (" + BATCH_COLUMNS + ") VALUES "
						+ "(:id, :seq, :sub, :source, :status, NULL, :priority, :dryRun, :force, :debug, :total, "
						+ ":key, NULL, :retryOf, :createdAt, NULL, NULL)")
				.bind("id", batch.id())
				.bind("seq", seq)
				.bind("sub", batch.subscriptionId())
				.bind("source", batch.source().tag())
				.bind("status", batch.status().tag())
				.bind("priority", batch.priority())
				.bind("dryRun", batch.dryRun())
				.bind("force", batch.force())
				.bind("debug", batch.debug())
				.bind("total", batch.total())
				.bind("key", Parameter.fromOrEmpty(batch.idempotencyKey(), String.class))
				.bind("retryOf", Parameter.fromOrEmpty(batch.retryOf(), String.class))
				.bind("createdAt", at(batch.createdAt()))
				.then()
				.thenReturn(new Batch(batch.id(), seq, batch.subscriptionId(), batch.source(), batch.status(),
						batch.statusReason(), batch.priority(), batch.dryRun(), batch.force(), batch.debug(),
						batch.total(), batch.idempotencyKey(), batch.bodyHash(), batch.retryOf(), batch.createdAt(),
						null, null)));
	}

	// Most records of a body wait for their transfer, with an id, an email and a payload:
	// they take the narrow insert (in one statement per chunk on H2). The others (refused
	// at intake, references without a payload) take the whole row.
	@Override
	public Mono<Void> insertRecords(List<BatchRecord> records) {
		List<BatchRecord> waiting = new ArrayList<>(records.size());
		List<BatchRecord> others = new ArrayList<>();
		for (BatchRecord record : records) {
			boolean narrow = record.outcome() == null && record.ipaasCustomerId() != null && record.email() != null
					&& record.payload() != null;
			(narrow ? waiting : others).add(record);
		}
		List<BulkWriter.Rows<?>> groups = new ArrayList<>(waitingRows(waiting));
		groups.add(new BulkWriter.Rows<>(WHOLE_ROW_INSERT, others,
				(r) -> new Object[] { r.batchId(), r.index(), r.ipaasCustomerId(), r.email(), r.payload(),
						tag(r.outcome()), r.stampedCustomerId(), r.attempts(), r.durationMs(),
						(r.errorCode() != null) ? r.errorCode().name() : null, r.errorMessage(), r.httpStatus(),
						r.trace(), atOrNull(r.finishedAt()), r.ipaasCalls() },
				RECORD_TYPES));
		return this.bulk.execute(groups);
	}

	private static final String WHOLE_ROW_INSERT = "INSERT INTO batch_record (record_key, " + RECORD_COLUMNS
			+ ") VALUES (" + RecordKeys.of("$1", "$2")
			+ ", $1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15)";

	/**
	 * On H2, the whole chunk in one statement of five arrays: r2dbc-h2 parses a statement
	 * again for every binding (it never closes a command, so H2's query cache never hands
	 * one back), and a row per binding also pays a command and a sorted map of
	 * parameters; profiled, those and the CLOB every {@code String} is bound as were half
	 * of the intake's journal writer. Texts go as UTF-8 bytes, which H2 decodes into the
	 * columns. {@code DIRECT} inserts each row as the select makes it, with no copy of
	 * the chunk in a result first. The rows' keys come from the batch's
	 * {@code accept_seq}, named by a sixth parameter. PostgreSQL takes one row per
	 * binding, as every other insert.
	 */
	private List<BulkWriter.Rows<?>> waitingRows(List<BatchRecord> waiting) {
		if (this.dialect != SqlDialect.H2) {
			return List.of(new BulkWriter.Rows<>(
					"INSERT INTO batch_record (record_key, " + WAITING_COLUMNS + ") VALUES ("
							+ RecordKeys.of("$1", "$2") + ", $1, $2, $3, $4, $5)",
					waiting,
					(r) -> new Object[] { r.batchId(), r.index(), r.ipaasCustomerId(), r.email(), r.payload() },
					WAITING_TYPES));
		}
		// One statement per batch (a chunk is one batch's): its first key is looked up
		// once.
		Map<String, List<BatchRecord>> byBatch = new LinkedHashMap<>();
		for (BatchRecord record : waiting) {
			byBatch.computeIfAbsent(record.batchId(), (id) -> new ArrayList<>()).add(record);
		}
		List<BulkWriter.Rows<?>> statements = new ArrayList<>(byBatch.size());
		for (List<BatchRecord> ofBatch : byBatch.values()) {
			statements.add(waitingRowsOfBatch(ofBatch));
		}
		return statements;
	}

	private static BulkWriter.Rows<?> waitingRowsOfBatch(List<BatchRecord> waiting) {
		return new BulkWriter.Rows<>("INSERT INTO batch_record (record_key, " + WAITING_COLUMNS + ") DIRECT SELECT "
				+ RecordKeys.of("$6", "u.idx") + ", u.* FROM UNNEST($1, $2, $3, $4, $5) AS u(" + WAITING_COLUMNS + ")",
				List.of(waiting), (rows) -> {
					int n = rows.size();
					Object[] batchIds = new Object[n];
					Object[] indexes = new Object[n];
					Object[] ids = new Object[n];
					Object[] emails = new Object[n];
					Object[] payloads = new Object[n];
					String batchId = null;
					byte[] batchIdBytes = null;
					for (int i = 0; i < n; i++) {
						BatchRecord r = rows.get(i);
						// A chunk is one batch's: its id is encoded once.
						if (!r.batchId().equals(batchId)) {
							batchId = r.batchId();
							batchIdBytes = utf8(batchId);
						}
						batchIds[i] = batchIdBytes;
						indexes[i] = r.index();
						ids[i] = utf8(r.ipaasCustomerId());
						emails[i] = utf8(r.email());
						payloads[i] = utf8(r.payload());
					}
					return new Object[] { batchIds, indexes, ids, emails, payloads, batchId };
				}, ARRAY_TYPES);
	}

	private static byte[] utf8(String text) {
		return text.getBytes(StandardCharsets.UTF_8);
	}

	private static final String WAITING_COLUMNS = "batch_id, idx, ipaas_customer_id, email, payload";

	private static final Class<?>[] WAITING_TYPES = { String.class, Integer.class, String.class, String.class,
			String.class };

	private static final Class<?>[] ARRAY_TYPES = { Object[].class, Object[].class, Object[].class, Object[].class,
			Object[].class, String.class };

	private static final Class<?>[] RECORD_TYPES = { String.class, Integer.class, String.class, String.class,
			String.class, String.class, String.class, Integer.class, Long.class, String.class, String.class,
			Integer.class, String.class, OffsetDateTime.class, Integer.class };

	@Override
	public Mono<Void> markReceived(String batchId, int total, String bodyHash) {
		return this.db.sql("UPDATE batch SET status = 'queued', total = :total, body_hash = :hash WHERE id = :id")
			.bind("total", total)
			.bind("hash", Parameter.fromOrEmpty(bodyHash, String.class))
			.bind("id", batchId)
			.then();
	}

	@Override
	public Mono<Void> markReceived(String batchId, int total, String bodyHash, long rejected) {
		return this.db
			.sql("UPDATE batch SET status = 'queued', total = :total, body_hash = :hash, "
					+ "intake_rejected = :rejected WHERE id = :id")
			.bind("total", total)
			.bind("hash", Parameter.fromOrEmpty(bodyHash, String.class))
			.bind("rejected", (int) rejected)
			.bind("id", batchId)
			.then();
	}

	// A record's outcome changes only once its batch started (a dispatcher writes RUNNING
	// or PAUSED, which set started_at, before any outcome) or with a cancel, which writes
	// the status right after the outcomes: until then the row's counts are the records'.
	// (A crash between a cancel's two writes leaves a queued batch whose waiting records
	// are cancelled: it then starts with too many pending, reads none, and ends as it
	// would have.)
	@Override
	public Mono<RecordCounts> intakeCounts(String batchId) {
		return this.db
			.sql("SELECT total, intake_rejected FROM batch WHERE id = :id AND status = 'queued' "
					+ "AND started_at IS NULL AND intake_rejected IS NOT NULL")
			.bind("id", batchId)
			.map((row) -> {
				long total = row.get("total", Integer.class);
				long rejected = row.get("intake_rejected", Integer.class);
				return new RecordCounts(total - rejected,
						(rejected > 0) ? Map.of(Outcome.REJECTED, rejected) : Map.of());
			})
			.one();
	}

	@Override
	public Mono<Void> discard(String batchId) {
		return this.db.sql("DELETE FROM batch_event WHERE batch_id = :id")
			.bind("id", batchId)
			.then()
			.then(this.db.sql("DELETE FROM batch_record WHERE " + RecordKeys.OF_BATCH).bind("id", batchId).then())
			.then(this.db.sql("DELETE FROM record_event WHERE " + RecordKeys.ofBatch("event_key"))
				.bind("id", batchId)
				.then())
			.then(this.db.sql("DELETE FROM batch WHERE id = :id").bind("id", batchId).then());
	}

	@Override
	public Mono<Long> discardUnacknowledged(Instant before) {
		return this.db.sql("SELECT id FROM batch WHERE status = 'receiving' AND created_at < :before")
			.bind("before", at(before))
			.map((row) -> row.get("id", String.class))
			.all()
			.concatMap((id) -> discard(id).thenReturn(1L))
			.count();
	}

	@Override
	public Mono<Batch> find(String batchId) {
		return this.db.sql("SELECT " + BATCH_COLUMNS + " FROM batch WHERE id = :id AND status <> 'receiving'")
			.bind("id", batchId)
			.map(R2dbcBatchJournal::batch)
			.one();
	}

	@Override
	public Mono<Batch> findByIdempotencyKey(String subscriptionId, String idempotencyKey) {
		return this.db
			.sql("SELECT " + BATCH_COLUMNS + " FROM batch WHERE subscription_id = :sub "
					+ "AND idempotency_key = :key AND status <> 'receiving'")
			.bind("sub", subscriptionId)
			.bind("key", idempotencyKey)
			.map(R2dbcBatchJournal::batch)
			.one();
	}

	@Override
	public Flux<Batch> findAll(String subscriptionId, BatchStatus status, int limit) {
		return this.db
			.sql("SELECT " + BATCH_COLUMNS + " FROM batch WHERE status <> 'receiving' "
					+ "AND (:sub = '' OR subscription_id = :sub) AND (:status = '' OR status = :status) "
					+ "ORDER BY accept_seq DESC LIMIT :limit")
			.bind("sub", (subscriptionId != null) ? subscriptionId : "")
			.bind("status", (status != null) ? status.tag() : "")
			.bind("limit", limit)
			.map(R2dbcBatchJournal::batch)
			.all();
	}

	@Override
	public Flux<Batch> findUnfinished(String subscriptionId) {
		return this.db
			.sql("SELECT " + BATCH_COLUMNS + " FROM batch WHERE subscription_id = :sub "
					+ "AND status IN ('queued', 'running', 'paused') AND dry_run = FALSE "
					+ "ORDER BY priority DESC, accept_seq")
			.bind("sub", subscriptionId)
			.map(R2dbcBatchJournal::batch)
			.all();
	}

	@Override
	public Flux<String> subscriptionsWithUnfinishedBatches() {
		return this.db
			.sql("SELECT DISTINCT subscription_id FROM batch "
					+ "WHERE status IN ('queued', 'running', 'paused') AND dry_run = FALSE")
			.map((row) -> row.get(0, String.class))
			.all();
	}

	@Override
	public Mono<Void> updateStatus(String batchId, BatchStatus status, String reason) {
		String times = switch (status) {
			case RUNNING -> ", started_at = COALESCE(started_at, :now)";
			case COMPLETED, COMPLETED_WITH_ERRORS, CANCELLED -> ", finished_at = :now";
			default -> ", started_at = COALESCE(started_at, :now)";
		};
		return this.db.sql("UPDATE batch SET status = :status, status_reason = :reason" + times + " WHERE id = :id")
			.bind("status", status.tag())
			.bind("reason", Parameter.fromOrEmpty(reason, String.class))
			.bind("now", at(Instant.now()))
			.bind("id", batchId)
			.then();
	}

	@Override
	public Flux<BatchRecord> pending(String batchId, int afterIndex, int limit) {
		return this.db
			.sql("SELECT " + RECORD_COLUMNS + " FROM batch_record WHERE " + RecordKeys.afterIndex("")
					+ " AND outcome IS NULL ORDER BY record_key LIMIT :limit")
			.bind("id", batchId)
			.bind("after", afterIndex)
			.bind("limit", limit)
			.map(R2dbcBatchJournal::record)
			.all();
	}

	/**
	 * The page of pending records with their customers' links, in one statement: a left
	 * join on the link's primary key, so the transfers need no look-up between their
	 * calls. The count of link changes is taken before the statement goes out, for the
	 * link store to tell whether a link read here is still the latest when its record
	 * runs ({@link LinkChanges}).
	 */
	@Override
	public Flux<PendingRecord> pendingWithLinks(String subscriptionId, String batchId, int afterIndex, int limit) {
		return Mono.fromSupplier(() -> this.unsaved.changes().count())
			.flatMapMany((readAt) -> this.db.sql(PENDING_WITH_LINKS)
				.bind("sub", subscriptionId)
				.bind("id", batchId)
				.bind("after", afterIndex)
				.bind("limit", limit)
				.map((row) -> pendingWithLink(row, subscriptionId, readAt))
				.all());
	}

	// The cast: r2dbc-h2 binds a String as a CLOB, which would not use the link's key.
	private static final String PENDING_WITH_LINKS = "SELECT " + prefixed("r.", RECORD_COLUMNS)
			+ ", l.stamped_customer_id AS link_stamped_id, l.fingerprint AS link_fingerprint, "
			+ "l.subscribed AS link_subscribed, l.source_batch_seq AS link_batch_seq, l.source_idx AS link_idx, "
			+ "l.updated_at AS link_updated_at FROM batch_record r LEFT JOIN customer_link l "
			+ "ON l.subscription_id = CAST(:sub AS VARCHAR(64)) AND l.ipaas_customer_id = r.ipaas_customer_id "
			+ "WHERE " + RecordKeys.afterIndex("r.") + " AND r.outcome IS NULL ORDER BY r.record_key LIMIT :limit";

	private static String prefixed(String prefix, String columns) {
		return Arrays.stream(columns.split(",\\s*")).map((column) -> prefix + column).collect(Collectors.joining(", "));
	}

	private static PendingRecord pendingWithLink(Readable row, String subscriptionId, long readAt) {
		BatchRecord record = record(row);
		if (record.ipaasCustomerId() == null) {
			return PendingRecord.withoutLink(record);
		}
		String stampedId = row.get("link_stamped_id", String.class);
		CustomerLink link = (stampedId != null) ? new CustomerLink(subscriptionId, record.ipaasCustomerId(), stampedId,
				row.get("link_fingerprint", String.class), row.get("link_subscribed", Boolean.class),
				row.get("link_batch_seq", Long.class), row.get("link_idx", Integer.class),
				instant(row, "link_updated_at")) : null;
		return new PendingRecord(record, new PrefetchedLink(subscriptionId, record.ipaasCustomerId(), link, readAt));
	}

	@Override
	public Mono<Long> countPending(String batchId) {
		return this.db.sql("SELECT COUNT(*) FROM batch_record WHERE " + RecordKeys.OF_BATCH + " AND outcome IS NULL")
			.bind("id", batchId)
			.map((row) -> row.get(0, Long.class))
			.one();
	}

	@Override
	public Mono<Map<Outcome, Long>> countOutcomes(String batchId) {
		return this.db
			.sql("SELECT outcome, COUNT(*) AS n FROM batch_record WHERE " + RecordKeys.OF_BATCH
					+ " AND outcome IS NOT NULL GROUP BY outcome")
			.bind("id", batchId)
			.map((row) -> Map.entry(Outcome.fromTag(row.get("outcome", String.class)), row.get("n", Long.class)))
			.all()
			.collect(() -> new EnumMap<>(Outcome.class), (map, entry) -> map.put(entry.getKey(), entry.getValue()));
	}

	// One read of the batch's range of the primary key for both: each count is a read of
	// every row of the batch (there is no index by outcome; intake would write an entry
	// per record into it).
	@Override
	public Mono<RecordCounts> countRecords(String batchId) {
		return this.db
			.sql("SELECT outcome, COUNT(*) AS n FROM batch_record WHERE " + RecordKeys.OF_BATCH + " GROUP BY outcome")
			.bind("id", batchId)
			.map((row) -> new OutcomeGroup(row.get("outcome", String.class), row.get("n", Long.class)))
			.all()
			.collectList()
			.map(R2dbcBatchJournal::counts);
	}

	private static RecordCounts counts(List<OutcomeGroup> groups) {
		long pending = 0;
		Map<Outcome, Long> outcomes = new EnumMap<>(Outcome.class);
		for (OutcomeGroup group : groups) {
			if (group.outcome() == null) {
				pending = group.count();
			}
			else {
				outcomes.put(Outcome.fromTag(group.outcome()), group.count());
			}
		}
		return new RecordCounts(pending, outcomes);
	}

	/** The records of a batch with one outcome ({@code null}: pending). */
	private record OutcomeGroup(String outcome, long count) {
	}

	@Override
	public Flux<BatchRecord> records(String batchId, Outcome outcome, long offset, int limit) {
		return this.db
			.sql("SELECT " + RECORD_COLUMNS + " FROM batch_record WHERE " + RecordKeys.OF_BATCH
					+ " AND outcome IS NOT NULL AND (:outcome = '' OR outcome = :outcome) "
					+ "ORDER BY record_key LIMIT :limit OFFSET :offset")
			.bind("id", batchId)
			.bind("outcome", (outcome != null) ? outcome.tag() : "")
			.bind("limit", limit)
			.bind("offset", offset)
			.map(R2dbcBatchJournal::record)
			.all();
	}

	// Outcomes, their events and the customer links saved since the last group in one
	// transaction: one commit for the group. A record event is its record's row plus its
	// number (event_seq) and the number's entry in record_event, not a row of its own. A
	// link comes first: its record's outcome never commits without it. Each kind of row
	// is
	// one statement for the whole group (ColumnArrays).
	@Override
	public Mono<Void> complete(List<BatchRecord> finished, List<BatchEvent> events) {
		EventsByKind kinds = EventsByKind.of(events);
		// One row per record: a MERGE matches a row once. Should a record come twice,
		// the later outcome wins, as it would written one after the other.
		Map<RecordKey, Numbered> numbered = new LinkedHashMap<>();
		for (BatchRecord record : finished) {
			RecordKey key = new RecordKey(record.batchId(), record.index());
			Long seq = kinds.takeSeq(record);
			Numbered earlier = numbered.get(key);
			numbered.put(key, new Numbered(record, (seq == null && earlier != null) ? earlier.seq() : seq));
		}
		// Taken now, once: a retry of this write writes the same links.
		List<CustomerLink> links = this.unsaved.take();
		// Every number of the group goes into record_event: those written with their
		// outcomes, then those numbering a record's row alone.
		List<RecordEvent> unmatched = kinds.unmatchedRecordEvents();
		List<RecordEvent> recordEvents = new ArrayList<>(numbered.size() + unmatched.size());
		for (Numbered n : numbered.values()) {
			if (n.seq() != null) {
				recordEvents.add(new RecordEvent(n.record().batchId(), n.record().index(), n.seq()));
			}
		}
		recordEvents.addAll(unmatched);
		return this.bulk
			.execute(List.of(UnsavedLinks.rows(links, this.dialect),
					OUTCOMES.rows(OUTCOMES_SQL, List.copyOf(numbered.values()), this.dialect), seqRows(unmatched),
					recordEventRows(recordEvents), eventRows(kinds.logged())))
			.doOnSuccess((done) -> this.unsaved.committed(links))
			// Back with the links waiting: whatever writes next writes them too.
			.doOnError((error) -> this.unsaved.failed(links));
	}

	private static final ColumnArrays<Numbered> OUTCOMES = ColumnArrays.of(
			ColumnArrays.column("VARCHAR(36)", String.class, (n) -> n.record().batchId()),
			ColumnArrays.column("INT", Integer.class, (n) -> n.record().index()),
			ColumnArrays.column("VARCHAR(16)", String.class, (n) -> tag(n.record().outcome())),
			ColumnArrays.column("VARCHAR(64)", String.class, (n) -> n.record().stampedCustomerId()),
			ColumnArrays.column("INT", Integer.class, (n) -> n.record().attempts()),
			ColumnArrays.column("BIGINT", Long.class, (n) -> n.record().durationMs()),
			ColumnArrays.column("VARCHAR(40)", String.class,
					(n) -> (n.record().errorCode() != null) ? n.record().errorCode().name() : null),
			ColumnArrays.column("VARCHAR(2000)", String.class, (n) -> n.record().errorMessage()),
			ColumnArrays.column("INT", Integer.class, (n) -> n.record().httpStatus()),
			ColumnArrays.column("TEXT", String.class, (n) -> n.record().trace()),
			ColumnArrays.column("TIMESTAMP WITH TIME ZONE", OffsetDateTime.class,
					(n) -> atOrNull(n.record().finishedAt())),
			ColumnArrays.column("BIGINT", Long.class, Numbered::seq),
			ColumnArrays.column("INT", Integer.class, (n) -> n.record().ipaasCalls()));

	// No guard on the outcome: a record written again (a retried group) takes the same
	// values, and a record that ran again after a restart takes its newer outcome.
	private static final String OUTCOMES_SQL = "MERGE INTO batch_record t USING ("
			+ RecordKeys
				.keyed(OUTCOMES.unnest(1) + " AS u(batch_id, idx, outcome, stamped_customer_id, attempts, duration_ms, "
						+ "error_code, error_message, http_status, trace, finished_at, event_seq, ipaas_calls)")
			+ ") AS s ON t.record_key = s.record_key WHEN MATCHED THEN UPDATE SET outcome = s.outcome, "
			+ "stamped_customer_id = s.stamped_customer_id, attempts = s.attempts, duration_ms = s.duration_ms, "
			+ "error_code = s.error_code, error_message = s.error_message, http_status = s.http_status, "
			+ "trace = s.trace, finished_at = s.finished_at, event_seq = s.event_seq, ipaas_calls = s.ipaas_calls";

	// A record event whose record is not written with it (rejected at intake: the
	// record was inserted just before) numbers that record's row; its number has an
	// entry in record_event too (recordEventRows).
	private BulkWriter.Rows<?> seqRows(List<RecordEvent> unmatched) {
		return RECORD_EVENTS.rows(SEQS_SQL, unmatched, this.dialect);
	}

	private BulkWriter.Rows<?> recordEventRows(List<RecordEvent> recordEvents) {
		return RECORD_EVENTS.rows(RECORD_EVENTS_SQL, recordEvents, this.dialect);
	}

	private static final ColumnArrays<RecordEvent> RECORD_EVENTS = ColumnArrays.of(
			ColumnArrays.column("VARCHAR(36)", String.class, RecordEvent::batchId),
			ColumnArrays.column("INT", Integer.class, RecordEvent::index),
			ColumnArrays.column("BIGINT", Long.class, RecordEvent::seq));

	// A number already taken (a lost race of two replicas, or a group written again after
	// a commit in doubt) keeps its first record: the insert skips it rather than fail.
	// Numbers stay below 2^32 (a batch holds fewer records, and far fewer status and
	// progress events), so an event's key stays in its batch's range.
	private static final String RECORD_EVENTS_SQL = "MERGE INTO record_event t USING ("
			+ RecordKeys.eventKeyed(RECORD_EVENTS.unnest(1) + " AS u(batch_id, idx, event_seq)") + ") AS s "
			+ "ON t.event_key = s.event_key WHEN NOT MATCHED THEN INSERT (event_key, record_key) "
			+ "VALUES (s.event_key, s.record_key)";

	// The same three columns as record_event's rows, from the same list.
	private static final String SEQS_SQL = "MERGE INTO batch_record t USING ("
			+ RecordKeys.keyed(RECORD_EVENTS.unnest(1) + " AS u(batch_id, idx, event_seq)")
			+ ") AS s ON t.record_key = s.record_key WHEN MATCHED THEN UPDATE SET event_seq = s.event_seq";

	@Override
	public Mono<Long> cancelPending(String batchId, Set<Integer> running) {
		String exclude = running.isEmpty() ? ""
				: " AND idx NOT IN (" + running.stream().map(String::valueOf).collect(Collectors.joining(",")) + ")";
		return this.db
			.sql("UPDATE batch_record SET outcome = 'cancelled', finished_at = :now WHERE " + RecordKeys.OF_BATCH
					+ " AND outcome IS NULL" + exclude)
			.bind("now", at(Instant.now()))
			.bind("id", batchId)
			.fetch()
			.rowsUpdated();
	}

	@Override
	public Mono<Void> appendEvents(List<BatchEvent> events) {
		EventsByKind kinds = EventsByKind.of(events);
		List<RecordEvent> unmatched = kinds.unmatchedRecordEvents();
		return this.bulk.execute(List.of(seqRows(unmatched), recordEventRows(unmatched), eventRows(kinds.logged())));
	}

	private BulkWriter.Rows<?> eventRows(List<BatchEvent> events) {
		return EVENTS.rows(EVENTS_SQL + this.dialect.eventConflict(), events, this.dialect);
	}

	private static final ColumnArrays<BatchEvent> EVENTS = ColumnArrays.of(
			ColumnArrays.column("VARCHAR(36)", String.class, BatchEvent::batchId),
			ColumnArrays.column("BIGINT", Long.class, BatchEvent::seq),
			ColumnArrays.column("VARCHAR(16)", String.class, BatchEvent::type),
			ColumnArrays.column("VARCHAR(1048576)", String.class, BatchEvent::data),
			ColumnArrays.column("TIMESTAMP WITH TIME ZONE", OffsetDateTime.class, (e) -> at(e.createdAt())));

	private static final String EVENTS_SQL = "INSERT INTO batch_event (batch_id, seq, type, data, created_at) "
			+ "SELECT * FROM " + EVENTS.unnest(1);

	// The batch's log: its status and progress events (and the record events of a
	// journal written before records carried their own), merged in order with the
	// record events rebuilt from the rows of its finished records.
	@Override
	public Flux<BatchEvent> events(String batchId, long afterSeq) {
		return events(batchId, afterSeq, Long.MAX_VALUE);
	}

	@Override
	public Flux<BatchEvent> events(String batchId, long afterSeq, long throughSeq) {
		Flux<BatchEvent> logged = this.db
			.sql("SELECT e.batch_id, b.subscription_id, e.seq, e.type, e.data, e.created_at "
					+ "FROM batch_event e JOIN batch b ON b.id = e.batch_id "
					+ "WHERE e.batch_id = :id AND e.seq > :after AND e.seq <= :through ORDER BY e.seq")
			.bind("id", batchId)
			.bind("after", afterSeq)
			.bind("through", throughSeq)
			.map(R2dbcBatchJournal::loggedEvent)
			.all();
		Flux<BatchEvent> records = this.db.sql(RECORD_EVENTS_BETWEEN)
			.bind("id", batchId)
			.bind("after", afterSeq)
			// Numbers stay below 2^32; the bound must not overflow the key.
			.bind("through", Math.min(throughSeq, MAX_SEQ))
			.map(this::recordEvent)
			.all();
		return Flux.mergeComparing(Comparator.comparingLong(BatchEvent::seq), logged, records);
	}

	private static final String NUMBERED_RECORD_COLUMNS = "r.batch_id, r.idx, r.ipaas_customer_id, r.email, "
			+ "r.outcome, r.stamped_customer_id, r.attempts, r.duration_ms, r.error_code, r.error_message, "
			+ "r.http_status, r.finished_at, r.event_seq, r.ipaas_calls, b.subscription_id";

	private static final long MAX_SEQ = 4294967295L;

	// The batch's range of record_event, in key order (the events' order), each with its
	// record through the primary key; an entry whose record carries another number since
	// is not that record's event.
	private static final String RECORD_EVENTS_OF_BATCH = " FROM record_event e JOIN batch_record r "
			+ "ON r.record_key = e.record_key JOIN batch b ON b.id = r.batch_id WHERE r.event_seq = e.event_key - "
			+ RecordKeys.BATCH_BASE + " AND ";

	private static final String RECORD_EVENTS_BETWEEN = "SELECT " + NUMBERED_RECORD_COLUMNS + RECORD_EVENTS_OF_BATCH
			+ "e.event_key > " + RecordKeys.BATCH_BASE + " + :after AND e.event_key <= " + RecordKeys.BATCH_BASE
			+ " + :through ORDER BY e.event_key";

	private static final String LAST_RECORD_EVENT = "SELECT " + NUMBERED_RECORD_COLUMNS + RECORD_EVENTS_OF_BATCH
			+ RecordKeys.ofBatch("e.event_key") + " ORDER BY e.event_key DESC LIMIT 1";

	private BatchEvent recordEvent(Readable row) {
		String code = row.get("error_code", String.class);
		Integer attempts = row.get("attempts", Integer.class);
		Integer ipaasCalls = row.get("ipaas_calls", Integer.class);
		BatchRecord record = new BatchRecord(row.get("batch_id", String.class), row.get("idx", Integer.class),
				row.get("ipaas_customer_id", String.class), row.get("email", String.class), null,
				Outcome.fromTag(row.get("outcome", String.class)), row.get("stamped_customer_id", String.class),
				(attempts != null) ? attempts : 0, (ipaasCalls != null) ? ipaasCalls : 0,
				row.get("duration_ms", Long.class), (code != null) ? ErrorCode.valueOf(code) : null,
				row.get("error_message", String.class), row.get("http_status", Integer.class), null,
				instant(row, "finished_at"));
		long seq = row.get("event_seq", Long.class);
		return new BatchEvent(record.batchId(), row.get("subscription_id", String.class), seq, BatchEvent.RECORD,
				BatchEvent.Json.lazy(() -> this.eventJson.recordData(record.batchId(), seq, record)),
				record.finishedAt(), record);
	}

	private static BatchEvent loggedEvent(Readable row) {
		return new BatchEvent(row.get("batch_id", String.class), row.get("subscription_id", String.class),
				row.get("seq", Long.class), row.get("type", String.class), row.get("data", String.class),
				instant(row, "created_at"));
	}

	@Override
	public Flux<BatchEvent> eventsBetween(String type, Instant from, Instant to) {
		Flux<BatchEvent> logged = this.db
			.sql("SELECT e.batch_id, b.subscription_id, e.seq, e.type, e.data, e.created_at "
					+ "FROM batch_event e JOIN batch b ON b.id = e.batch_id "
					+ "WHERE e.type = :type AND e.created_at >= :from AND e.created_at < :to AND b.dry_run = FALSE")
			.bind("type", type)
			.bind("from", at(from))
			.bind("to", at(to))
			.map(R2dbcBatchJournal::loggedEvent)
			.all();
		if (!BatchEvent.RECORD.equals(type)) {
			return logged;
		}
		return logged
			.concatWith(this.db
				.sql("SELECT " + NUMBERED_RECORD_COLUMNS + " FROM batch_record r JOIN batch b ON b.id = r.batch_id "
						+ "WHERE r.event_seq IS NOT NULL AND r.finished_at >= :from AND r.finished_at < :to "
						+ "AND b.dry_run = FALSE")
				.bind("from", at(from))
				.bind("to", at(to))
				.map(this::recordEvent)
				.all());
	}

	@Override
	public Mono<BatchEvent> lastEvent(String batchId, String type) {
		Mono<BatchEvent> logged = this.db
			.sql("SELECT e.batch_id, b.subscription_id, e.seq, e.type, e.data, e.created_at "
					+ "FROM batch_event e JOIN batch b ON b.id = e.batch_id "
					+ "WHERE e.batch_id = :id AND e.type = :type ORDER BY e.seq DESC LIMIT 1")
			.bind("id", batchId)
			.bind("type", type)
			.map(R2dbcBatchJournal::loggedEvent)
			.one();
		if (!BatchEvent.RECORD.equals(type)) {
			return logged;
		}
		Mono<BatchEvent> numbered = this.db.sql(LAST_RECORD_EVENT).bind("id", batchId).map(this::recordEvent).one();
		return Flux.merge(logged, numbered).reduce((a, b) -> (a.seq() >= b.seq()) ? a : b);
	}

	@Override
	public Mono<Long> lastSeq(String batchId) {
		return this.db
			.sql("SELECT GREATEST((SELECT COALESCE(MAX(seq), 0) FROM batch_event WHERE batch_id = :id), "
					+ "COALESCE((SELECT event_key - " + RecordKeys.BATCH_BASE + " FROM record_event WHERE "
					+ RecordKeys.ofBatch("event_key") + " ORDER BY event_key DESC LIMIT 1), 0))")
			.bind("id", batchId)
			.map((row) -> row.get(0, Long.class))
			.one();
	}

	/** A record paired with the number of its event ({@code null}: none). */
	private record Numbered(BatchRecord record, Long seq) {
	}

	private record RecordKey(String batchId, int index) {
	}

	/** The number {@code seq} of the event of record {@code index} of a batch. */
	private record RecordEvent(String batchId, int index, long seq) {
	}

	/**
	 * Events to store, by where they go: the numbers of record events (kept with their
	 * records) and the rest (rows of {@code batch_event}).
	 */
	private static final class EventsByKind {

		private final Map<String, Map<Integer, BatchEvent>> recordEvents = new HashMap<>();

		private final List<BatchEvent> logged = new ArrayList<>();

		static EventsByKind of(List<BatchEvent> events) {
			EventsByKind kinds = new EventsByKind();
			for (BatchEvent event : events) {
				if (BatchEvent.RECORD.equals(event.type()) && event.record() != null) {
					kinds.recordEvents.computeIfAbsent(event.batchId(), (id) -> new HashMap<>())
						.put(event.record().index(), event);
				}
				else {
					kinds.logged.add(event);
				}
			}
			return kinds;
		}

		/** The number of {@code record}'s event, now accounted for, or {@code null}. */
		Long takeSeq(BatchRecord record) {
			Map<Integer, BatchEvent> ofBatch = this.recordEvents.get(record.batchId());
			BatchEvent event = (ofBatch != null) ? ofBatch.remove(record.index()) : null;
			return (event != null) ? event.seq() : null;
		}

		/**
		 * The numbers of the record events no record took: one per record (a later event
		 * of a record replaced an earlier one in {@link #of}).
		 */
		List<RecordEvent> unmatchedRecordEvents() {
			return this.recordEvents.values()
				.stream()
				.flatMap((byIndex) -> byIndex.values().stream())
				.map((event) -> new RecordEvent(event.batchId(), event.record().index(), event.seq()))
				.toList();
		}

		List<BatchEvent> logged() {
			return this.logged;
		}

	}

	private static Batch batch(Readable row) {
		return new Batch(row.get("id", String.class), row.get("accept_seq", Long.class),
				row.get("subscription_id", String.class), BatchSource.fromTag(row.get("source", String.class)),
				BatchStatus.fromTag(row.get("status", String.class)), row.get("status_reason", String.class),
				row.get("priority", Integer.class), row.get("dry_run", Boolean.class),
				row.get("force_send", Boolean.class), row.get("debug", Boolean.class), row.get("total", Integer.class),
				row.get("idempotency_key", String.class), row.get("body_hash", String.class),
				row.get("retry_of", String.class), instant(row, "created_at"), instant(row, "started_at"),
				instant(row, "finished_at"));
	}

	private static BatchRecord record(Readable row) {
		String outcome = row.get("outcome", String.class);
		String code = row.get("error_code", String.class);
		Integer attempts = row.get("attempts", Integer.class);
		Integer ipaasCalls = row.get("ipaas_calls", Integer.class);
		return new BatchRecord(row.get("batch_id", String.class), row.get("idx", Integer.class),
				row.get("ipaas_customer_id", String.class), row.get("email", String.class),
				row.get("payload", String.class), (outcome != null) ? Outcome.fromTag(outcome) : null,
				row.get("stamped_customer_id", String.class), (attempts != null) ? attempts : 0,
				(ipaasCalls != null) ? ipaasCalls : 0, row.get("duration_ms", Long.class),
				(code != null) ? ErrorCode.valueOf(code) : null, row.get("error_message", String.class),
				row.get("http_status", Integer.class), row.get("trace", String.class), instant(row, "finished_at"));
	}

	static Instant instant(Readable row, String column) {
		OffsetDateTime value = row.get(column, OffsetDateTime.class);
		return (value != null) ? value.toInstant() : null;
	}

	static OffsetDateTime at(Instant instant) {
		return instant.atOffset(ZoneOffset.UTC);
	}

	private static OffsetDateTime atOrNull(Instant instant) {
		return (instant != null) ? at(instant) : null;
	}

	private static String tag(Outcome outcome) {
		return (outcome != null) ? outcome.tag() : null;
	}

}

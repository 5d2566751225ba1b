package io.stampedsync.journal;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;

import io.stampedsync.PeriodicPruner;
import io.stampedsync.PeriodicPruning;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Component;

/**
 * Deletes finished batches older than {@code stamped-sync.journal.retention}, with their
 * records and events, every {@code prune-interval}, off the hot path: one batch at a
 * time, in statements of at most {@code prune-chunk} rows, records and events before the
 * batch row so that an interrupted pruning resumes where it stopped. Customer links are
 * kept: they are the sync state, not history.
 */
@Component
class JournalPruner extends PeriodicPruner {

	private static final Log logger = LogFactory.getLog(JournalPruner.class);

	/** The first pruning waits this long (at most): start-up has more urgent work. */
	private static final Duration FIRST_DELAY = Duration.ofMinutes(2);

	private static final String FINISHED = "('completed', 'completed_with_errors', 'cancelled')";

	private final DatabaseClient db;

	private final Clock clock;

	private final JournalRetentionProperties properties;

	JournalPruner(DatabaseClient db, Clock clock, JournalRetentionProperties properties) {
		super(logger, "the journal", FIRST_DELAY, properties.pruneInterval());
		this.db = db;
		this.clock = clock;
		this.properties = properties;
	}

	/** Prunes what is past the retention now; answers how many batches went. */
	@Override
	protected Mono<Long> prune() {
		Instant before = this.clock.instant().minus(this.properties.retention());
		int most = this.properties.pruneBatches();
		// One round looks up to prune-batches expired batches and deletes them one by
		// one;
		// the next round starts only once this one is done (expand on a Mono).
		Mono<Long> round = Mono
			.defer(() -> expired(before).flatMap((ids) -> Flux.fromIterable(ids).concatMap(this::deleteBatch).count()));
		return round.expand((deleted) -> (deleted < most) ? Mono.empty() : round).reduce(0L, Long::sum);
	}

	private Mono<List<String>> expired(Instant before) {
		return this.db
			.sql("SELECT id FROM batch WHERE status IN " + FINISHED
					+ " AND finished_at < :before ORDER BY finished_at LIMIT :limit")
			.bind("before", before.atOffset(ZoneOffset.UTC))
			.bind("limit", this.properties.pruneBatches())
			.map((row) -> row.get("id", String.class))
			.all()
			.collectList();
	}

	private Mono<String> deleteBatch(String id) {
		return deleteInChunks(RECORDS, id).then(deleteInChunks(RECORD_EVENTS, id))
			.then(deleteInChunks(EVENTS, id))
			.then(this.db.sql("DELETE FROM batch WHERE id = :id").bind("id", id).fetch().rowsUpdated())
			.thenReturn(id);
	}

	// A batch's records are one range of their primary key (RecordKeys); its events, of
	// (batch_id, seq).
	private static final String RECORDS = "DELETE FROM batch_record WHERE record_key IN (SELECT record_key "
			+ "FROM batch_record WHERE " + RecordKeys.OF_BATCH + " ORDER BY record_key LIMIT :chunk)";

	// A batch's record events are one range of their key too (RecordKeys, V11).
	private static final String RECORD_EVENTS = "DELETE FROM record_event WHERE event_key IN (SELECT event_key "
			+ "FROM record_event WHERE " + RecordKeys.ofBatch("event_key") + " ORDER BY event_key LIMIT :chunk)";

	private static final String EVENTS = "DELETE FROM batch_event WHERE batch_id = :id AND seq IN (SELECT seq "
			+ "FROM batch_event WHERE batch_id = :id ORDER BY seq LIMIT :chunk)";

	private Mono<Long> deleteInChunks(String sql, String batchId) {
		int chunk = this.properties.pruneChunk();
		return PeriodicPruning.inChunks(chunk,
				() -> this.db.sql(sql).bind("id", batchId).bind("chunk", chunk).fetch().rowsUpdated());
	}

	@Override
	protected String report(long batches) {
		return "Pruned " + batches + " batches finished more than " + this.properties.retention()
				+ " ago, with their records and events";
	}

}

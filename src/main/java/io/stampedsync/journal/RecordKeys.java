package io.stampedsync.journal;

/**
 * SQL for the key of a {@code batch_record} row (V10): its batch's {@code accept_seq}
 * times 2³² plus its index. On H2, a primary key of one {@code BIGINT} is the key of the
 * table's rows, with no index of its own; a batch's records are one range of it
 * ({@link #OF_BATCH}), in index order. One place for the formula, so the journal's reads
 * and writes and the pruner's deletes cannot disagree on it.
 */
final class RecordKeys {

	/**
	 * The first key of batch {@code :id}'s records, and of its record events
	 * ({@code record_event.event_key}, its {@code accept_seq} times 2³² plus the event's
	 * number, V11).
	 */
	static final String BATCH_BASE = "(SELECT accept_seq * 4294967296 FROM batch WHERE id = :id)";

	/** The last key batch {@code :id}'s records may have. */
	private static final String LAST = "(SELECT accept_seq * 4294967296 + 4294967295 FROM batch WHERE id = :id)";

	/** The records of batch {@code :id}: one range of the primary key. */
	static final String OF_BATCH = ofBatch("record_key");

	/**
	 * Batch {@code :id}'s range of a key made like {@code record_key} (the records' own,
	 * or the record events' {@code event_key}).
	 */
	static String ofBatch(String column) {
		return column + " BETWEEN " + BATCH_BASE + " AND " + LAST;
	}

	private RecordKeys() {
	}

	/**
	 * The key of the record of batch {@code batchId} at {@code index} (two SQL
	 * expressions). The cast: r2dbc-h2 binds a {@code String} as a CLOB, which would not
	 * use the batch's key.
	 */
	static String of(String batchId, String index) {
		return "(SELECT accept_seq * 4294967296 FROM batch WHERE id = CAST(" + batchId + " AS VARCHAR(36))) + " + index;
	}

	/**
	 * The records of batch {@code :id} after index {@code :after}, in one range of the
	 * key (of the table aliased {@code alias}): read in key order, a page stops at its
	 * limit instead of sorting every later record.
	 */
	static String afterIndex(String alias) {
		return alias + "record_key > " + BATCH_BASE + " + :after AND " + alias + "record_key <= " + LAST;
	}

	/**
	 * The rows of {@code unnest} (with columns {@code batch_id} and {@code idx}) with
	 * their records' keys, for a {@code MERGE} to find each record by the primary key.
	 */
	static String keyed(String unnest) {
		return "SELECT b.accept_seq * 4294967296 + u.idx AS record_key, u.* FROM " + unnest
				+ " JOIN batch b ON b.id = u.batch_id";
	}

	/**
	 * The rows of {@code unnest} (with columns {@code batch_id}, {@code idx} and
	 * {@code event_seq}) as the keys of their record events and of their records, for a
	 * {@code MERGE} into {@code record_event}.
	 */
	static String eventKeyed(String unnest) {
		return "SELECT b.accept_seq * 4294967296 + u.event_seq AS event_key, b.accept_seq * 4294967296 + u.idx AS "
				+ "record_key FROM " + unnest + " JOIN batch b ON b.id = u.batch_id";
	}

}

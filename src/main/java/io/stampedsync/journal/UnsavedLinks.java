package io.stampedsync.journal;

import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import io.stampedsync.transfer.CustomerLink;

import org.springframework.stereotype.Component;

/**
 * Customer links saved and not yet committed. A link is written in the transaction of the
 * next group of outcomes ({@link R2dbcBatchJournal#complete}), so a record's link and its
 * outcome commit together (one commit per group instead of one for links and one for
 * outcomes) and a transfer ends without waiting for a commit of its own. Until its group
 * commits, a link is answered from here: the dispatcher starts a customer's next record
 * right after the previous one ended, and its look-up must see the link that one saved.
 * <p>
 * A crash before the commit loses the link with the outcome: the record is still pending,
 * so it runs again (Stamped.io de-duplicates a create by email), as it would had the
 * gateway stopped during its call.
 * <p>
 * Each commit is counted in {@link #changes()} before its links stop being held, so that
 * a link read ahead with a page of records can be told current or stale
 * ({@link LinkChanges}).
 */
@Component
final class UnsavedLinks {

	/** Links saved, not yet in a group being written. */
	private final Map<LinkKey, CustomerLink> waiting = new ConcurrentHashMap<>();

	/** Links in a group being written, until it commits. */
	private final Map<LinkKey, CustomerLink> writing = new ConcurrentHashMap<>();

	private final LinkChanges changes = new LinkChanges();

	/** Holds {@code link} until a group takes it; a later save of the same link wins. */
	void add(CustomerLink link) {
		this.waiting.put(LinkKey.of(link), link);
	}

	/** The newest link saved and not yet committed, or {@code null}. */
	CustomerLink find(String subscriptionId, String ipaasCustomerId) {
		LinkKey key = new LinkKey(subscriptionId, ipaasCustomerId);
		CustomerLink link = this.waiting.get(key);
		return (link != null) ? link : this.writing.get(key);
	}

	/**
	 * Takes every waiting link into a group; each stays visible to {@link #find} until
	 * {@link #committed} or {@link #failed}.
	 */
	List<CustomerLink> take() {
		if (this.waiting.isEmpty()) {
			return List.of();
		}
		List<CustomerLink> taken = new ArrayList<>();
		for (Map.Entry<LinkKey, CustomerLink> entry : this.waiting.entrySet()) {
			// Marked as being written before it leaves the waiting ones: a look-up in
			// between finds it in one or the other.
			this.writing.put(entry.getKey(), entry.getValue());
			if (this.waiting.remove(entry.getKey(), entry.getValue())) {
				taken.add(entry.getValue());
			}
		}
		return taken;
	}

	/**
	 * The group holding {@code links} committed: the journal answers for them now. Each
	 * is counted as changed before it stops being held.
	 */
	void committed(List<CustomerLink> links) {
		for (CustomerLink link : links) {
			LinkKey key = LinkKey.of(link);
			this.changes.changed(key);
			this.writing.remove(key, link);
		}
	}

	/** The count of the links committed, for read-ahead pages to check theirs against. */
	LinkChanges changes() {
		return this.changes;
	}

	/**
	 * The group holding {@code links} did not commit: they wait for the next group,
	 * unless a newer save of the same link already does.
	 */
	void failed(List<CustomerLink> links) {
		for (CustomerLink link : links) {
			LinkKey key = LinkKey.of(link);
			this.waiting.putIfAbsent(key, link);
			this.writing.remove(key, link);
		}
	}

	/** Links not yet committed (for tests and a last write at stop). */
	boolean isEmpty() {
		return this.waiting.isEmpty() && this.writing.isEmpty();
	}

	/**
	 * The statement that writes {@code links} in the caller's transaction: one
	 * {@link ColumnArrays} MERGE for all of them (standard SQL MERGE: H2 and PostgreSQL
	 * 15+). A MERGE matches a row once: of two saves of one link, the later is written.
	 */
	static BulkWriter.Rows<?> rows(List<CustomerLink> links, SqlDialect dialect) {
		Map<LinkKey, CustomerLink> latest = new LinkedHashMap<>();
		for (CustomerLink link : links) {
			latest.put(LinkKey.of(link), link);
		}
		return COLUMNS.rows(MERGE, List.copyOf(latest.values()), dialect);
	}

	private static final ColumnArrays<CustomerLink> COLUMNS = ColumnArrays.of(
			ColumnArrays.column("VARCHAR(64)", String.class, CustomerLink::subscriptionId),
			ColumnArrays.column("VARCHAR(64)", String.class, CustomerLink::ipaasCustomerId),
			ColumnArrays.column("VARCHAR(64)", String.class, CustomerLink::stampedCustomerId),
			ColumnArrays.column("VARCHAR(64)", String.class, CustomerLink::fingerprint),
			ColumnArrays.column("BOOLEAN", Boolean.class, CustomerLink::subscribed),
			ColumnArrays.column("BIGINT", Long.class, CustomerLink::sourceBatchSeq),
			ColumnArrays.column("INT", Integer.class, CustomerLink::sourceIndex),
			ColumnArrays.column("TIMESTAMP WITH TIME ZONE", OffsetDateTime.class,
					(link) -> R2dbcBatchJournal.at(link.updatedAt())));

	private static final String MERGE = "MERGE INTO customer_link t USING (SELECT * FROM " + COLUMNS.unnest(1)
			+ ") AS s(sub, ipaas, stamped, fp, subscribed, seq, idx, at) "
			+ "ON t.subscription_id = s.sub AND t.ipaas_customer_id = s.ipaas "
			+ "WHEN MATCHED THEN UPDATE SET stamped_customer_id = s.stamped, fingerprint = s.fp, "
			+ "subscribed = s.subscribed, source_batch_seq = s.seq, source_idx = s.idx, updated_at = s.at "
			+ "WHEN NOT MATCHED THEN INSERT (subscription_id, ipaas_customer_id, stamped_customer_id, fingerprint, "
			+ "subscribed, source_batch_seq, source_idx, updated_at) "
			+ "VALUES (s.sub, s.ipaas, s.stamped, s.fp, s.subscribed, s.seq, s.idx, s.at)";

}

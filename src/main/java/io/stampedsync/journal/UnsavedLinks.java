package io.stampedsync.journal;

import java.time.OffsetDateTime;
import java.util.ArrayList;
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
 */
@Component
final class UnsavedLinks {

	/** Links saved, not yet in a group being written. */
	private final Map<Key, CustomerLink> waiting = new ConcurrentHashMap<>();

	/** Links in a group being written, until it commits. */
	private final Map<Key, CustomerLink> writing = new ConcurrentHashMap<>();

	/** Holds {@code link} until a group takes it; a later save of the same link wins. */
	void add(CustomerLink link) {
		this.waiting.put(Key.of(link), link);
	}

	/** The newest link saved and not yet committed, or {@code null}. */
	CustomerLink find(String subscriptionId, String ipaasCustomerId) {
		Key key = new Key(subscriptionId, ipaasCustomerId);
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
		for (Map.Entry<Key, CustomerLink> entry : this.waiting.entrySet()) {
			// Marked as being written before it leaves the waiting ones: a look-up in
			// between finds it in one or the other.
			this.writing.put(entry.getKey(), entry.getValue());
			if (this.waiting.remove(entry.getKey(), entry.getValue())) {
				taken.add(entry.getValue());
			}
		}
		return taken;
	}

	/** The group holding {@code links} committed: the journal answers for them now. */
	void committed(List<CustomerLink> links) {
		for (CustomerLink link : links) {
			this.writing.remove(Key.of(link), link);
		}
	}

	/**
	 * The group holding {@code links} did not commit: they wait for the next group,
	 * unless a newer save of the same link already does.
	 */
	void failed(List<CustomerLink> links) {
		for (CustomerLink link : links) {
			Key key = Key.of(link);
			this.waiting.putIfAbsent(key, link);
			this.writing.remove(key, link);
		}
	}

	/** Links not yet committed (for tests and a last write at stop). */
	boolean isEmpty() {
		return this.waiting.isEmpty() && this.writing.isEmpty();
	}

	/**
	 * The rows that write {@code links}: one statement text whatever their number, run
	 * once per link in the caller's transaction (a later save of a link in the same group
	 * runs later and wins). Standard SQL MERGE: H2 and PostgreSQL 15+. The casts matter:
	 * r2dbc-h2 binds every String as a CLOB.
	 */
	static BulkWriter.Rows<CustomerLink> rows(List<CustomerLink> links) {
		return new BulkWriter.Rows<>(MERGE, links,
				(link) -> new Object[] { link.subscriptionId(), link.ipaasCustomerId(), link.stampedCustomerId(),
						link.fingerprint(), link.subscribed(), link.sourceBatchSeq(), link.sourceIndex(),
						R2dbcBatchJournal.at(link.updatedAt()) },
				TYPES);
	}

	private static final String MERGE = "MERGE INTO customer_link t USING (VALUES (CAST($1 AS VARCHAR(64)), "
			+ "CAST($2 AS VARCHAR(64)), CAST($3 AS VARCHAR(64)), CAST($4 AS VARCHAR(64)), CAST($5 AS BOOLEAN), "
			+ "CAST($6 AS BIGINT), CAST($7 AS INT), CAST($8 AS TIMESTAMP WITH TIME ZONE))) "
			+ "AS s(sub, ipaas, stamped, fp, subscribed, seq, idx, at) "
			+ "ON t.subscription_id = s.sub AND t.ipaas_customer_id = s.ipaas "
			+ "WHEN MATCHED THEN UPDATE SET stamped_customer_id = s.stamped, fingerprint = s.fp, "
			+ "subscribed = s.subscribed, source_batch_seq = s.seq, source_idx = s.idx, updated_at = s.at "
			+ "WHEN NOT MATCHED THEN INSERT (subscription_id, ipaas_customer_id, stamped_customer_id, fingerprint, "
			+ "subscribed, source_batch_seq, source_idx, updated_at) "
			+ "VALUES (s.sub, s.ipaas, s.stamped, s.fp, s.subscribed, s.seq, s.idx, s.at)";

	private static final Class<?>[] TYPES = { String.class, String.class, String.class, String.class, Boolean.class,
			Long.class, Integer.class, OffsetDateTime.class };

	private record Key(String subscriptionId, String ipaasCustomerId) {

		static Key of(CustomerLink link) {
			return new Key(link.subscriptionId(), link.ipaasCustomerId());
		}

	}

}

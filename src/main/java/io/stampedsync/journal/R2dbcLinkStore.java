package io.stampedsync.journal;

import io.stampedsync.transfer.CustomerLink;
import io.stampedsync.transfer.LinkStore;
import reactor.core.publisher.Mono;

import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.r2dbc.core.Parameter;
import org.springframework.stereotype.Repository;

/**
 * {@link LinkStore} on R2DBC. Standard SQL MERGE works on H2 and PostgreSQL 15+ alike.
 */
@Repository
class R2dbcLinkStore implements LinkStore {

	private final DatabaseClient db;

	R2dbcLinkStore(DatabaseClient db) {
		this.db = db;
	}

	@Override
	public Mono<CustomerLink> find(String subscriptionId, String ipaasCustomerId) {
		return this.db
			.sql("SELECT subscription_id, ipaas_customer_id, stamped_customer_id, fingerprint, subscribed, "
					+ "source_batch_seq, source_idx, updated_at FROM customer_link "
					+ "WHERE subscription_id = :sub AND ipaas_customer_id = :ipaas")
			.bind("sub", subscriptionId)
			.bind("ipaas", ipaasCustomerId)
			.map((row) -> new CustomerLink(row.get("subscription_id", String.class),
					row.get("ipaas_customer_id", String.class), row.get("stamped_customer_id", String.class),
					row.get("fingerprint", String.class), row.get("subscribed", Boolean.class),
					row.get("source_batch_seq", Long.class), row.get("source_idx", Integer.class),
					R2dbcBatchJournal.instant(row, "updated_at")))
			.one();
	}

	@Override
	public Mono<Void> save(CustomerLink link) {
		return this.db
			.sql("MERGE INTO customer_link t USING (VALUES (:sub, :ipaas)) AS s(sub, ipaas) "
					+ "ON t.subscription_id = s.sub AND t.ipaas_customer_id = s.ipaas "
					+ "WHEN MATCHED THEN UPDATE SET stamped_customer_id = :stamped, fingerprint = :fp, "
					+ "subscribed = :subscribed, source_batch_seq = :seq, source_idx = :idx, updated_at = :at "
					+ "WHEN NOT MATCHED THEN INSERT (subscription_id, ipaas_customer_id, stamped_customer_id, "
					+ "fingerprint, subscribed, source_batch_seq, source_idx, updated_at) "
					+ "VALUES (:sub, :ipaas, :stamped, :fp, :subscribed, :seq, :idx, :at)")
			.bind("sub", link.subscriptionId())
			.bind("ipaas", link.ipaasCustomerId())
			.bind("stamped", link.stampedCustomerId())
			.bind("fp", Parameter.fromOrEmpty(link.fingerprint(), String.class))
			.bind("subscribed", Parameter.fromOrEmpty(link.subscribed(), Boolean.class))
			.bind("seq", link.sourceBatchSeq())
			.bind("idx", link.sourceIndex())
			.bind("at", R2dbcBatchJournal.at(link.updatedAt()))
			.then();
	}

}

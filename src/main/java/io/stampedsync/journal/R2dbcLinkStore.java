package io.stampedsync.journal;

import io.stampedsync.batch.Fence;
import io.stampedsync.batch.FencedException;
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
		return Mono.deferContextual((context) -> {
			Fence fence = Fence.from(context, link.subscriptionId());
			if (!fence.isChecked()) {
				return bind(this.db.sql(MERGE), link).then();
			}
			// Distributed mode (PostgreSQL only): the row to write exists only while the
			// lease carries the dispatcher's token, locked FOR SHARE against a change of
			// hands, so a replica that lost the subscription cannot overwrite the new
			// owner's link. An upsert rather than MERGE: the driver counts its rows.
			return bind(this.db.sql(FENCED_UPSERT), link).bind("token", fence.token())
				.fetch()
				.rowsUpdated()
				.flatMap((rows) -> (rows > 0) ? Mono.empty() : Mono.error(new FencedException(fence)));
		});
	}

	private static final String MERGE = "MERGE INTO customer_link t USING (VALUES (:sub, :ipaas)) AS s(sub, ipaas) "
			+ "ON t.subscription_id = s.sub AND t.ipaas_customer_id = s.ipaas "
			+ "WHEN MATCHED THEN UPDATE SET stamped_customer_id = :stamped, fingerprint = :fp, "
			+ "subscribed = :subscribed, source_batch_seq = :seq, source_idx = :idx, updated_at = :at "
			+ "WHEN NOT MATCHED THEN INSERT (subscription_id, ipaas_customer_id, stamped_customer_id, "
			+ "fingerprint, subscribed, source_batch_seq, source_idx, updated_at) "
			+ "VALUES (:sub, :ipaas, :stamped, :fp, :subscribed, :seq, :idx, :at)";

	private static final String FENCED_UPSERT = "INSERT INTO customer_link (subscription_id, ipaas_customer_id, "
			+ "stamped_customer_id, fingerprint, subscribed, source_batch_seq, source_idx, updated_at) "
			+ "SELECT :sub, :ipaas, :stamped, :fp, :subscribed, :seq, :idx, :at FROM subscription_lease "
			+ "WHERE subscription_id = :sub AND fencing_token = :token FOR SHARE "
			+ "ON CONFLICT (subscription_id, ipaas_customer_id) DO UPDATE SET "
			+ "stamped_customer_id = EXCLUDED.stamped_customer_id, fingerprint = EXCLUDED.fingerprint, "
			+ "subscribed = EXCLUDED.subscribed, source_batch_seq = EXCLUDED.source_batch_seq, "
			+ "source_idx = EXCLUDED.source_idx, updated_at = EXCLUDED.updated_at";

	private static DatabaseClient.GenericExecuteSpec bind(DatabaseClient.GenericExecuteSpec spec, CustomerLink link) {
		return spec.bind("sub", link.subscriptionId())
			.bind("ipaas", link.ipaasCustomerId())
			.bind("stamped", link.stampedCustomerId())
			.bind("fp", Parameter.fromOrEmpty(link.fingerprint(), String.class))
			.bind("subscribed", Parameter.fromOrEmpty(link.subscribed(), Boolean.class))
			.bind("seq", link.sourceBatchSeq())
			.bind("idx", link.sourceIndex())
			.bind("at", R2dbcBatchJournal.at(link.updatedAt()));
	}

}

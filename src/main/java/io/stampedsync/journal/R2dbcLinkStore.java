package io.stampedsync.journal;

import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.r2dbc.spi.Readable;
import io.r2dbc.spi.Statement;
import io.stampedsync.batch.Fence;
import io.stampedsync.batch.FencedException;
import io.stampedsync.batch.GroupCommit;
import io.stampedsync.transfer.CustomerLink;
import io.stampedsync.transfer.LinkStore;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.MonoSink;

import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.r2dbc.core.Parameter;
import org.springframework.stereotype.Repository;

/**
 * {@link LinkStore} on R2DBC. Every transfer looks its link up and saves it; one
 * statement each made the SQL engine the gateway's main cost. Look-ups and saves
 * therefore go out in groups (group commit: while one group is in flight the next one
 * gathers), one {@code SELECT … IN (…)} and one multi-row {@code MERGE} per group. A save
 * completes only once its group is committed, and the dispatcher starts a customer's next
 * record only after its previous transfer (save included) has ended, so a look-up always
 * sees the save before it. Standard SQL MERGE works on H2 and PostgreSQL 15+ alike.
 */
@Repository
class R2dbcLinkStore implements LinkStore {

	private static final Log logger = LogFactory.getLog(R2dbcLinkStore.class);

	/** Most look-ups or saves in one statement (8 parameters a save). */
	static final int GROUP_SIZE = 256;

	private static final String COLUMNS = "subscription_id, ipaas_customer_id, stamped_customer_id, fingerprint, "
			+ "subscribed, source_batch_seq, source_idx, updated_at";

	private static final String[] SAVE_CASTS = { "VARCHAR(64)", "VARCHAR(64)", "VARCHAR(64)", "VARCHAR(64)", "BOOLEAN",
			"BIGINT", "INT", "TIMESTAMP WITH TIME ZONE" };

	private static final Class<?>[] SAVE_TYPES = { String.class, String.class, String.class, String.class,
			Boolean.class, Long.class, Integer.class, OffsetDateTime.class };

	private final DatabaseClient db;

	private final GroupCommit<Lookup> lookups;

	private final GroupCommit<CustomerLink> saves;

	R2dbcLinkStore(DatabaseClient db) {
		this.db = db;
		this.lookups = new GroupCommit<>(GROUP_SIZE, this::findAll,
				(error) -> logger.warn("Link look-ups failed: " + error));
		this.saves = new GroupCommit<>(GROUP_SIZE, this::saveAll,
				(error) -> logger.warn("Link saves failed: " + error));
	}

	@Override
	public Mono<CustomerLink> find(String subscriptionId, String ipaasCustomerId) {
		return Mono.create((sink) -> this.lookups.submit(new Lookup(new Key(subscriptionId, ipaasCustomerId), sink)));
	}

	@Override
	public Mono<Void> save(CustomerLink link) {
		return Mono.deferContextual((context) -> {
			Fence fence = Fence.from(context, link.subscriptionId());
			if (!fence.isChecked()) {
				return this.saves.write(link);
			}
			// Distributed mode (PostgreSQL only): the row to write exists only while the
			// lease carries the dispatcher's token, locked FOR SHARE against a change of
			// hands, so a replica that lost the subscription cannot overwrite the new
			// owner's link. One statement per link (an upsert rather than MERGE: the
			// driver counts its rows).
			return fencedUpsert(link, fence).fetch()
				.rowsUpdated()
				.flatMap((rows) -> (rows > 0) ? Mono.<Void>empty() : Mono.error(new FencedException(fence)));
		});
	}

	private static final String FENCED_UPSERT = "INSERT INTO customer_link (subscription_id, ipaas_customer_id, "
			+ "stamped_customer_id, fingerprint, subscribed, source_batch_seq, source_idx, updated_at) "
			+ "SELECT :sub, :ipaas, :stamped, :fp, :subscribed, :seq, :idx, :at FROM subscription_lease "
			+ "WHERE subscription_id = :sub AND fencing_token = :token FOR SHARE "
			+ "ON CONFLICT (subscription_id, ipaas_customer_id) DO UPDATE SET "
			+ "stamped_customer_id = EXCLUDED.stamped_customer_id, fingerprint = EXCLUDED.fingerprint, "
			+ "subscribed = EXCLUDED.subscribed, source_batch_seq = EXCLUDED.source_batch_seq, "
			+ "source_idx = EXCLUDED.source_idx, updated_at = EXCLUDED.updated_at";

	private DatabaseClient.GenericExecuteSpec fencedUpsert(CustomerLink link, Fence fence) {
		return this.db.sql(FENCED_UPSERT)
			.bind("sub", link.subscriptionId())
			.bind("ipaas", link.ipaasCustomerId())
			.bind("stamped", link.stampedCustomerId())
			.bind("fp", Parameter.fromOrEmpty(link.fingerprint(), String.class))
			.bind("subscribed", Parameter.fromOrEmpty(link.subscribed(), Boolean.class))
			.bind("seq", link.sourceBatchSeq())
			.bind("idx", link.sourceIndex())
			.bind("at", R2dbcBatchJournal.at(link.updatedAt()))
			.bind("token", fence.token());
	}

	// One SELECT per subscription in the group (nearly always one).
	private Mono<Void> findAll(List<Lookup> group) {
		Map<String, Set<String>> idsBySubscription = new LinkedHashMap<>();
		for (Lookup lookup : group) {
			idsBySubscription.computeIfAbsent(lookup.key().subscriptionId(), (sub) -> new LinkedHashSet<>())
				.add(lookup.key().ipaasCustomerId());
		}
		return Flux.fromIterable(idsBySubscription.entrySet())
			.concatMap((entry) -> select(entry.getKey(), List.copyOf(entry.getValue())))
			.collectMap((link) -> new Key(link.subscriptionId(), link.ipaasCustomerId()))
			.doOnNext((found) -> group.forEach((lookup) -> {
				CustomerLink link = found.get(lookup.key());
				if (link != null) {
					lookup.sink().success(link);
				}
				else {
					lookup.sink().success();
				}
			}))
			.doOnError((error) -> group.forEach((lookup) -> lookup.sink().error(error)))
			.onErrorResume((error) -> Mono.empty())
			.then();
	}

	private Flux<CustomerLink> select(String subscriptionId, List<String> ipaasIds) {
		// A row-value IN is what H2 looks up key by key in the primary key (with
		// "subscription_id = ? AND ipaas_customer_id IN (…)" it scans the subscription's
		// links). The casts matter too: r2dbc-h2 binds every String as a CLOB.
		String subscription = "CAST($1 AS VARCHAR(64))";
		StringBuilder sql = new StringBuilder("SELECT ").append(COLUMNS)
			.append(" FROM customer_link WHERE (subscription_id, ipaas_customer_id) IN (");
		for (int i = 0; i < ipaasIds.size(); i++) {
			sql.append((i > 0) ? ", (" : "(")
				.append(subscription)
				.append(", CAST($")
				.append(i + 2)
				.append(" AS VARCHAR(64)))");
		}
		sql.append(')');
		return this.db.inConnectionMany((connection) -> {
			Statement statement = connection.createStatement(sql.toString());
			statement.bind(0, subscriptionId);
			for (int i = 0; i < ipaasIds.size(); i++) {
				statement.bind(i + 1, ipaasIds.get(i));
			}
			return Flux.from(statement.execute()).flatMap((result) -> result.map(R2dbcLinkStore::link));
		});
	}

	// One MERGE for the group. A statement may not touch a row twice, so of two saves of
	// one link in a group the later wins, as it would one after the other.
	private Mono<Void> saveAll(List<CustomerLink> group) {
		Map<Key, CustomerLink> latest = new HashMap<>();
		for (CustomerLink link : group) {
			latest.put(new Key(link.subscriptionId(), link.ipaasCustomerId()), link);
		}
		List<CustomerLink> links = new ArrayList<>(latest.values());
		StringBuilder sql = new StringBuilder("MERGE INTO customer_link t USING (VALUES ");
		int parameter = 1;
		for (int row = 0; row < links.size(); row++) {
			sql.append((row > 0) ? ", (" : "(");
			for (int column = 0; column < SAVE_CASTS.length; column++) {
				sql.append((column > 0) ? ", " : "")
					.append("CAST($")
					.append(parameter++)
					.append(" AS ")
					.append(SAVE_CASTS[column])
					.append(')');
			}
			sql.append(')');
		}
		sql.append(") AS s(sub, ipaas, stamped, fp, subscribed, seq, idx, at) ")
			.append("ON t.subscription_id = s.sub AND t.ipaas_customer_id = s.ipaas ")
			.append("WHEN MATCHED THEN UPDATE SET stamped_customer_id = s.stamped, fingerprint = s.fp, ")
			.append("subscribed = s.subscribed, source_batch_seq = s.seq, source_idx = s.idx, updated_at = s.at ")
			.append("WHEN NOT MATCHED THEN INSERT (")
			.append(COLUMNS)
			.append(") VALUES (s.sub, s.ipaas, s.stamped, s.fp, s.subscribed, s.seq, s.idx, s.at)");
		return this.db.inConnectionMany((connection) -> {
			Statement statement = connection.createStatement(sql.toString());
			int index = 0;
			for (CustomerLink link : links) {
				Object[] values = { link.subscriptionId(), link.ipaasCustomerId(), link.stampedCustomerId(),
						link.fingerprint(), link.subscribed(), link.sourceBatchSeq(), link.sourceIndex(),
						R2dbcBatchJournal.at(link.updatedAt()) };
				for (int column = 0; column < values.length; column++, index++) {
					if (values[column] == null) {
						statement.bindNull(index, SAVE_TYPES[column]);
					}
					else {
						statement.bind(index, values[column]);
					}
				}
			}
			return Flux.from(statement.execute()).flatMap((result) -> result.getRowsUpdated());
		}).then();
	}

	private static CustomerLink link(Readable row) {
		return new CustomerLink(row.get("subscription_id", String.class), row.get("ipaas_customer_id", String.class),
				row.get("stamped_customer_id", String.class), row.get("fingerprint", String.class),
				row.get("subscribed", Boolean.class), row.get("source_batch_seq", Long.class),
				row.get("source_idx", Integer.class), R2dbcBatchJournal.instant(row, "updated_at"));
	}

	private record Key(String subscriptionId, String ipaasCustomerId) {
	}

	private record Lookup(Key key, MonoSink<CustomerLink> sink) {
	}

}

package io.stampedsync.journal;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.LongAdder;

import io.r2dbc.spi.Readable;
import io.r2dbc.spi.Statement;
import io.stampedsync.batch.Fence;
import io.stampedsync.batch.FencedException;
import io.stampedsync.batch.GroupCommit;
import io.stampedsync.transfer.CustomerLink;
import io.stampedsync.transfer.LinkStore;
import io.stampedsync.transfer.PrefetchedLink;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.MonoSink;

import org.springframework.context.SmartLifecycle;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.r2dbc.core.Parameter;
import org.springframework.stereotype.Component;

/**
 * {@link LinkStore} on R2DBC. Every transfer looks its link up and saves it; one
 * statement each made the SQL engine the gateway's main cost. A record read ahead by the
 * dispatcher brings its link with its page (one join in the page's statement), and the
 * transfer uses it when it is provably the latest
 * ({@link #find(String, String, PrefetchedLink)}); other look-ups go out in groups (group
 * commit: while one group is in flight the next one gathers), one {@code SELECT … IN (…)}
 * per group. A save is held in {@link UnsavedLinks} and committed with the next group of
 * outcomes, in its transaction; until then a look-up is answered from there. The
 * dispatcher starts a customer's next record only after its previous transfer (save
 * included) has ended, so a look-up always sees the save before it.
 * <p>
 * A plain component rather than a {@code @Repository}: its exceptions come through
 * {@link DatabaseClient}, translated already, and the translating proxy cost every call.
 */
@Component
class R2dbcLinkStore implements LinkStore, SmartLifecycle {

	private static final Log logger = LogFactory.getLog(R2dbcLinkStore.class);

	/** Most look-ups in one statement. */
	static final int GROUP_SIZE = 256;

	private static final String COLUMNS = "subscription_id, ipaas_customer_id, stamped_customer_id, fingerprint, "
			+ "subscribed, source_batch_seq, source_idx, updated_at";

	private final DatabaseClient db;

	private final UnsavedLinks unsaved;

	private final BulkWriter bulk;

	private final SqlDialect dialect;

	private final GroupCommit<Lookup> lookups;

	private final LongAdder prefetchedUsed = new LongAdder();

	private final LongAdder lookedUp = new LongAdder();

	private volatile boolean running;

	R2dbcLinkStore(DatabaseClient db, UnsavedLinks unsaved) {
		this.db = db;
		this.unsaved = unsaved;
		this.bulk = new BulkWriter(db);
		this.dialect = SqlDialect.of(db);
		this.lookups = new GroupCommit<>(GROUP_SIZE, this::findAll,
				(error) -> logger.warn("Link look-ups failed: " + error));
	}

	@Override
	public Mono<CustomerLink> find(String subscriptionId, String ipaasCustomerId) {
		return find(subscriptionId, ipaasCustomerId, null);
	}

	/**
	 * Answers with the link read ahead with the record's page when it is provably the
	 * latest: no save of it is held (checked first: a held save is newer than the
	 * journal, and is answered), and no commit of it was counted after the page's read
	 * began ({@link LinkChanges}: every save is held until its commit is counted, so a
	 * save the page's statement missed is one or the other). In that order: a link that
	 * stops being held between the two checks has been counted by then. Otherwise (and
	 * without a prefetched link) the link is looked up with the others.
	 * <p>
	 * In distributed mode a save is written at once, fenced, rather than held: it is
	 * counted once its statement ended, whatever the end, and the record's transfer (the
	 * only one of its customer out) ends after that. Only the lease owner writes a
	 * subscription's links, and a new owner starts with a new dispatcher and new pages.
	 */
	@Override
	public Mono<CustomerLink> find(String subscriptionId, String ipaasCustomerId, PrefetchedLink prefetched) {
		return Mono.defer(() -> {
			CustomerLink held = this.unsaved.find(subscriptionId, ipaasCustomerId);
			if (held != null) {
				return Mono.just(held);
			}
			LinkKey key = new LinkKey(subscriptionId, ipaasCustomerId);
			if (prefetched != null && prefetched.isFor(subscriptionId, ipaasCustomerId)
					&& this.unsaved.changes().unchangedSince(key, prefetched.readAt())) {
				this.prefetchedUsed.increment();
				return Mono.justOrEmpty(prefetched.link());
			}
			return lookUp(key);
		});
	}

	private Mono<CustomerLink> lookUp(LinkKey key) {
		this.lookedUp.increment();
		return Mono.create((sink) -> this.lookups.submit(new Lookup(key, sink)));
	}

	@Override
	public Mono<Void> save(CustomerLink link) {
		return Mono.deferContextual((context) -> {
			Fence fence = Fence.from(context, link.subscriptionId());
			if (!fence.isChecked()) {
				this.unsaved.add(link);
				return Mono.empty();
			}
			// Distributed mode (PostgreSQL only): the row to write exists only while the
			// lease carries the dispatcher's token, locked FOR SHARE against a change of
			// hands, so a replica that lost the subscription cannot overwrite the new
			// owner's link. One statement per link (an upsert rather than MERGE: the
			// driver counts its rows).
			LinkKey key = LinkKey.of(link);
			return fencedUpsert(link, fence).fetch()
				.rowsUpdated()
				// Counted before the transfer goes on (so before the customer's next
				// record can look it up), and after any end of the statement, even one
				// whose commit is in doubt: at worst a page's link is looked up again.
				.doOnTerminate(() -> this.unsaved.changes().changed(key))
				.doOnCancel(() -> this.unsaved.changes().changed(key))
				.flatMap((rows) -> (rows > 0) ? Mono.<Void>empty() : Mono.error(new FencedException(fence)));
		});
	}

	/**
	 * Writes the links saved and not yet committed, in a transaction of their own: at
	 * stop, for a link whose record got no outcome to carry it (and in tests).
	 */
	Mono<Void> writeUnsaved() {
		return Mono.defer(() -> {
			List<CustomerLink> taken = this.unsaved.take();
			return this.bulk.execute(List.of(UnsavedLinks.rows(taken, this.dialect)))
				.doOnSuccess((done) -> this.unsaved.committed(taken))
				.doOnError((error) -> this.unsaved.failed(taken));
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

	/** Look-ups answered with the link read ahead with the record (for tests). */
	long prefetchedUsed() {
		return this.prefetchedUsed.sum();
	}

	/** Look-ups that went to the journal (for tests). */
	long lookedUp() {
		return this.lookedUp.sum();
	}

	/** The links held until their commit (for tests). */
	UnsavedLinks unsaved() {
		return this.unsaved;
	}

	@Override
	public void start() {
		this.running = true;
	}

	@Override
	public void stop() {
		if (this.running) {
			this.running = false;
			if (!this.unsaved.isEmpty()) {
				try {
					writeUnsaved().block(Duration.ofSeconds(10));
				}
				catch (RuntimeException ex) {
					// Their records have no outcome yet: they run again at the next
					// start.
					logger.warn("Customer links not written at stop: " + ex);
				}
			}
		}
	}

	@Override
	public boolean isRunning() {
		return this.running;
	}

	@Override
	public int getPhase() {
		// Stops after the dispatchers (DispatcherManager's phase) have handed their last
		// outcomes to the journal, before the journal's connections close.
		return SmartLifecycle.DEFAULT_PHASE - 4096;
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
			.collectMap(LinkKey::of)
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
		// The list is padded to a power of two (repeating the last id): a handful of SQL
		// texts, each parsed and planned once, rather than one per group size.
		String subscription = "CAST($1 AS VARCHAR(64))";
		int rows = paddedSize(ipaasIds.size());
		StringBuilder sql = new StringBuilder("SELECT ").append(COLUMNS)
			.append(" FROM customer_link WHERE (subscription_id, ipaas_customer_id) IN (");
		for (int i = 0; i < rows; i++) {
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
			for (int i = 0; i < rows; i++) {
				statement.bind(i + 1, ipaasIds.get(Math.min(i, ipaasIds.size() - 1)));
			}
			return Flux.from(statement.execute()).flatMap((result) -> result.map(R2dbcLinkStore::link));
		});
	}

	/** The least power of two at or above {@code size}. */
	static int paddedSize(int size) {
		return (size <= 1) ? 1 : Integer.highestOneBit(size - 1) << 1;
	}

	private static CustomerLink link(Readable row) {
		return new CustomerLink(row.get("subscription_id", String.class), row.get("ipaas_customer_id", String.class),
				row.get("stamped_customer_id", String.class), row.get("fingerprint", String.class),
				row.get("subscribed", Boolean.class), row.get("source_batch_seq", Long.class),
				row.get("source_idx", Integer.class), R2dbcBatchJournal.instant(row, "updated_at"));
	}

	private record Lookup(LinkKey key, MonoSink<CustomerLink> sink) {
	}

}

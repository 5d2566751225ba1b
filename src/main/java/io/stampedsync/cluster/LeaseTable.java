package io.stampedsync.cluster;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import org.springframework.r2dbc.core.DatabaseClient;

/**
 * The SQL of replicas and subscription leases (PostgreSQL). Every expiry is compared with
 * the database's {@code now()}, so replicas never compare their own clocks.
 */
class LeaseTable {

	private final DatabaseClient db;

	private final String me;

	private final double leaseSeconds;

	LeaseTable(DatabaseClient db, String me, Duration leaseTime) {
		this.db = db;
		this.me = me;
		this.leaseSeconds = leaseTime.toMillis() / 1000.0;
	}

	/** Records that this replica is alive. */
	Mono<Void> heartbeat() {
		return this.db
			.sql("INSERT INTO replica (id, heartbeat_at) VALUES (:me, now()) "
					+ "ON CONFLICT (id) DO UPDATE SET heartbeat_at = now()")
			.bind("me", this.me)
			.then();
	}

	/** Replicas that sent a heartbeat within the lease time, this one included. */
	Mono<Long> liveReplicas() {
		return this.db.sql("SELECT COUNT(*) FROM replica WHERE heartbeat_at > now() - make_interval(secs => :secs)")
			.bind("secs", this.leaseSeconds)
			.map((row) -> row.get(0, Long.class))
			.one();
	}

	Mono<Void> leave() {
		return this.db.sql("DELETE FROM replica WHERE id = :me").bind("me", this.me).then();
	}

	/**
	 * Extends every lease this replica holds; gives each renewed subscription with its
	 * fencing token. A lease that expired but nobody took is still ours to extend.
	 */
	Mono<Map<String, Long>> renewAll() {
		return this.db
			.sql("UPDATE subscription_lease SET expires_at = now() + make_interval(secs => :secs) "
					+ "WHERE owner = :me RETURNING subscription_id, fencing_token")
			.bind("secs", this.leaseSeconds)
			.bind("me", this.me)
			.map((row) -> Map.entry(row.get(0, String.class), row.get(1, Long.class)))
			.all()
			.collectMap(Map.Entry::getKey, Map.Entry::getValue);
	}

	/**
	 * Takes the lease of a subscription if nobody holds it or it expired; gives the new
	 * fencing token, or nothing when another replica holds it. The token grows at every
	 * change of hands.
	 */
	Mono<Long> claim(String subscriptionId) {
		return this.db
			.sql("INSERT INTO subscription_lease AS l (subscription_id, owner, fencing_token, expires_at) "
					+ "VALUES (:id, :me, 1, now() + make_interval(secs => :secs)) "
					+ "ON CONFLICT (subscription_id) DO UPDATE SET owner = EXCLUDED.owner, "
					+ "fencing_token = l.fencing_token + 1, expires_at = EXCLUDED.expires_at "
					+ "WHERE l.expires_at < now() OR l.owner = EXCLUDED.owner RETURNING fencing_token")
			.bind("id", subscriptionId)
			.bind("me", this.me)
			.bind("secs", this.leaseSeconds)
			.map((row) -> row.get(0, Long.class))
			.one();
	}

	/**
	 * Stores the cancel of a batch in the journal: the owner of its subscription applies
	 * it on the NOTIFY, or failing that at its next renewal ({@link #requestedCancels}).
	 */
	Mono<Void> requestCancel(String batchId) {
		return this.db.sql("UPDATE batch SET cancel_requested = TRUE WHERE id = :id").bind("id", batchId).then();
	}

	/** Unfinished batches whose cancel was stored: batch id and subscription id. */
	Flux<Map.Entry<String, String>> requestedCancels() {
		return this.db
			.sql("SELECT id, subscription_id FROM batch WHERE cancel_requested = TRUE "
					+ "AND status IN ('queued', 'running', 'paused')")
			.map((row) -> Map.entry(row.get(0, String.class), row.get(1, String.class)))
			.all();
	}

	/**
	 * Stores that a verify found the keys of this settings version good; gives its
	 * number, one more than the subscription's previous verify. The latest verify wins
	 * whatever its version (a subscription deleted and made again on another replica
	 * numbers its versions from 1 again); the owner applies it only to the version it
	 * names.
	 */
	Mono<Long> recordVerify(String subscriptionId, long settingsVersion) {
		return this.db
			.sql("INSERT INTO credentials_verified AS v (subscription_id, settings_version, verify_number) "
					+ "VALUES (:id, :version, 1) ON CONFLICT (subscription_id) DO UPDATE SET "
					+ "settings_version = EXCLUDED.settings_version, verify_number = v.verify_number + 1 "
					+ "RETURNING verify_number")
			.bind("id", subscriptionId)
			.bind("version", settingsVersion)
			.map((row) -> row.get(0, Long.class))
			.one();
	}

	/** The last verify of every subscription that was ever verified good. */
	Flux<StoredVerify> storedVerifies() {
		return this.db.sql("SELECT subscription_id, settings_version, verify_number FROM credentials_verified")
			.map((row) -> new StoredVerify(row.get(0, String.class), row.get(1, Long.class), row.get(2, Long.class)))
			.all();
	}

	/** Subscriptions whose lease some replica holds now. */
	Flux<String> taken() {
		return this.db.sql("SELECT subscription_id FROM subscription_lease WHERE expires_at >= now()")
			.map((row) -> row.get(0, String.class))
			.all();
	}

	/** Lets another replica take the lease at once (after our dispatcher stopped). */
	Mono<Void> release(String subscriptionId) {
		return this.db
			.sql("UPDATE subscription_lease SET expires_at = now() - interval '1 second' "
					+ "WHERE subscription_id = :id AND owner = :me")
			.bind("id", subscriptionId)
			.bind("me", this.me)
			.then();
	}

	/**
	 * Removes this replica's lease of a subscription that no longer exists (after its
	 * dispatcher stopped): a released row would stay, and be renewed by its owner. Its
	 * last verify goes too.
	 */
	Mono<Void> drop(String subscriptionId) {
		return this.db.sql("DELETE FROM subscription_lease WHERE subscription_id = :id AND owner = :me")
			.bind("id", subscriptionId)
			.bind("me", this.me)
			.then()
			.then(this.db.sql("DELETE FROM credentials_verified WHERE subscription_id = :id")
				.bind("id", subscriptionId)
				.then());
	}

	/**
	 * Removes the leases, expired for over a lease time, of subscriptions that no longer
	 * exist: their owner died before it could drop them.
	 */
	Mono<Void> dropOrphans(List<String> subscriptions) {
		return this.db
			.sql("DELETE FROM subscription_lease WHERE expires_at < now() - make_interval(secs => :secs) "
					+ "AND NOT (subscription_id = ANY(:ids))")
			.bind("secs", this.leaseSeconds)
			.bind("ids", subscriptions.toArray(String[]::new))
			.then();
	}

	/** Owners of every live lease, by subscription (for tests and operators). */
	Flux<Map.Entry<String, String>> owners() {
		return this.db.sql("SELECT subscription_id, owner FROM subscription_lease WHERE expires_at >= now()")
			.map((row) -> Map.entry(row.get(0, String.class), row.get(1, String.class)))
			.all();
	}

	/** The replica holding a live lease on the subscription, if any. */
	Mono<String> owner(String subscriptionId) {
		return this.db.sql("SELECT owner FROM subscription_lease WHERE subscription_id = :id AND expires_at >= now()")
			.bind("id", subscriptionId)
			.map((row) -> row.get(0, String.class))
			.one();
	}

}

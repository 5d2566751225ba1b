package io.stampedsync.ipaas;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Collection;
import java.util.HexFormat;

import io.stampedsync.PeriodicPruning;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.InitializingBean;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Repository;

/**
 * The tracking guids of delivered hook notifications (table {@code hook_delivery}), one
 * row per subscription and guid under a unique key, so that two deliveries of the same
 * notification, even at the same moment, queue it once. A guid is claimed before its
 * delivery is written to the journal and completed after; a failed write releases it.
 */
@Repository
class HookDeliveries implements InitializingBean, DisposableBean {

	private static final Log logger = LogFactory.getLog(HookDeliveries.class);

	static final int MAX_GUID_LENGTH = 200;

	private final DatabaseClient db;

	private final IpaasProperties properties;

	private final Clock clock;

	private final PeriodicPruning cleanup;

	HookDeliveries(DatabaseClient db, IpaasProperties properties, Clock clock) {
		this.db = db;
		this.properties = properties;
		this.clock = clock;
		Duration interval = properties.hookCleanupInterval();
		this.cleanup = new PeriodicPruning(logger, "old hook tracking guids", interval, interval,
				() -> forgetBefore(clock.instant().minus(properties.hookRetention())),
				(forgotten) -> "Forgot " + forgotten + " hook tracking guids older than " + properties.hookRetention());
	}

	/**
	 * Claims {@code guid} for a new delivery: true when it was never seen, or only seen
	 * in a claim that never reached the journal and is older than the claim timeout.
	 */
	Mono<Boolean> claim(String subscriptionId, String guid) {
		Instant now = this.clock.instant();
		return this.db
			.sql("INSERT INTO hook_delivery (subscription_id, tracking_guid, batch_id, received_at) "
					+ "VALUES (:sub, :guid, NULL, :at)")
			.bind("sub", subscriptionId)
			.bind("guid", key(guid))
			.bind("at", at(now))
			.fetch()
			.rowsUpdated()
			.map((rows) -> rows == 1)
			.onErrorResume(DataIntegrityViolationException.class, (ex) -> takeOver(subscriptionId, guid, now));
	}

	private Mono<Boolean> takeOver(String subscriptionId, String guid, Instant now) {
		return this.db
			.sql("UPDATE hook_delivery SET received_at = :at WHERE subscription_id = :sub AND tracking_guid = :guid "
					+ "AND batch_id IS NULL AND received_at < :stale")
			.bind("sub", subscriptionId)
			.bind("guid", key(guid))
			.bind("at", at(now))
			.bind("stale", at(now.minus(this.properties.hookClaimTimeout())))
			.fetch()
			.rowsUpdated()
			.map((rows) -> rows == 1);
	}

	/** The claimed guids made it into {@code batchId}. */
	Mono<Void> complete(String subscriptionId, Collection<String> guids, String batchId) {
		return Flux.fromIterable(guids)
			.concatMap((guid) -> this.db.sql(
					"UPDATE hook_delivery SET batch_id = :batch WHERE subscription_id = :sub AND tracking_guid = :guid")
				.bind("batch", batchId)
				.bind("sub", subscriptionId)
				.bind("guid", key(guid))
				.fetch()
				.rowsUpdated())
			.then();
	}

	/** The delivery did not reach the journal: a redelivery may claim the guids again. */
	Mono<Void> release(String subscriptionId, Collection<String> guids) {
		return Flux.fromIterable(guids)
			.concatMap((guid) -> this.db
				.sql("DELETE FROM hook_delivery WHERE subscription_id = :sub AND tracking_guid = :guid "
						+ "AND batch_id IS NULL")
				.bind("sub", subscriptionId)
				.bind("guid", key(guid))
				.fetch()
				.rowsUpdated())
			.then();
	}

	/** Forgets guids received before {@code before}; answers how many. */
	Mono<Long> forgetBefore(Instant before) {
		return this.db.sql("DELETE FROM hook_delivery WHERE received_at < :before")
			.bind("before", at(before))
			.fetch()
			.rowsUpdated();
	}

	@Override
	public void afterPropertiesSet() {
		this.cleanup.start();
	}

	@Override
	public void destroy() {
		this.cleanup.stop();
	}

	/** The stored key: the guid itself, or a digest of one too long for the column. */
	static String key(String guid) {
		if (guid.length() <= MAX_GUID_LENGTH) {
			return guid;
		}
		try {
			byte[] digest = MessageDigest.getInstance("SHA-256").digest(guid.getBytes(StandardCharsets.UTF_8));
			return "sha256:" + HexFormat.of().formatHex(digest);
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException(ex);
		}
	}

	private static OffsetDateTime at(Instant instant) {
		return instant.atOffset(ZoneOffset.UTC);
	}

}

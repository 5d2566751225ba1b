package io.stampedsync.cluster;

import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import io.r2dbc.postgresql.api.Notification;
import io.r2dbc.postgresql.api.PostgresqlConnection;
import io.r2dbc.spi.Connection;
import io.r2dbc.spi.ConnectionFactory;
import io.r2dbc.spi.Wrapped;
import io.stampedsync.LongLived;
import io.stampedsync.batch.BatchEvent;
import io.stampedsync.batch.BatchEventBus;
import io.stampedsync.batch.BatchJournal;
import io.stampedsync.subscription.SubscriptionRegistry;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import reactor.core.Disposable;
import reactor.core.Disposables;
import reactor.core.publisher.BufferOverflowStrategy;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.util.retry.Retry;

import org.springframework.r2dbc.core.DatabaseClient;

/**
 * PostgreSQL LISTEN/NOTIFY between replicas: {@code batch_queued} tells the owner of a
 * subscription that another replica queued a batch for it; {@code batch_events} tells
 * every replica that events of a batch were stored, so it reads them from the journal and
 * hands them to its own SSE watchers; {@code batch_cancel} asks the owner of a batch's
 * subscription to cancel it; {@code subscription_changed} tells the others that this
 * replica saved or deleted a subscription, so that its owner runs it with the settings
 * saved; {@code credentials_verified} that a verify here found its current keys good, so
 * that an owner paused for them goes on (the verify is stored first: the notification is
 * only the fast path).
 */
class ClusterNotifications {

	private static final Log logger = LogFactory.getLog(ClusterNotifications.class);

	static final String QUEUED = "batch_queued";

	static final String EVENTS = "batch_events";

	static final String CANCEL = "batch_cancel";

	static final String SETTINGS = "subscription_changed";

	static final String VERIFIED = "credentials_verified";

	private static final int BUFFER = 10_000;

	private final ConnectionFactory connections;

	private final DatabaseClient db;

	private final BatchJournal journal;

	private final BatchEventBus bus;

	private final SubscriptionRegistry registry;

	private final String me;

	private final Sinks.Many<String> queued = Sinks.many().multicast().directBestEffort();

	private final Sinks.Many<String> cancels = Sinks.many().multicast().directBestEffort();

	private final Sinks.Many<String> settings = Sinks.many().multicast().directBestEffort();

	private final Sinks.Many<StoredVerify> verified = Sinks.many().multicast().directBestEffort();

	// Last event relayed per batch: a notification carries only the highest seq stored.
	private final Map<String, Long> lastSeen = Collections.synchronizedMap(new LinkedHashMap<>(256, 0.75f, true) {
		@Override
		protected boolean removeEldestEntry(Map.Entry<String, Long> eldest) {
			return size() > 10_000;
		}
	});

	private final Disposable.Composite loops = Disposables.composite();

	private final Disposable.Swap listening = Disposables.swap();

	ClusterNotifications(ConnectionFactory connections, DatabaseClient db, BatchJournal journal, BatchEventBus bus,
			SubscriptionRegistry registry, String me) {
		this.connections = connections;
		this.db = db;
		this.journal = journal;
		this.bus = bus;
		this.registry = registry;
		this.me = me;
	}

	/** Subscriptions another replica queued a batch for. */
	Flux<String> queued() {
		return this.queued.asFlux();
	}

	Mono<Void> announceQueued(String subscriptionId) {
		return notify(QUEUED, subscriptionId);
	}

	/** Batches a replica was asked to cancel, for their subscription's owner. */
	Flux<String> cancels() {
		return this.cancels.asFlux();
	}

	Mono<Void> announceCancel(String batchId) {
		return notify(CANCEL, batchId);
	}

	/** Subscriptions another replica saved or deleted. */
	Flux<String> settingsChanged() {
		return this.settings.asFlux();
	}

	/** Credentials another replica verified. */
	Flux<StoredVerify> verifiedElsewhere() {
		return this.verified.asFlux();
	}

	/** Tells the other replicas, among them the subscription's owner. */
	Mono<Void> announceVerified(StoredVerify verify) {
		return notify(VERIFIED,
				verify.subscriptionId() + ":" + verify.settingsVersion() + ":" + verify.number() + ":" + this.me);
	}

	void start() {
		// Changes made here only: the registry announces no change it merely read.
		this.loops.add(LongLived.concatEach("Announcing subscription changes", this.registry.changes(),
				(change) -> notify(SETTINGS, change.id() + ":" + this.me).onErrorResume((ex) -> {
					logger.warn("Change of subscription " + change.id()
							+ " not announced (its owner reads it at its next lease renewal): " + ex.getMessage());
					return Mono.empty();
				}), (change) -> "Change of subscription " + change.id()));
		// A notification that cannot be read (another version of the gateway) is passed
		// over, not the end of listening.
		this.listening.update(LongLived.concatEach("Reading notifications of other replicas", listen()
			.retryWhen(Retry.backoff(Long.MAX_VALUE, Duration.ofMillis(200))
				.maxBackoff(Duration.ofSeconds(5))
				.doBeforeRetry((signal) -> logger.warn("LISTEN connection lost, reconnecting: " + signal.failure()))),
				this::received, (notification) -> "Notification on " + notification.getName()));
		this.loops.add(announceStored(this.bus.storedHere(), this::announce));
	}

	/**
	 * Announces what this replica stored, one notification per batch per short burst; a
	 * burst whose announcement fails is passed over (the other replicas' watchers catch
	 * up with the next one of the same batch, or read the journal on reconnect).
	 */
	static Disposable announceStored(Flux<BatchEvent> storedHere, Function<List<BatchEvent>, Mono<Void>> announce) {
		return LongLived.concatEach("Announcing events stored here",
				storedHere.onBackpressureBuffer(BUFFER, BufferOverflowStrategy.DROP_OLDEST)
					.bufferTimeout(256, Duration.ofMillis(25), true),
				announce, (events) -> events.size() + " events stored here");
	}

	private Mono<Void> announce(List<BatchEvent> events) {
		return Flux.fromIterable(events)
			.groupBy(BatchEvent::batchId)
			.flatMap((group) -> group.map(BatchEvent::seq)
				.reduce(Math::max)
				.flatMap((seq) -> notify(EVENTS, group.key() + ":" + seq + ":" + this.me)))
			// Not logged: with the database away every burst fails, and the other
			// replicas catch up with the next announcement of the same batch.
			.onErrorResume((ex) -> Mono.empty())
			.then();
	}

	void stop() {
		this.loops.dispose();
		this.listening.dispose();
	}

	/**
	 * Test hook: this replica hears no other from now on, as while its listening
	 * connection is down; what it announces still goes out.
	 */
	void deafen() {
		this.listening.dispose();
	}

	private Flux<Notification> listen() {
		return Flux.usingWhen(this.connections.create(), (connection) -> {
			PostgresqlConnection postgres = unwrap(connection);
			return postgres
				.createStatement("LISTEN " + QUEUED + "; LISTEN " + EVENTS + "; LISTEN " + CANCEL + "; LISTEN "
						+ SETTINGS + "; LISTEN " + VERIFIED)
				.execute()
				.flatMap((result) -> result.getRowsUpdated())
				.thenMany(postgres.getNotifications())
				// The driver cannot wait for a slow reader; a notification dropped here
				// is
				// covered by the next one of the same batch or by the owner's poll.
				.onBackpressureBuffer(BUFFER, BufferOverflowStrategy.DROP_OLDEST);
		}, Connection::close);
	}

	private Mono<Void> received(Notification notification) {
		String payload = notification.getParameter();
		if (payload == null) {
			return Mono.empty();
		}
		if (QUEUED.equals(notification.getName())) {
			this.queued.tryEmitNext(payload);
			return Mono.empty();
		}
		if (CANCEL.equals(notification.getName())) {
			this.cancels.tryEmitNext(payload);
			return Mono.empty();
		}
		if (SETTINGS.equals(notification.getName())) {
			String[] parts = payload.split(":", 2);
			if (parts.length == 2 && !parts[1].equals(this.me)) {
				this.settings.tryEmitNext(parts[0]);
			}
			return Mono.empty();
		}
		if (VERIFIED.equals(notification.getName())) {
			String[] parts = payload.split(":", 4);
			if (parts.length == 4 && !parts[3].equals(this.me)) {
				try {
					this.verified
						.tryEmitNext(new StoredVerify(parts[0], Long.parseLong(parts[1]), Long.parseLong(parts[2])));
				}
				catch (NumberFormatException ex) {
					// Not ours to read (another version of the gateway): the owner reads
					// the stored verify at its next renewal.
					logger.warn("Unreadable " + VERIFIED + " notification ignored");
				}
			}
			return Mono.empty();
		}
		String[] parts = payload.split(":", 3);
		if (parts.length < 3 || parts[2].equals(this.me)) {
			return Mono.empty();
		}
		String batchId = parts[0];
		long seq = Long.parseLong(parts[1]);
		long after = this.lastSeen.getOrDefault(batchId, 0L);
		if (seq <= after) {
			return Mono.empty();
		}
		return this.journal.events(batchId, after).doOnNext((event) -> {
			this.lastSeen.merge(batchId, event.seq(), Math::max);
			this.bus.publishFromElsewhere(event);
		}).then().onErrorResume((ex) -> Mono.empty());
	}

	private Mono<Void> notify(String channel, String payload) {
		return this.db.sql("SELECT pg_notify(:channel, :payload)")
			.bind("channel", channel)
			.bind("payload", payload)
			.then();
	}

	private static PostgresqlConnection unwrap(Connection connection) {
		Object inner = connection;
		while (!(inner instanceof PostgresqlConnection) && inner instanceof Wrapped<?> wrapped) {
			inner = wrapped.unwrap();
		}
		if (inner instanceof PostgresqlConnection postgres) {
			return postgres;
		}
		throw new IllegalStateException("stamped-sync.cluster.enabled needs the PostgreSQL journal "
				+ "(spring.r2dbc.url=r2dbc:postgresql://...)");
	}

}

package io.stampedsync.cluster;

import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;

import io.r2dbc.spi.ConnectionFactories;
import io.r2dbc.spi.ConnectionFactory;
import io.stampedsync.batch.BatchEventBus;
import io.stampedsync.environment.Requirement;
import io.stampedsync.environment.Requires;
import io.stampedsync.throttle.InMemorySubscriptionRegistry;
import org.junit.jupiter.api.Test;
import reactor.core.Disposable;

import org.springframework.r2dbc.core.DatabaseClient;

import static org.awaitility.Awaitility.await;

/**
 * The listening to the other replicas on the real PostgreSQL lasts as long as the
 * replica.
 */
@Requires(Requirement.POSTGRES)
class ClusterListeningTests {

	@Test
	void unreadableNotificationLeavesTheNextOnesHeard() {
		PostgresSchema schema = PostgresSchema.create();
		try {
			ConnectionFactory connections = ConnectionFactories.get(schema.properties()
				.get("spring.r2dbc.url")
				.replace("r2dbc:postgresql://", "r2dbc:postgresql://" + schema.user + "@"));
			DatabaseClient db = DatabaseClient.create(connections);
			ClusterNotifications notifications = new ClusterNotifications(connections, db, null, new BatchEventBus(),
					new InMemorySubscriptionRegistry(), "me");
			List<String> queued = new CopyOnWriteArrayList<>();
			Disposable hearing = notifications.queued().subscribe(queued::add);
			notifications.start();
			try {
				String id = "sub-" + UUID.randomUUID();
				// Channels are shared by the whole database: the payloads are this
				// test's own. Sent until heard, since LISTEN starts in the background.
				await().until(() -> {
					notify(db, ClusterNotifications.EVENTS, "batch-" + id + ":not-a-number:other");
					notify(db, ClusterNotifications.QUEUED, id);
					return queued.stream().filter(id::equals).count() >= 2;
				});
			}
			finally {
				hearing.dispose();
				notifications.stop();
			}
		}
		finally {
			schema.drop();
		}
	}

	private static void notify(DatabaseClient db, String channel, String payload) {
		db.sql("SELECT pg_notify(:channel, :payload)").bind("channel", channel).bind("payload", payload).then().block();
	}

}

package io.stampedsync.cluster;

import java.util.Objects;
import io.stampedsync.environment.Requirement;
import io.stampedsync.environment.Requires;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import io.r2dbc.spi.ConnectionFactories;
import io.r2dbc.spi.ConnectionFactory;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import org.springframework.r2dbc.core.DatabaseClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The lease SQL on the real PostgreSQL: one holder at a time, expiry, fencing tokens. */
@Requires(Requirement.POSTGRES)
class LeaseTableTests {

	static PostgresSchema schema;

	static DatabaseClient db;

	@BeforeAll
	static void migrate() {
		schema = PostgresSchema.create();
		Map<String, String> properties = schema.properties();
		Flyway.configure()
			.dataSource(properties.get("spring.flyway.url"), schema.user, "")
			.locations("classpath:db/migration")
			.load()
			.migrate();
		ConnectionFactory connections = ConnectionFactories.get(properties.get("spring.r2dbc.url")
			.replace("r2dbc:postgresql://", "r2dbc:postgresql://" + schema.user + "@"));
		db = DatabaseClient.create(connections);
	}

	@AfterAll
	static void drop() {
		if (schema != null) {
			schema.drop();
		}
	}

	@Test
	void leaseHasOneHolderUntilItExpiresThenPassesWithAHigherFencingToken() {
		LeaseTable a = new LeaseTable(db, "a", Duration.ofSeconds(1));
		LeaseTable b = new LeaseTable(db, "b", Duration.ofSeconds(1));
		assertThat(a.claim("sub-1").block()).isEqualTo(1L);
		assertThat(b.claim("sub-1").block()).as("held by a").isNull();
		// Taken before the renewal: the lease runs 1 s from the database's now(), which
		// is
		// later.
		long renewed = System.nanoTime();
		assertThat(a.renewAll().block()).containsEntry("sub-1", 1L);
		// b cannot take it until the lease of 1 s has run out (a claim that fails changes
		// nothing, so polling it is safe).
		Long token = await("b takes the expired lease").atMost(Duration.ofSeconds(30))
			.until(() -> b.claim("sub-1").block(), Objects::nonNull);
		assertThat(Duration.ofNanos(System.nanoTime() - renewed)).as("not before it expired")
			.isGreaterThanOrEqualTo(Duration.ofMillis(900));
		assertThat(token).as("expired: b takes it").isEqualTo(2L);
		assertThat(a.renewAll().block()).as("a renews nothing it lost").doesNotContainKey("sub-1");
		assertThat(a.claim("sub-1").block()).as("held by b").isNull();
	}

	@Test
	void releasedLeaseIsFreeAtOnceAndReplicasCountWhileTheyBeat() {
		LeaseTable a = new LeaseTable(db, "c", Duration.ofSeconds(30));
		LeaseTable b = new LeaseTable(db, "d", Duration.ofSeconds(30));
		assertThat(a.claim("sub-2").block()).isNotNull();
		assertThat(a.taken().collectList().block()).contains("sub-2");
		a.release("sub-2").block();
		assertThat(a.taken().collectList().block()).doesNotContain("sub-2");
		assertThat(b.claim("sub-2").block()).isNotNull();
		a.heartbeat().block();
		b.heartbeat().block();
		long live = a.liveReplicas().block();
		b.leave().block();
		assertThat(a.liveReplicas().block()).isEqualTo(live - 1);
	}

	@Test
	void leaseOfAGoneSubscriptionIsDroppedByItsOwnerOrOnceLongExpired() {
		LeaseTable a = new LeaseTable(db, "e", Duration.ofSeconds(1));
		LeaseTable b = new LeaseTable(db, "f", Duration.ofSeconds(1));
		assertThat(a.claim("sub-3").block()).isNotNull();
		b.drop("sub-3").block();
		assertThat(leases()).as("only its owner drops a lease").contains("sub-3");
		a.drop("sub-3").block();
		assertThat(leases()).doesNotContain("sub-3");
		// Its owner died holding it: a live replica drops it once it expired a lease time
		// ago, and only if the subscription is gone.
		assertThat(a.claim("sub-4").block()).isNotNull();
		b.dropOrphans(List.of("sub-4")).block();
		assertThat(leases()).as("kept while the subscription exists").contains("sub-4");
		b.dropOrphans(List.of()).block();
		assertThat(leases()).as("not expired long enough").contains("sub-4");
		await("long-expired orphan dropped").atMost(Duration.ofSeconds(30)).until(() -> {
			b.dropOrphans(List.of("sub-1")).block();
			return !leases().contains("sub-4");
		});
	}

	private static List<String> leases() {
		return schema.query("SELECT subscription_id FROM subscription_lease")
			.stream()
			.map((row) -> (String) row.get("subscription_id"))
			.toList();
	}

}

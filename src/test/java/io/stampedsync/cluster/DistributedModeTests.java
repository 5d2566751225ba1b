package io.stampedsync.cluster;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;

import io.stampedsync.GatewayApi;
import io.stampedsync.GatewayClients;
import io.stampedsync.TestSubscriptions;
import io.stampedsync.TestTokens;
import io.stampedsync.environment.Requirement;
import io.stampedsync.environment.Requires;
import io.stampedsync.sandbox.StampedSimulator;
import io.stampedsync.testing.Customers;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.databind.JsonNode;

import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.MediaType;
import org.springframework.http.codec.ServerSentEvent;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Three replicas in distributed mode on one PostgreSQL schema, against the Stamped.io
 * simulator: ownership, cross-replica intake and SSE, exact limits, and failover.
 */
@Requires(Requirement.POSTGRES)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DistributedModeTests {

	static final List<String> REPLICAS = List.of("r1", "r2", "r3");

	static final List<String> SUBSCRIPTIONS = List.of("s1", "s2", "s3", "s4", "s5", "s6");

	// One simulated store per busy subscription, so its counters are its own.
	static final Map<String, StampedSimulator> stores = new HashMap<>();

	@RegisterExtension
	static final ReplicaCluster cluster = new ReplicaCluster(Duration.ofSeconds(6));

	static Replicas replicas;

	@BeforeAll
	static void start() {
		// The answer as the bound of a call's arrival (the default, pinned here): no
		// window over L under any load.
		replicas = cluster.replicas().property("stamped-sync.throttle.lag-share", "1");
		for (String id : SUBSCRIPTIONS) {
			StampedSimulator store = TestSubscriptions.stampedSimulator();
			stores.put(id, store);
			cluster.closing(store);
			// The store takes 10 calls per second, the gateway paces at 9 (network jitter
			// can bring two paced calls a hair closer): slow enough to watch and to kill
			// mid-batch, and two replicas running one subscription would double the rate.
			store.rateLimit(10, Duration.ofSeconds(1));
			replicas.subscription(id, store,
					Map.of("api-throttle-limit", "9", "api-throttle-seconds", "1", "concurrent-connections", "2"));
		}
		REPLICAS.forEach(replicas::start);
	}

	@Test
	@Order(1)
	void everySubscriptionHasExactlyOneOwnerAndReplicasShareThemFairly() {
		// One read of the lease table per check: two reads can see two moments of the
		// start-up hand-over (r1 holding all six, then r1 down to two after releasing).
		await(() -> isFairShare(replicas.owners()));
		Map<String, String> owners = replicas.owners();
		assertThat(owners).containsOnlyKeys(SUBSCRIPTIONS);
		assertThat(perReplica(owners)).containsOnlyKeys(REPLICAS).values().containsOnly(2L);
		for (String id : SUBSCRIPTIONS) {
			long holders = REPLICAS.stream()
				.filter((r) -> replicas.context(r).getBean(LeaseOwnership.class).owns(id))
				.count();
			assertThat(holders).as("replicas running %s", id).isEqualTo(1);
		}
	}

	@Test
	@Order(2)
	void batchPostedToOneReplicaIsWatchedLiveOnAnother() {
		String owner = replicas.awaitOwner("s1");
		List<String> others = REPLICAS.stream().filter((r) -> !r.equals(owner)).toList();
		// Neither the replica that takes the batch nor the one watching runs it.
		String batchId = submit(others.get(0), "s1", Customers.fresh("watch-", 30));
		ConfigurableApplicationContext watcher = replicas.context(others.get(1));
		List<ServerSentEvent<String>> events = GatewayClients.webClient(watcher, GatewayClients.port(watcher))
			.defaultHeader("Authorization", TestTokens.bearer(TestTokens.READER))
			.build()
			.get()
			.uri("/api/v1/batches/{id}/events", batchId)
			.accept(MediaType.TEXT_EVENT_STREAM)
			.retrieve()
			.bodyToFlux(new ParameterizedTypeReference<ServerSentEvent<String>>() {
			})
			.filter((event) -> event.event() != null)
			.takeUntil((event) -> "status".equals(event.event()) && event.data().contains("completed"))
			.collectList()
			.block(Duration.ofSeconds(60));
		assertThat(events.stream().filter((event) -> "record".equals(event.event()))).hasSize(30);
		List<Long> ids = events.stream().map((event) -> Long.parseLong(event.id())).toList();
		assertThat(ids).isSorted().doesNotHaveDuplicates();
		assertThat(stores.get("s1").store().createdNew()).isEqualTo(30);
	}

	@Test
	@Order(3)
	void threeReplicasPushingToOneStoreKeepItsLimits() {
		List<String> batches = new ArrayList<>();
		for (String replica : REPLICAS) {
			batches.add(submit(replica, "s2", Customers.fresh("limit-" + replica + "-", 15)));
		}
		batches.forEach((id) -> awaitFinal(REPLICAS.get(0), id));
		StampedSimulator store = stores.get("s2");
		assertThat(store.store().createdNew()).isEqualTo(45);
		assertThat(store.stats().maxArrivalsInWindow()).isLessThanOrEqualTo(10);
		assertThat(store.stats().maxInFlight()).isLessThanOrEqualTo(2);
		assertThat(store.stats().rateLimited()).isZero();
	}

	@Test
	@Order(4)
	void batchOfAKilledOwnerCompletesElsewhereWithOneOutcomePerRecord() {
		String owner = replicas.awaitOwner("s3");
		String watcher = REPLICAS.stream().filter((r) -> !r.equals(owner)).findFirst().orElseThrow();
		String batchId = submit(owner, "s3", Customers.fresh("failover-", 60));
		await(() -> stores.get("s3").store().createdNew() >= 10);
		LeaseOwnership killed = replicas.context(owner).getBean(LeaseOwnership.class);
		replicas.kill(owner);
		JsonNode batch = awaitFinal(watcher, batchId);
		assertThat(killed.owns("s3")).as("the killed replica stopped on its own clock").isFalse();
		assertThat(batch.get("status").asString()).isEqualTo("completed");
		Map<String, Integer> counts = new HashMap<>();
		batch.get("counts").properties().forEach((e) -> counts.put(e.getKey(), e.getValue().asInt()));
		assertThat(counts.values().stream().mapToInt(Integer::intValue).sum()).as("%s", counts).isEqualTo(60);
		assertThat(stores.get("s3").store().createdNew()).isEqualTo(60);
		assertThat(stores.get("s3").store().count()).isEqualTo(60);
		// Never two replicas calling the store at once, across the hand-over.
		assertThat(stores.get("s3").stats().maxInFlight()).isLessThanOrEqualTo(2);
		assertThat(stores.get("s3").stats().maxArrivalsInWindow()).isLessThanOrEqualTo(10);
		assertThat(replicas.owners().get("s3")).isNotEqualTo(owner);
		List<Map<String, Object>> lease = cluster.schema()
			.query("SELECT fencing_token FROM subscription_lease WHERE subscription_id = 's3'");
		assertThat((Long) lease.get(0).get("fencing_token")).isGreaterThan(1L);
	}

	@Test
	@Order(5)
	void batchCancelledOnAReplicaThatDoesNotRunItStopsOnItsOwnerAndItsProgressShowsEverywhere() {
		String owner = replicas.awaitOwner("s5");
		String other = REPLICAS.stream()
			.filter((r) -> !r.equals(owner) && replicas.context(r) != null)
			.findFirst()
			.orElseThrow();
		String batchId = submit(other, "s5", Customers.fresh("cancel-", 200));
		await(() -> stores.get("s5").store().createdNew() >= 10);
		// Live rate and ETA come from the owner's progress events in the journal.
		await(() -> summary(other, batchId).path("callsPerMinute").asDouble() > 0);
		replicas.client(other).delete().uri("/api/v1/batches/{id}", batchId).exchange().expectStatus().isAccepted();
		JsonNode[] last = new JsonNode[1];
		await(() -> {
			last[0] = summary(other, batchId);
			return last[0].get("status").asString().equals("cancelled");
		});
		Map<String, Integer> counts = new HashMap<>();
		last[0].get("counts").properties().forEach((e) -> counts.put(e.getKey(), e.getValue().asInt()));
		assertThat(counts.values().stream().mapToInt(Integer::intValue).sum()).as("%s", counts).isEqualTo(200);
		assertThat(counts.get("cancelled")).as("%s", counts).isPositive();
		assertThat(stores.get("s5").store().createdNew()).isEqualTo((long) counts.get("created"));
	}

	private static JsonNode summary(String replica, String batchId) {
		return new GatewayApi(replicas.client(replica)).batch(batchId);
	}

	private static boolean isFairShare(Map<String, String> owners) {
		return owners.keySet().containsAll(SUBSCRIPTIONS)
				&& perReplica(owners).equals(REPLICAS.stream().collect(Collectors.toMap((r) -> r, (r) -> 2L)));
	}

	private static Map<String, Long> perReplica(Map<String, String> owners) {
		return owners.values().stream().collect(Collectors.groupingBy((owner) -> owner, Collectors.counting()));
	}

	private static String submit(String replica, String subscriptionId, Collection<String> customers) {
		return new GatewayApi(replicas.client(replica)).submit(subscriptionId, List.copyOf(customers));
	}

	private static JsonNode awaitFinal(String replica, String batchId) {
		return new GatewayApi(replicas.client(replica)).await(batchId, Duration.ofSeconds(60),
				(batch) -> batch.get("status").asString().startsWith("completed"));
	}

	/** Polls for up to 60 s: generous, for a shared machine. */
	private static void await(BooleanSupplier condition) {
		GatewayApi.until(condition, Duration.ofSeconds(60));
	}

}

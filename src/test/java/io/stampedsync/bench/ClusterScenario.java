package io.stampedsync.bench;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.ToDoubleFunction;
import java.util.stream.Collectors;

import io.stampedsync.GatewayApi;
import io.stampedsync.TestSubscriptions;
import io.stampedsync.cluster.PostgresSchema;
import io.stampedsync.cluster.Replicas;
import io.stampedsync.sandbox.SimulatorOptions;
import io.stampedsync.sandbox.StampedSimulator;
import tools.jackson.databind.JsonNode;

import org.springframework.http.MediaType;

/**
 * Scenario 7, distributed mode: 3 replicas (application contexts in this JVM) on one
 * fresh PostgreSQL schema share 30 subscriptions, each on a Stamped.io store of its own
 * with a strict sliding window of L per W. Each store gets one batch, posted to the
 * replicas in turn (mostly not the owner), big enough to keep it busy for the whole run.
 * Per store: quota use (calls made ÷ calls permitted over the run), the most calls in any
 * window of W against L, the most calls in flight against Concurrent Connections.
 */
final class ClusterScenario {

	static final int STORES = 30;

	static final List<String> REPLICAS = List.of("r1", "r2", "r3");

	static final int LIMIT = 20;

	static final Duration WINDOW = Duration.ofSeconds(2);

	static final int CONNECTIONS = 2;

	static final Duration LATENCY = Duration.ofMillis(20);

	static final String NAME = "7 cluster 3 replicas, 30 stores, 20/2s C=2";

	private final BenchReport report;

	private final Path dataDir;

	private final Duration duration;

	ClusterScenario(BenchReport report, Path dataDir, Duration duration) {
		this.report = report;
		this.dataDir = dataDir;
		this.duration = duration;
	}

	void run() {
		PostgresSchema schema = PostgresSchema.create();
		Map<String, StampedSimulator> stores = new LinkedHashMap<>();
		Replicas replicas = new Replicas(schema, this.dataDir, Duration.ofSeconds(6)).property("logging.level.root",
				"WARN");
		try {
			for (int i = 1; i <= STORES; i++) {
				String id = String.format("store%02d", i);
				StampedSimulator store = new StampedSimulator(TestSubscriptions.STORE_HASH,
						TestSubscriptions.PUBLIC_KEY, TestSubscriptions.PRIVATE_KEY,
						SimulatorOptions.defaults().withCallLogCapacity(50_000))
					.start();
				store.rateLimit(LIMIT, WINDOW);
				store.latency(LATENCY);
				stores.put(id, store);
				replicas.subscription(id, store,
						Map.of("api-throttle-limit", Integer.toString(LIMIT), "api-throttle-seconds",
								Long.toString(WINDOW.toSeconds()), "concurrent-connections",
								Integer.toString(CONNECTIONS)));
			}
			REPLICAS.forEach(replicas::start);
			awaitBalanced(replicas);
			Map<String, Long> shares = replicas.owners()
				.values()
				.stream()
				.collect(Collectors.groupingBy((owner) -> owner, Collectors.counting()));
			int customers = (int) (LIMIT * this.duration.toSeconds() * 1.2 / WINDOW.toSeconds()) + 20;
			int turn = 0;
			for (String id : stores.keySet()) {
				post(replicas, REPLICAS.get(turn++ % REPLICAS.size()), id, customers);
			}
			long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
			while (stores.values().stream().anyMatch((store) -> store.stats().callLog().isEmpty())
					&& System.nanoTime() < deadline) {
				GatewayApi.sleep(50);
			}
			long lastFirst = stores.values()
				.stream()
				.filter((store) -> !store.stats().callLog().isEmpty())
				.mapToLong((store) -> store.stats().callLog().get(0).arrivalNanos())
				.max()
				.orElse(System.nanoTime());
			GatewayApi.sleep(Math.max(0, (lastFirst + this.duration.toNanos() - System.nanoTime()) / 1_000_000));
			List<StoreFigures> figures = new ArrayList<>();
			stores.forEach((id, store) -> figures.add(StoreFigures.of(id, store, this.duration)));
			summarize(figures, shares);
		}
		finally {
			replicas.close();
			stores.values().forEach(StampedSimulator::close);
			schema.drop();
		}
	}

	private void summarize(List<StoreFigures> figures, Map<String, Long> shares) {
		double permitted = LIMIT * this.duration.toSeconds() / (double) WINDOW.toSeconds();
		spread("quota use per store (calls made ÷ " + (long) permitted + " permitted in " + this.duration.toSeconds()
				+ " s)", figures, StoreFigures::quotaUse, "ratio", 1.0);
		spread("most calls in any 2 s window per store", figures, StoreFigures::maxInWindow, "calls", (double) LIMIT);
		spread("most calls in flight per store", figures, StoreFigures::maxInFlight, "calls", (double) CONNECTIONS);
		this.report.add(NAME, "429s, all stores", figures.stream().mapToLong(StoreFigures::rateLimited).sum(),
				"responses", null);
		this.report.add(NAME, "calls/s, all stores",
				figures.stream().mapToLong(StoreFigures::made).sum() / (double) this.duration.toSeconds(), "/s",
				STORES * LIMIT / (double) WINDOW.toSeconds());
		this.report.add(NAME, "subscriptions per replica (min)",
				shares.values().stream().mapToLong(Long::longValue).min().orElse(0), "leases",
				(double) STORES / REPLICAS.size());
		this.report.add(NAME, "subscriptions per replica (max)",
				shares.values().stream().mapToLong(Long::longValue).max().orElse(0), "leases",
				(double) STORES / REPLICAS.size());
		this.report.note("cluster stores", figures);
	}

	private void spread(String figure, List<StoreFigures> figures, ToDoubleFunction<StoreFigures> value, String unit,
			Double limit) {
		double[] sorted = figures.stream().mapToDouble(value).sorted().toArray();
		int n = sorted.length;
		double median = (n % 2 == 1) ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
		this.report.add(NAME, figure + " min", sorted[0], unit, limit);
		this.report.add(NAME, figure + " median", median, unit, limit);
		this.report.add(NAME, figure + " max", sorted[n - 1], unit, limit);
	}

	/** Every subscription leased, each replica holding its fair share. */
	private static void awaitBalanced(Replicas replicas) {
		long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
		while (System.nanoTime() < deadline) {
			Map<String, String> owners = replicas.owners();
			Map<String, Long> shares = owners.values()
				.stream()
				.collect(Collectors.groupingBy((owner) -> owner, Collectors.counting()));
			if (owners.size() == STORES && shares.size() == REPLICAS.size()
					&& shares.values().stream().allMatch((n) -> n == STORES / REPLICAS.size())) {
				return;
			}
			GatewayApi.sleep(200);
		}
	}

	private static void post(Replicas replicas, String replica, String subscription, int count) {
		StringBuilder body = new StringBuilder();
		for (int i = 1; i <= count; i++) {
			body.append("{\"id\":\"")
				.append(subscription)
				.append('-')
				.append(i)
				.append("\",\"email_address\":\"")
				.append(subscription)
				.append('-')
				.append(i)
				.append("@example.com\",\"first_name\":\"First\",\"last_name\":\"Last\"}\n");
		}
		JsonNode batch = replicas.client(replica)
			.post()
			.uri("/api/v1/subscriptions/{id}/batches", subscription)
			.contentType(MediaType.parseMediaType("application/x-ndjson"))
			.bodyValue(body.toString())
			.exchange()
			.expectStatus()
			.isAccepted()
			.expectBody(JsonNode.class)
			.returnResult()
			.getResponseBody();
		if (batch == null || batch.get("id") == null) {
			throw new IllegalStateException("batch refused for " + subscription);
		}
	}

	/** One store's figures over the run. */
	record StoreFigures(String store, long made, double quotaUse, int maxInWindow, int maxInFlight, long rateLimited) {

		static StoreFigures of(String id, StampedSimulator store, Duration duration) {
			var log = store.stats().callLog();
			long made = 0;
			if (!log.isEmpty()) {
				long first = log.get(0).arrivalNanos();
				made = log.stream().filter((call) -> call.arrivalNanos() - first < duration.toNanos()).count();
			}
			double permitted = LIMIT * duration.toSeconds() / (double) WINDOW.toSeconds();
			return new StoreFigures(id, made, made / permitted, store.stats().maxArrivalsInWindow(),
					store.stats().maxInFlight(), store.stats().rateLimited());
		}

	}

}

package io.stampedsync.cluster;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;

import io.stampedsync.GatewayApi;
import io.stampedsync.GatewayClients;
import io.stampedsync.StampedSyncApplication;
import io.stampedsync.TestSubscriptions;
import io.stampedsync.TestTokens;
import io.r2dbc.pool.ConnectionPool;
import io.r2dbc.spi.ConnectionFactory;
import io.r2dbc.spi.Wrapped;
import io.stampedsync.sandbox.StampedSimulator;
import org.awaitility.Awaitility;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.test.web.reactive.server.WebTestClient;

/** Several gateway replicas in one JVM, on one PostgreSQL schema, in distributed mode. */
public final class Replicas implements AutoCloseable {

	private final PostgresSchema schema;

	private final Path dataDir;

	private final Map<String, String> common = new HashMap<>();

	private final Map<String, ConfigurableApplicationContext> running = new LinkedHashMap<>();

	private final String leaseTime;

	public Replicas(PostgresSchema schema, Path dataDir, Duration leaseTime) {
		this.schema = schema;
		this.dataDir = dataDir;
		this.leaseTime = leaseTime.toMillis() + "ms";
	}

	/** A subscription every replica knows, on {@code simulator}, with overrides. */
	public Replicas subscription(String id, StampedSimulator simulator, Map<String, String> overrides) {
		String prefix = "stamped-sync.subscriptions." + id + ".";
		this.common.put(prefix + "api-url", simulator.baseUrl());
		this.common.put(prefix + "api-public-key", TestSubscriptions.PUBLIC_KEY);
		this.common.put(prefix + "api-private-key", TestSubscriptions.PRIVATE_KEY);
		this.common.put(prefix + "api-store-hash", TestSubscriptions.STORE_HASH);
		overrides.forEach((name, value) -> this.common.put(prefix + name, value));
		return this;
	}

	/** A property every replica started from now on gets. */
	public Replicas property(String name, String value) {
		this.common.put(name, value);
		return this;
	}

	public ConfigurableApplicationContext start(String replicaId) {
		List<String> args = new ArrayList<>();
		Map<String, String> properties = new HashMap<>(this.schema.properties());
		// Its connections carry its name, so that a crash can cut them all (crash).
		properties.put("spring.r2dbc.url", properties.get("spring.r2dbc.url") + "&applicationName=" + replicaId);
		properties.putAll(this.common);
		properties.put("server.port", "0");
		properties.put("management.server.port", "0");
		properties.put("stamped-sync.data-dir", this.dataDir.resolve(replicaId).toString());
		properties.put("stamped-sync.security.allow-loopback-urls", "true");
		properties.put("stamped-sync.cluster.enabled", "true");
		properties.put("stamped-sync.cluster.replica-id", replicaId);
		properties.put("stamped-sync.cluster.lease-time", this.leaseTime);
		properties.forEach((name, value) -> args.add("--" + name + "=" + value));
		args.addAll(TestTokens.arguments());
		ConfigurableApplicationContext context = new SpringApplicationBuilder(StampedSyncApplication.class)
			.run(args.toArray(String[]::new));
		this.running.put(replicaId, context);
		return context;
	}

	/** Stops a replica gracefully: it hands its leases over as it goes. */
	public void stop(String replicaId) {
		ConfigurableApplicationContext context = this.running.remove(replicaId);
		if (context != null) {
			context.close();
		}
	}

	/** The replicas started and not stopped, killed or closed. */
	public List<String> running() {
		return List.copyOf(this.running.keySet());
	}

	public ConfigurableApplicationContext context(String replicaId) {
		return this.running.get(replicaId);
	}

	public WebTestClient client(String replicaId) {
		return GatewayClients.admin(context(replicaId)).responseTimeout(Duration.ofSeconds(60)).build();
	}

	/** The API of a running replica, as its administrator. */
	public GatewayApi api(String replicaId) {
		return new GatewayApi(client(replicaId));
	}

	/** A running replica other than {@code replicaId}. */
	public String otherThan(String replicaId) {
		return running().stream().filter((replica) -> !replica.equals(replicaId)).findFirst().orElseThrow();
	}

	/**
	 * The replica that owns the subscription, once one does: one read for the wait and
	 * the answer, as the lease may change hands between two.
	 */
	public String awaitOwner(String subscriptionId) {
		return Awaitility.await()
			.atMost(Duration.ofSeconds(60))
			.until(() -> owners().get(subscriptionId), Objects::nonNull);
	}

	/** Kills a replica without any hand-over: its leases run out on their own. */
	void kill(String replicaId) {
		ConfigurableApplicationContext context = this.running.remove(replicaId);
		context.getBean(LeaseOwnership.class).halt();
		this.halted.add(context);
	}

	private final List<ConfigurableApplicationContext> halted = new ArrayList<>();

	private final Map<String, CompletableFuture<Void>> crashed = new HashMap<>();

	/**
	 * Crashes a replica, as a process that dies at once (SIGKILL, an OOM kill, a lost
	 * node) would: from this call on it writes nothing more to PostgreSQL, releases no
	 * lease and stores nothing it held in memory (outcomes not yet written, events, the
	 * leases it renews). Its connection pool is closed so that it opens no new
	 * connection, then PostgreSQL terminates every connection it still has, by its
	 * application name, as it does with the connections of a process that died: a
	 * transaction in progress rolls back, its LISTEN ends. Its context is then closed in
	 * the background, only to free this JVM: its lifecycle stop runs, but every hand-over
	 * it attempts (flushing outcomes, releasing leases, leaving the replica table) meets
	 * a closed pool and fails, so its leases run out on their own and the next owner
	 * sends again the records it had not stored. Its dispatchers stop on that close
	 * (calls out finish first): a real crash would cut those calls off, which for a store
	 * is a call applied whose answer went nowhere, the same as a call that ends after the
	 * cut. Unlike {@link #kill} (a replica cut off from the database that stops on its
	 * own clock and still writes when it can), nothing reaches the journal after this.
	 */
	public void crash(String replicaId) {
		ConfigurableApplicationContext context = this.running.remove(replicaId);
		ConnectionFactory connections = context.getBean(ConnectionFactory.class);
		Object inner = connections;
		while (!(inner instanceof ConnectionPool) && inner instanceof Wrapped<?> wrapped) {
			inner = wrapped.unwrap();
		}
		if (!(inner instanceof ConnectionPool pool)) {
			throw new IllegalStateException("no connection pool in " + connections);
		}
		pool.disposeLater().subscribe();
		Awaitility.await("connections of crashed " + replicaId + " gone")
			.atMost(Duration.ofSeconds(30))
			.until(() -> terminate(replicaId) == 0);
		this.crashed.put(replicaId, CompletableFuture.runAsync(context::close));
	}

	/**
	 * Starts a replica again after a crash, once the crashed one is gone from this JVM.
	 */
	public void restartAfterCrash(String replicaId) {
		CompletableFuture<Void> gone = this.crashed.remove(replicaId);
		if (gone != null) {
			gone.join();
		}
		start(replicaId);
	}

	/** Terminates the replica's connections; says how many it still had. */
	private int terminate(String replicaId) {
		return this.schema
			.query("SELECT pg_terminate_backend(pid) AS t FROM pg_stat_activity WHERE application_name = '" + replicaId
					+ "' AND pid <> pg_backend_pid()")
			.size();
	}

	/** Owner of each subscription with a live lease. */
	public Map<String, String> owners() {
		Map<String, String> owners = new HashMap<>();
		this.schema.query("SELECT subscription_id, owner FROM subscription_lease WHERE expires_at >= now()")
			.forEach((row) -> owners.put((String) row.get("subscription_id"), (String) row.get("owner")));
		return owners;
	}

	/** Every lease row, expired or not: subscription → owner. */
	public Map<String, String> leases() {
		Map<String, String> leases = new HashMap<>();
		this.schema.query("SELECT subscription_id, owner FROM subscription_lease")
			.forEach((row) -> leases.put((String) row.get("subscription_id"), (String) row.get("owner")));
		return leases;
	}

	@Override
	public void close() {
		this.running.values().forEach(ConfigurableApplicationContext::close);
		this.running.clear();
		this.halted.forEach(ConfigurableApplicationContext::close);
		this.halted.clear();
		this.crashed.values().forEach(CompletableFuture::join);
		this.crashed.clear();
	}

}

package io.stampedsync.faults;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.IntStream;
import java.util.stream.LongStream;

import io.stampedsync.GatewayApi;
import io.stampedsync.batch.DispatcherManager;
import io.stampedsync.sandbox.Fault;
import io.stampedsync.sandbox.IpaasEndpoint;
import io.stampedsync.sandbox.IpaasSimulator;
import io.stampedsync.sandbox.StampedEndpoint;
import io.stampedsync.sandbox.StampedSimulator;
import io.stampedsync.testing.Customers;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.EntityExchangeResult;
import org.springframework.test.web.reactive.server.WebTestClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * One seeded run of the whole gateway tortured: the gateway (one process, or replicas on
 * PostgreSQL) runs against the Stamped.io and iPaaS.com simulators while they inject
 * faults (resets, no answer after a create was applied, 429, 503, garbled 2xx, no answer
 * at all, 401s). Over the HTTP API only, 1 to 3 subscriptions get random bulk batches and
 * Manual Syncs, settings changes (keys, Concurrent Connections, Concurrent Batch
 * Executions, throttle limit), key rotations that leave calls of the old keys in flight,
 * wrong keys, verifies, cancels and deletes with {@code ?cancelBatches=true}; in some
 * seeds a process is stopped and started again on the same journal in the middle of it
 * all (or, with replicas, one crashes). Right after each delete, no process holds the
 * subscription's dispatcher or lease. After the run: no API call answered a 5xx; every
 * record of every batch has exactly one outcome, or is pending only in a batch of a
 * subscription whose current keys are wrong; once they are fixed, every batch ends and a
 * fresh batch on each surviving subscription completes; per email, a create is applied
 * once unless the simulator lost the answer to one; no dispatcher holds work or a record
 * out, each surviving subscription has exactly one owner and every dispatcher runs under
 * its lease; monitoring shows every surviving subscription healthy with nothing waiting.
 */
final class GatewayTorture {

	static final int SLOTS = 3;

	static final String STORE_HASH = "torture-store";

	static final String IPAAS_TOKEN = "ipaas-torture-token-0001";

	static final JsonMapper JSON = JsonMapper.builder().build();

	/** One Stamped.io store per subscription slot, so that each has keys of its own. */
	static List<StampedSimulator> stampedStores() {
		return IntStream.range(0, SLOTS)
			.mapToObj((slot) -> new StampedSimulator(STORE_HASH, publicKey(1), privateKey(1)).start())
			.toList();
	}

	static IpaasSimulator ipaasSystem() {
		return new IpaasSimulator(IPAAS_TOKEN).start();
	}

	static String publicKey(int version) {
		return "pubkey-torture-" + version;
	}

	static String privateKey(int version) {
		return "key-torture-private-" + version;
	}

	/** The seeds to run: the one {@code <prefix>.seed}, or {@code <prefix>.seeds}. */
	static LongStream seeds(String prefix, long byDefault) {
		String one = System.getProperty(prefix + ".seed");
		return (one != null) ? LongStream.of(Long.parseLong(one))
				: LongStream.range(0, Long.getLong(prefix + ".seeds", byDefault));
	}

	final List<StampedSimulator> stamped;

	final IpaasSimulator ipaas;

	final TortureGateway gateway;

	final String rerun;

	final long seed;

	final Random random;

	final Map<String, Sub> subs = new LinkedHashMap<>();

	final List<Submitted> batches = new ArrayList<>();

	/** The keys version each simulator accepts now. */
	final int[] accepted = new int[SLOTS];

	final List<String> trace = new CopyOnWriteArrayList<>();

	final List<String> serverErrors = new CopyOnWriteArrayList<>();

	int nextKeys = 2;

	/**
	 * @param rerun the property that runs this seed alone, for the failure message
	 */
	GatewayTorture(long seed, List<StampedSimulator> stamped, IpaasSimulator ipaas, TortureGateway gateway,
			String rerun) {
		this.seed = seed;
		this.random = new Random(seed);
		this.stamped = stamped;
		this.ipaas = ipaas;
		this.gateway = gateway;
		this.rerun = rerun;
	}

	void run() {
		try {
			prepareSimulators();
			this.gateway.start(properties());
			int count = 1 + this.random.nextInt(SLOTS);
			for (int slot = 0; slot < count; slot++) {
				Sub sub = new Sub("t" + this.seed + "-" + slot, slot, this.random.nextBoolean());
				sub.connections = 1 + this.random.nextInt(4);
				sub.batchExecutions = 1 + this.random.nextInt(3);
				sub.limit = 20 + this.random.nextInt(500);
				this.subs.put(sub.id, sub);
				put(sub);
			}
			boolean restart = this.seed % 2 == 1 || this.random.nextInt(4) == 0;
			int steps = 8 + this.random.nextInt(10);
			int restartAt = restart ? 3 + this.random.nextInt(steps - 3) : -1;
			for (int step = 0; step < steps; step++) {
				if (step == restartAt) {
					restartGateway();
				}
				else {
					act();
				}
				awaitSomeProgress();
			}
			settleAndCheck();
		}
		catch (Throwable failure) {
			throw new AssertionError("gateway torture seed " + this.seed + " failed (rerun with -D" + this.rerun + "="
					+ this.seed + "):\n  " + String.join("\n  ", this.trace), failure);
		}
		finally {
			this.gateway.close();
		}
	}

	private void prepareSimulators() {
		for (int slot = 0; slot < SLOTS; slot++) {
			StampedSimulator store = this.stamped.get(slot);
			store.faults().clear();
			store.store().clear();
			store.stats().reset();
			UnseenCreates.SHARED.clear();
			store.noRateLimit();
			store.credentials(publicKey(1), privateKey(1));
			store.latency(Duration.ofMillis(this.random.nextInt(15)));
			this.accepted[slot] = 1;
			double rate = 0.01 + this.random.nextDouble() * 0.06;
			long faultSeed = this.seed * 31 + slot;
			store.faults()
				.randomly(rate, Fault.status(503), faultSeed)
				.randomly(rate, Fault.reset(), faultSeed + 1)
				.randomly(rate / 4, Fault.tooManyRequests(Duration.ofSeconds(1)), faultSeed + 2)
				.randomly(rate / 2, Fault.tooManyRequests(), faultSeed + 3)
				.randomly(rate / 4, Fault.noResponse(), faultSeed + 4)
				.randomly(rate, StampedEndpoint.CREATE, Fault.resetAfterApplied(), faultSeed + 5)
				.randomly(rate / 4, StampedEndpoint.CREATE, Fault.noResponseAfterApplied(), faultSeed + 6)
				.randomly(rate, StampedEndpoint.CREATE, Fault.malformedJson(), faultSeed + 7)
				.randomly(rate / 2, StampedEndpoint.UPDATE, Fault.malformedJson(), faultSeed + 8);
		}
		this.ipaas.faults().clear();
		this.ipaas.stats().reset();
		this.ipaas.noRateLimit();
		this.ipaas.latency(Duration.ofMillis(this.random.nextInt(10)));
		double rate = 0.01 + this.random.nextDouble() * 0.06;
		long faultSeed = this.seed * 37;
		this.ipaas.faults()
			.randomly(rate, Fault.status(503), faultSeed)
			.randomly(rate, Fault.reset(), faultSeed + 1)
			.randomly(rate / 2, Fault.tooManyRequests(), faultSeed + 2)
			.randomly(rate / 4, Fault.noResponse(), faultSeed + 3)
			.randomly(rate, IpaasEndpoint.GET_CUSTOMER, Fault.malformedJson(), faultSeed + 4)
			.randomly(rate, IpaasEndpoint.UPDATE_EXTERNAL_ID, Fault.resetAfterApplied(), faultSeed + 5);
	}

	private static List<String> properties() {
		return List.of("server.port=0", "management.server.port=0", "stamped-sync.security.allow-loopback-urls=true",
				"spring.reactor.netty.shutdown-quiet-period=0s", "stamped-sync.outbound.response-timeout=500ms",
				"stamped-sync.outbound.max-attempts=4", "stamped-sync.outbound.min-backoff=10ms",
				"stamped-sync.outbound.max-backoff=100ms", "stamped-sync.outbound.max-retry-after=1s",
				"stamped-sync.outbound.rate-limit-cool-down=300ms");
	}

	private void restartGateway() {
		String restarted = this.gateway.restart(this.random);
		note(restarted);
		// Which seeds stopped or crashed a process, for whoever counts the runs.
		System.out.println("gateway torture seed " + this.seed + ": " + restarted);
	}

	private List<DispatcherManager> dispatchers() {
		return this.gateway.dispatchers();
	}

	private String pauseReason(String subscriptionId) {
		return dispatchers().stream()
			.map((dispatchers) -> dispatchers.pauseReason(subscriptionId))
			.filter(Objects::nonNull)
			.findFirst()
			.orElse(null);
	}

	private void act() {
		List<Sub> live = live();
		int choice = this.random.nextInt(100);
		if (live.isEmpty() || choice < 35) {
			submitBulk(pick(live));
		}
		else if (choice < 48) {
			manualSync(pick(live));
		}
		else if (choice < 60) {
			changeLimits(pick(live));
		}
		else if (choice < 78) {
			changeKeys(pick(live));
		}
		else if (choice < 84) {
			verify(pick(live));
		}
		else if (choice < 95) {
			cancelOne();
		}
		else {
			delete(pick(live));
		}
	}

	// A submit to a deleted subscription is part of the torture: it must be a 404.
	private void submitBulk(Sub sub) {
		Sub target = (sub != null) ? sub : this.subs.values().iterator().next();
		int size = 1 + this.random.nextInt(25);
		List<String> lines = new ArrayList<>();
		for (int i = 0; i < size; i++) {
			int customer = this.random.nextInt(40);
			String id = target.id + "-c" + customer;
			lines.add(Customers.customer(id)
				.email(id + "@example.com")
				.firstName("F" + customer)
				.lastName("L" + this.random.nextInt(3))
				.json());
		}
		String query = (this.random.nextInt(5) == 0) ? "?force=true" : "";
		EntityExchangeResult<byte[]> answer = call(HttpMethod.POST,
				"/api/v1/subscriptions/" + target.id + "/batches" + query, GatewayApi.NDJSON,
				String.join("\n", lines) + "\n");
		accepted(target, "bulk", answer);
	}

	private void manualSync(Sub sub) {
		if (sub == null || !sub.ipaas) {
			submitBulk(sub);
			return;
		}
		int size = 1 + this.random.nextInt(12);
		Set<String> ids = new LinkedHashSet<>();
		for (int i = 0; i < size; i++) {
			ids.add(Long.toString(sub.firstIpaasId(this.seed) + this.random.nextInt(30)));
		}
		String body = JSON.writeValueAsString(Map.of("ids", List.copyOf(ids), "debug", this.random.nextInt(4) == 0));
		EntityExchangeResult<byte[]> answer = call(HttpMethod.POST, "/api/v1/subscriptions/" + sub.id + "/manual-sync",
				MediaType.APPLICATION_JSON, body);
		accepted(sub, "manual", answer);
	}

	private void accepted(Sub sub, String kind, EntityExchangeResult<byte[]> answer) {
		int status = answer.getStatus().value();
		if (sub.deleted) {
			assertThat(status).as("submit to deleted %s", sub.id).isEqualTo(404);
			return;
		}
		assertThat(status).as("submit to %s", sub.id).isEqualTo(202);
		JsonNode batch = JSON.readTree(answer.getResponseBody());
		Submitted submitted = new Submitted(batch.get("id").asString(), sub, batch.get("total").asInt());
		this.batches.add(submitted);
		note(kind + " " + submitted.id + " on " + sub.id + " (" + submitted.total + " records)");
	}

	private void changeLimits(Sub sub) {
		switch (this.random.nextInt(3)) {
			case 0 -> sub.connections = 1 + this.random.nextInt(4);
			case 1 -> sub.batchExecutions = 1 + this.random.nextInt(3);
			default -> sub.limit = 20 + this.random.nextInt(500);
		}
		note("limits of " + sub.id + ": C=" + sub.connections + " CBE=" + sub.batchExecutions + " L=" + sub.limit);
		put(sub);
	}

	/**
	 * Rotates keys (the store first or the gateway first, so calls of the old keys meet
	 * 401s around the change), breaks them on either side, or fixes them.
	 */
	private void changeKeys(Sub sub) {
		int choice = this.random.nextInt(4);
		if (choice == 0) {
			int keys = this.nextKeys++;
			boolean storeFirst = this.random.nextBoolean();
			note("rotate keys of " + sub.id + " to " + keys + (storeFirst ? ", store first" : ", gateway first"));
			if (storeFirst) {
				accept(sub.slot, keys);
			}
			sub.keys = keys;
			put(sub);
			if (!storeFirst) {
				accept(sub.slot, keys);
			}
		}
		else if (choice == 1) {
			sub.keys = this.nextKeys++;
			note("wrong keys " + sub.keys + " for " + sub.id);
			put(sub);
		}
		else if (choice == 2) {
			int keys = this.nextKeys++;
			note("store of " + sub.id + " now takes keys " + keys + " only");
			accept(sub.slot, keys);
		}
		else {
			fixKeys(sub);
		}
	}

	private void fixKeys(Sub sub) {
		if (sub.keys == this.accepted[sub.slot]) {
			return;
		}
		if (this.random.nextBoolean()) {
			note("fix keys of " + sub.id + " in the store, then verify");
			accept(sub.slot, sub.keys);
			verify(sub);
		}
		else {
			note("fix keys of " + sub.id + " with a PUT");
			sub.keys = this.accepted[sub.slot];
			put(sub);
		}
	}

	private void accept(int slot, int keys) {
		this.accepted[slot] = keys;
		this.stamped.get(slot).credentials(publicKey(keys), privateKey(keys));
	}

	private void verify(Sub sub) {
		EntityExchangeResult<byte[]> answer = call(HttpMethod.POST, "/api/v1/subscriptions/" + sub.id + "/verify", null,
				null);
		note("verify " + sub.id + ": " + answer.getStatus().value());
		assertThat(answer.getStatus().value()).as("verify %s", sub.id).isEqualTo(200);
	}

	private void cancelOne() {
		if (this.batches.isEmpty()) {
			return;
		}
		Submitted batch = this.batches.get(this.random.nextInt(this.batches.size()));
		EntityExchangeResult<byte[]> answer = call(HttpMethod.DELETE, "/api/v1/batches/" + batch.id, null, null);
		note("cancel " + batch.id + ": " + answer.getStatus().value());
	}

	private void delete(Sub sub) {
		boolean cancelBatches = this.random.nextInt(4) != 0;
		EntityExchangeResult<byte[]> answer = call(HttpMethod.DELETE,
				"/api/v1/subscriptions/" + sub.id + (cancelBatches ? "?cancelBatches=true" : ""), null, null);
		int status = answer.getStatus().value();
		note("delete " + sub.id + (cancelBatches ? " cancelling its batches" : "") + ": " + status);
		if (cancelBatches) {
			assertThat(status).as("delete %s", sub.id).isEqualTo(204);
		}
		else {
			assertThat(status).as("delete %s", sub.id).isIn(204, 409);
		}
		sub.deleted = status == 204;
		if (sub.deleted) {
			// Right after the delete (a restart later would rebuild every dispatcher and
			// hide one left behind): no process holds its dispatcher or its lease.
			await("dispatcher and lease of deleted " + sub.id + " gone").atMost(this.gateway.retireWithin())
				.untilAsserted(() -> this.gateway.assertRetired(sub.id));
		}
	}

	private void put(Sub sub) {
		Map<String, Object> settings = new LinkedHashMap<>();
		settings.put("apiUrl", this.stamped.get(sub.slot).baseUrl());
		settings.put("apiPublicKey", publicKey(sub.keys));
		settings.put("apiPrivateKey", privateKey(sub.keys));
		settings.put("apiStoreHash", STORE_HASH);
		settings.put("concurrentConnections", sub.connections);
		settings.put("concurrentBatchExecutions", sub.batchExecutions);
		settings.put("apiThrottleLimit", sub.limit);
		settings.put("apiThrottleSeconds", 1);
		if (sub.ipaas) {
			settings.put("ipaasApiUrl", this.ipaas.baseUrl());
			settings.put("ipaasApiToken", IPAAS_TOKEN);
			settings.put("ipaasSystemId", sub.systemId(this.seed));
			settings.put("ipaasThrottleLimit", 1000);
			settings.put("ipaasThrottleSeconds", 1);
		}
		EntityExchangeResult<byte[]> answer = call(HttpMethod.PUT, "/api/v1/subscriptions/" + sub.id,
				MediaType.APPLICATION_JSON, JSON.writeValueAsString(settings));
		assertThat(answer.getStatus().is2xxSuccessful()).as("PUT %s: %s", sub.id, answer.getStatus()).isTrue();
	}

	/**
	 * Lets the gateway work between two actions: until the stores have seen a few more
	 * calls, or the gateway has nothing it may do (every subscription with work is
	 * paused).
	 */
	private void awaitSomeProgress() {
		long target = calls() + 1 + this.random.nextInt(15);
		await("progress of seed " + this.seed).atMost(Duration.ofSeconds(60))
			.pollInterval(Duration.ofMillis(20))
			.until(() -> calls() >= target || dispatchers().stream()
				.allMatch((dispatchers) -> dispatchers.busySubscriptions()
					.stream()
					.allMatch((id) -> dispatchers.pauseReason(id) != null)));
	}

	private long calls() {
		return this.stamped.stream().mapToLong((store) -> store.stats().total()).sum() + this.ipaas.stats().total();
	}

	/**
	 * Faults off, then the checks: records of batches that cannot end wait only for wrong
	 * current keys; with the keys fixed everything ends once; a fresh batch completes on
	 * every surviving subscription; nothing is left behind.
	 */
	private void settleAndCheck() {
		note("settle");
		this.stamped.forEach((store) -> store.faults().clear());
		this.ipaas.faults().clear();
		await("batches of seed " + this.seed + " settled").atMost(Duration.ofSeconds(120))
			.pollInterval(Duration.ofMillis(100))
			.until(() -> this.batches.stream().allMatch(this::settled));
		assertThat(this.gateway.unfinishedWithNothingPending()).as("batches unfinished with nothing left to send")
			.isEmpty();
		for (Submitted batch : this.batches) {
			JsonNode view = batch(batch.id);
			if (isFinal(view)) {
				assertOneOutcomePerRecord(batch);
			}
			else {
				assertThat(batch.sub.keys).as("keys of %s, whose batch %s waits", batch.sub.id, batch.id)
					.isNotEqualTo(this.accepted[batch.sub.slot]);
				assertAtMostOneOutcomePerRecord(batch);
				assertThat(results(batch.id)).as("results of waiting %s", batch.id).hasSizeLessThan(batch.total);
			}
		}
		for (Sub sub : live()) {
			if (sub.keys != this.accepted[sub.slot]) {
				fixKeys(sub);
			}
		}
		await("batches of seed " + this.seed + " final").atMost(Duration.ofSeconds(120))
			.pollInterval(Duration.ofMillis(100))
			.until(() -> this.batches.stream().allMatch((batch) -> isFinal(batch(batch.id))));
		for (Submitted batch : this.batches) {
			assertOneOutcomePerRecord(batch);
			if (batch.sub.deleted) {
				assertThat(batch(batch.id).get("status").asString()).as("batch %s of a deleted subscription", batch.id)
					.isIn("cancelled", "completed", "completed_with_errors");
			}
		}
		List<Submitted> fresh = new ArrayList<>();
		for (Sub sub : live()) {
			submitBulk(sub);
			fresh.add(this.batches.get(this.batches.size() - 1));
		}
		for (Submitted batch : fresh) {
			await("fresh batch " + batch.id).atMost(Duration.ofSeconds(60))
				.pollInterval(Duration.ofMillis(100))
				.until(() -> batch(batch.id).get("status").asString(), "completed"::equals);
			assertOneOutcomePerRecord(batch);
		}
		assertCreatesPerEmail();
		await("dispatchers idle").atMost(Duration.ofSeconds(30))
			.until(() -> dispatchers().stream()
				.allMatch((dispatchers) -> dispatchers.inFlight() == 0 && dispatchers.busySubscriptions().isEmpty()));
		await("no dispatcher or lease left behind").atMost(this.gateway.retireWithin())
			.untilAsserted(() -> this.gateway.assertOwnership(ids(live()),
					ids(this.subs.values().stream().filter((sub) -> sub.deleted).toList())));
		await("monitoring healthy").atMost(Duration.ofSeconds(30)).untilAsserted(this::assertMonitoringIdle);
		assertThat(this.serverErrors).as("API calls answered 5xx").isEmpty();
	}

	private boolean settled(Submitted batch) {
		JsonNode view = batch(batch.id);
		if (isFinal(view)) {
			return true;
		}
		// A batch may wait only for keys that are wrong now, and only once the
		// dispatcher holding it is paused for them; one with every record ended
		// never waits (its end may still be on its way).
		String status = view.get("status").asString();
		return !batch.sub.deleted && batch.sub.keys != this.accepted[batch.sub.slot]
				&& pauseReason(batch.sub.id) != null && (status.equals("paused") || status.equals("queued"))
				&& results(batch.id).size() < batch.total;
	}

	private void assertOneOutcomePerRecord(Submitted batch) {
		List<JsonNode> results = results(batch.id);
		assertThat(results).as("results of %s", batch.id).hasSize(batch.total);
		assertAtMostOneOutcomePerRecord(batch);
	}

	private void assertAtMostOneOutcomePerRecord(Submitted batch) {
		List<JsonNode> results = results(batch.id);
		assertThat(results.stream().map((result) -> result.get("index").asInt()).distinct().count())
			.as("distinct indexes of %s", batch.id)
			.isEqualTo(results.size());
		assertThat(results).allSatisfy((result) -> {
			assertThat(result.get("index").asInt()).isBetween(0, batch.total - 1);
			assertThat(GatewayApi.TERMINAL).as("outcome of %s", result).contains(result.path("outcome").asString(""));
		});
	}

	/**
	 * Per email of each store, a create is applied once, plus once for each create of
	 * that record whose success the gateway did not see (DESIGN.md §5: a replay merges by
	 * email, and the simulator counts it; {@link UnseenCreates}).
	 */
	private void assertCreatesPerEmail() {
		for (Sub sub : this.subs.values()) {
			StampedSimulator store = this.stamped.get(sub.slot);
			Map<String, Set<String>> customersByEmail = new LinkedHashMap<>();
			for (Submitted batch : this.batches) {
				if (batch.sub == sub) {
					results(batch.id).forEach((result) -> customersByEmail
						.computeIfAbsent(result.path("email").asString(""), (email) -> new LinkedHashSet<>())
						.add(result.path("ipaasCustomerId").asString("")));
				}
			}
			customersByEmail.forEach((email, customers) -> {
				int unseen = customers.stream().mapToInt((customer) -> UnseenCreates.SHARED.of(sub.id, customer)).sum();
				assertThat(store.store().creates(email)).as("creates of %s at the store of %s", email, sub.id)
					.isLessThanOrEqualTo(1 + unseen);
			});
		}
	}

	private static List<String> ids(List<Sub> subs) {
		return subs.stream().map((sub) -> sub.id).toList();
	}

	private void assertMonitoringIdle() {
		JsonNode monitoring = get("/api/v1/monitoring");
		Map<String, JsonNode> entries = new LinkedHashMap<>();
		monitoring.get("subscriptions").forEach((entry) -> entries.put(entry.get("subscriptionId").asString(), entry));
		for (Sub sub : this.subs.values()) {
			if (sub.deleted) {
				assertThat(entries).as("monitoring of deleted %s", sub.id).doesNotContainKey(sub.id);
				continue;
			}
			JsonNode entry = entries.get(sub.id);
			assertThat(entry).as("monitoring of %s", sub.id).isNotNull();
			assertThat(entry.get("health").asString()).as("health of %s: %s", sub.id, entry)
				.isIn("healthy", "cool-down");
			assertThat(entry.get("queuedBatches").asLong() + entry.get("runningBatches").asLong()
					+ entry.get("pausedBatches").asLong() + entry.get("recordsWaiting").asLong())
				.as("work left of %s: %s", sub.id, entry)
				.isZero();
		}
	}

	private static boolean isFinal(JsonNode view) {
		return Set.of("completed", "completed_with_errors", "cancelled").contains(view.get("status").asString());
	}

	private JsonNode batch(String id) {
		return get("/api/v1/batches/" + id);
	}

	private List<JsonNode> results(String id) {
		List<JsonNode> all = new ArrayList<>();
		for (int page = 0;; page++) {
			JsonNode body = get("/api/v1/batches/" + id + "/results?size=1000&page=" + page);
			List<JsonNode> items = body.get("items").valueStream().toList();
			all.addAll(items);
			if (items.size() < 1000) {
				return all;
			}
		}
	}

	private JsonNode get(String path) {
		EntityExchangeResult<byte[]> answer = call(HttpMethod.GET, path, null, null);
		assertThat(answer.getStatus().value()).as("GET %s", path).isEqualTo(200);
		return JSON.readTree(answer.getResponseBody());
	}

	/** Every API call of the run goes here, so that each status is seen. */
	private EntityExchangeResult<byte[]> call(HttpMethod method, String path, MediaType type, String body) {
		WebTestClient.RequestBodySpec request = this.gateway.client().method(method).uri(path);
		WebTestClient.RequestHeadersSpec<?> ready = (body != null) ? request.contentType(type).bodyValue(body)
				: request;
		EntityExchangeResult<byte[]> answer = ready.exchange().expectBody().returnResult();
		if (answer.getStatus().is5xxServerError()) {
			String problem = (answer.getResponseBody() != null) ? new String(answer.getResponseBody()) : "";
			this.serverErrors.add(method + " " + path + " → " + answer.getStatus() + " " + problem);
		}
		return answer;
	}

	private List<Sub> live() {
		return this.subs.values().stream().filter((sub) -> !sub.deleted).toList();
	}

	private Sub pick(List<Sub> live) {
		return live.isEmpty() ? null : live.get(this.random.nextInt(live.size()));
	}

	private void note(String line) {
		this.trace.add(line);
	}

	/** A subscription of a run, as the test set it. */
	static final class Sub {

		final String id;

		final int slot;

		final boolean ipaas;

		int keys = 1;

		int connections;

		int batchExecutions;

		int limit;

		boolean deleted;

		Sub(String id, int slot, boolean ipaas) {
			this.id = id;
			this.slot = slot;
			this.ipaas = ipaas;
		}

		long systemId(long seed) {
			return 1000 + seed * SLOTS + this.slot;
		}

		// Each subscription reads customers of its own, whose write-backs only it sees.
		long firstIpaasId(long seed) {
			return 500_000 + (seed * SLOTS + this.slot) * 100;
		}

	}

	/** A batch the API accepted. */
	record Submitted(String id, Sub sub, int total) {
	}

}

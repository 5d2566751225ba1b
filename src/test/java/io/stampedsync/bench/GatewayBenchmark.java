package io.stampedsync.bench;

import org.opentest4j.TestAbortedException;
import io.stampedsync.TestTokens;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

import io.stampedsync.StampedSyncApplication;
import io.stampedsync.TestSubscriptions;
import io.stampedsync.GatewayApi;
import io.stampedsync.faults.GatewayProcess;
import io.stampedsync.sandbox.CallRecord;
import io.stampedsync.sandbox.SimulatorOptions;
import io.stampedsync.sandbox.StampedSimulator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The benchmarks of DESIGN.md §8 against the sandbox's Stamped.io simulator on loopback:
 * {@code ./mvnw -B -Pbench verify} (profile {@code bench}: nothing else runs). Prints a
 * markdown table and writes {@code target/bench/results.{md,json}}. Shorter runs:
 * {@code -Dbench.duration=20} (seconds of the quota run), {@code -Dbench.scale=0.1}
 * (batch sizes), {@code -Dbench.only=quota,latency,cost,intake,calls,watchers}.
 */
class GatewayBenchmark {

	static final Duration DURATION = Duration.ofSeconds(Long.parseLong(property("bench.duration", "60")));

	static final double SCALE = Double.parseDouble(property("bench.scale", "1.0"));

	static final String ONLY = property("bench.only", "");

	static final int WATCHERS = Integer.parseInt(property("bench.watchers", "500"));

	@TempDir
	Path dataDir;

	@TempDir
	Path intakeDir;

	final BenchReport report = new BenchReport();

	final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

	final JsonMapper json = JsonMapper.builder().build();

	StampedSimulator stamped;

	int port;

	GatewayApi api;

	@Test
	void runsTheBenchmarksOfTheDesign() throws Exception {
		this.report.note("duration", DURATION.toSeconds() + " s");
		this.report.note("scale", SCALE);
		this.report.note("cores", Runtime.getRuntime().availableProcessors());
		this.report.note("java", System.getProperty("java.vm.name") + " " + System.getProperty("java.version"));
		this.stamped = new StampedSimulator(TestSubscriptions.STORE_HASH, TestSubscriptions.PUBLIC_KEY,
				TestSubscriptions.PRIVATE_KEY, SimulatorOptions.defaults().withCallLogCapacity(250_000))
			.start();
		try {
			if (wanted("quota") || wanted("latency") || wanted("cost") || wanted("calls") || wanted("watchers")) {
				try (ConfigurableApplicationContext gateway = startGateway()) {
					this.port = ((WebServerApplicationContext) gateway).getWebServer().getPort();
					this.api = GatewayApi.onPort(this.port);
					run("quota", this::quota);
					run("latency", this::latencyHiding);
					run("cost", this::gatewayCost);
					run("calls", this::callsPerCustomer);
					run("watchers", this::watchers);
				}
			}
			run("intake", this::intake);
			run("cluster", this::cluster);
		}
		finally {
			this.stamped.close();
			String table = this.report.markdown();
			System.out.println("\n" + table);
			this.report.write(Path.of(property("bench.out", "target/bench")));
		}
	}

	/** 1) L/W = 100 per 10 s, 2 connections: calls made against calls permitted. */
	void quota() throws Exception {
		reset();
		this.stamped.rateLimit(100, Duration.ofSeconds(10));
		this.stamped.latency(Duration.ofMillis(20));
		int customers = (int) (10 * DURATION.toSeconds() * 1.2) + 20;
		String id = post("quota", "quota-", customers);
		while (this.stamped.stats().callLog().isEmpty()) {
			GatewayApi.sleep(10);
		}
		long first = this.stamped.stats().callLog().get(0).arrivalNanos();
		GatewayApi.sleep(Math.max(0, (first + DURATION.toNanos() - System.nanoTime()) / 1_000_000));
		cancel(id);
		long made = this.stamped.stats()
			.callLog()
			.stream()
			.filter((call) -> call.arrivalNanos() - first < DURATION.toNanos())
			.count();
		double permitted = 100.0 * DURATION.toSeconds() / 10;
		this.report.add("1 quota 100/10s C=2", "calls made in " + DURATION.toSeconds() + " s", made, "calls",
				permitted);
		this.report.add("1 quota 100/10s C=2", "most calls in any 10 s", this.stamped.stats().maxArrivalsInWindow(),
				"calls", 100.0);
		this.report.add("1 quota 100/10s C=2", "429s", this.stamped.stats().rateLimited(), "responses", null);
		this.stamped.noRateLimit();
	}

	/** 2) Latency hiding: transfers/s over C/d with limits lifted. */
	void latencyHiding() throws Exception {
		for (int millis : new int[] { 50, 200 }) {
			for (int connections : new int[] { 2, 8 }) {
				reset();
				this.stamped.latency(Duration.ofMillis(millis));
				double ceiling = connections * 1000.0 / millis;
				long seconds = Math.max(5, DURATION.toSeconds() / 4);
				int customers = (int) Math.max(20, ceiling * seconds);
				String id = post("lat" + connections, "lat" + millis + "-" + connections + "-", customers);
				awaitEnd(id);
				List<Long> arrivals = this.stamped.stats()
					.callLog()
					.stream()
					.map(CallRecord::arrivalNanos)
					.sorted()
					.toList();
				double span = (arrivals.get(arrivals.size() - 1) - arrivals.get(0)) / 1e9;
				this.report.add("2 latency " + millis + " ms C=" + connections, "transfers/s",
						(arrivals.size() - 1) / span, "/s", ceiling);
			}
		}
	}

	/** 3) Gateway cost: limits lifted, no latency, C = 64, 100,000 customers. */
	void gatewayCost() throws Exception {
		reset();
		this.stamped.latency(Duration.ZERO);
		int customers = (int) (100_000 * SCALE);
		resetHeapPeaks();
		long intakeStart = System.nanoTime();
		String id = post("cost", "cost-", customers);
		double intakeSeconds = (System.nanoTime() - intakeStart) / 1e9;
		long cpuStart = cpuNanos();
		long start = System.nanoTime();
		JsonNode batch = awaitEnd(id);
		double seconds = (System.nanoTime() - start) / 1e9;
		double cpu = (cpuNanos() - cpuStart) / 1e9;
		double rate = batch.get("done").asLong() / seconds;
		String scenario = "3 cost C=64 " + customers + " customers";
		this.report.add(scenario, "transfers/s (journaled)", rate, "/s", 4500.0);
		this.report.add(scenario, "CPU seconds per 10,000 transfers (whole JVM: gateway + stub + client)",
				cpu / (customers / 10_000.0), "s", null);
		this.report.add(scenario, "intake of the batch body", customers / intakeSeconds, "records/s", 50_000.0);
		this.report.add(scenario, "peak heap (sum of pool peaks)", heapPeakMegabytes(), "MB", 256.0);
	}

	/** 5) Calls per customer: a first sync, then the same customers again. */
	void callsPerCustomer() throws Exception {
		reset();
		this.stamped.latency(Duration.ZERO);
		int customers = (int) (10_000 * SCALE);
		awaitEnd(post("calls", "calls-", customers));
		long first = this.stamped.stats().total();
		awaitEnd(post("calls", "calls-", customers));
		long again = this.stamped.stats().total() - first;
		this.report.add("5 calls per customer", "first sync of " + customers, (double) first / customers,
				"calls/customer", 1.0);
		this.report.add("5 calls per customer", "unchanged re-send", (double) again / customers, "calls/customer",
				null);
	}

	/**
	 * 6) Watchers: transfers/s without and with many SSE clients, and their event lag.
	 */
	void watchers() throws Exception {
		reset();
		this.stamped.latency(Duration.ofMillis(5));
		int customers = (int) Math.max(1000, 5000 * SCALE);
		double alone = rate(awaitEnd(post("watch", "alone-", customers)));
		String id = post("watch", "watched-", customers);
		double watched;
		long[] lags;
		long failed;
		try (Watchers watchers = new Watchers(this.port, WATCHERS)) {
			watchers.watch(id);
			watched = rate(awaitEnd(id));
			GatewayApi.sleep(2000);
			Map<Integer, Instant> finished = new HashMap<>();
			for (JsonNode result : this.api.results(id)) {
				finished.put(result.get("index").asInt(), Instant.parse(result.get("finishedAt").asString()));
			}
			lags = watchers.lags(finished);
			failed = watchers.failed();
		}
		String scenario = "6 watchers C=8 5 ms " + customers + " customers";
		this.report.add(scenario, "transfers/s without watchers", alone, "/s", null);
		this.report.add(scenario, "transfers/s with " + WATCHERS + " watchers", watched, "/s", alone);
		if (lags.length > 0) {
			this.report.add(scenario, "event lag p50", lags[lags.length / 2], "ms", null);
			this.report.add(scenario, "event lag p99", lags[(int) (lags.length * 0.99)], "ms", 100.0);
		}
		this.report.add(scenario, "record events received", lags.length, "events", (double) WATCHERS * customers);
		this.report.add(scenario, "watcher streams failed", failed, "streams", null);
	}

	/** 4) Intake of a 1,000,000-record NDJSON batch by a gateway JVM capped at 256 MB. */
	void intake() throws Exception {
		int records = (int) (1_000_000 * SCALE);
		String prefix = "--stamped-sync.subscriptions.intake.";
		List<String> arguments = new ArrayList<>(GatewayProcess.gatewayArguments(this.intakeDir.toFile()));
		// Keys the simulator refuses: the dispatcher pauses at its first call, so the
		// figure is the intake's own.
		arguments.addAll(List.of(prefix + "api-url=" + this.stamped.baseUrl(), prefix + "api-public-key=wrong",
				prefix + "api-private-key=wrong-key", prefix + "api-store-hash=" + TestSubscriptions.STORE_HASH,
				"--logging.level.root=WARN"));
		try (GatewayProcess gateway = GatewayProcess.start(intakeJvmOptions(), arguments,
				Path.of("target", "bench", "intake-gateway.log"))) {
			AtomicLong peak = new AtomicLong();
			Thread sampler = new Thread(() -> sampleHeap(gateway.managementPort(), peak), "heap-sampler");
			sampler.setDaemon(true);
			sampler.start();
			long start = System.nanoTime();
			AtomicLong bodyBytes = new AtomicLong();
			HttpResponse<String> response = this.http.send(HttpRequest
				.newBuilder(URI.create("http://127.0.0.1:" + gateway.port() + "/api/v1/subscriptions/intake/batches"))
				.header("Content-Type", "application/x-ndjson")
				.header("Authorization", TestTokens.bearer(TestTokens.ADMIN))
				.timeout(Duration.ofMinutes(30))
				.POST(HttpRequest.BodyPublishers
					.ofInputStream(() -> new CountingInputStream(new NdjsonBody("intake-", records), bodyBytes)))
				.build(), HttpResponse.BodyHandlers.ofString());
			double seconds = (System.nanoTime() - start) / 1e9;
			sampler.interrupt();
			String scenario = "4 intake " + records + " records, -Xmx256m";
			this.report.add(scenario, "answer", response.statusCode(), "HTTP status", 202.0);
			this.report.add(scenario, "records/s into the journal", records / seconds, "records/s", 50_000.0);
			this.report.add(scenario, "peak heap used (sampled every 200 ms)", peak.get() / 1e6, "MB", 256.0);
			this.report.add(scenario, "gateway alive, no OutOfMemoryError",
					(gateway.isAlive() && !gateway.output().contains("OutOfMemoryError")) ? 1 : 0, "yes=1", 1.0);
			// A graceful stop, so that a recording asked for with -Dbench.intakeJvm is
			// written (and the journal file is complete before it is measured).
			gateway.stop(Duration.ofSeconds(60));
			long journalBytes = directorySize(this.intakeDir);
			this.report.add(scenario, "journal on disk per record", journalBytes / (double) records, "bytes", null);
			this.report.add(scenario, "journal on disk / body", journalBytes / (double) bodyBytes.get(), "x", 2.0);
		}
	}

	private static long directorySize(Path directory) throws IOException {
		try (Stream<Path> files = Files.walk(directory)) {
			return files.filter(Files::isRegularFile).mapToLong((file) -> file.toFile().length()).sum();
		}
	}

	/** Counts the bytes read through it. */
	private static final class CountingInputStream extends FilterInputStream {

		private final AtomicLong count;

		CountingInputStream(InputStream in, AtomicLong count) {
			super(in);
			this.count = count;
		}

		@Override
		public int read() throws IOException {
			int read = super.read();
			if (read >= 0) {
				this.count.incrementAndGet();
			}
			return read;
		}

		@Override
		public int read(byte[] buffer, int offset, int length) throws IOException {
			int read = super.read(buffer, offset, length);
			if (read > 0) {
				this.count.addAndGet(read);
			}
			return read;
		}

	}

	/**
	 * The intake gateway's JVM options; {@code -Dbench.intakeJvm} adds some (e.g. a JFR
	 * recording), separated by spaces.
	 */
	private static List<String> intakeJvmOptions() {
		List<String> options = new ArrayList<>(List.of("-Xmx256m", "-XX:+ExitOnOutOfMemoryError"));
		String extra = System.getProperty("bench.intakeJvm", "").trim();
		if (!extra.isEmpty()) {
			options.addAll(List.of(extra.split("\\s+")));
		}
		return options;
	}

	private void sampleHeap(int managementPort, AtomicLong peak) {
		HttpRequest request = HttpRequest
			.newBuilder(URI
				.create("http://127.0.0.1:" + managementPort + "/actuator/metrics/jvm.memory.used?tag=area:heap"))
			.timeout(Duration.ofSeconds(5))
			.build();
		while (!Thread.currentThread().isInterrupted()) {
			try {
				JsonNode metric = this.json
					.readTree(this.http.send(request, HttpResponse.BodyHandlers.ofString()).body());
				peak.accumulateAndGet((long) metric.at("/measurements/0/value").asDouble(), Math::max);
				Thread.sleep(200);
			}
			catch (InterruptedException ex) {
				return;
			}
			catch (Exception ex) {
				// the gateway is busy or gone; try again
			}
		}
	}

	/** 7) Distributed mode: 3 replicas, 30 stores; needs the local PostgreSQL. */
	void cluster() {
		try {
			new ClusterScenario(this.report, this.dataDir.resolve("cluster"), DURATION).run();
		}
		catch (TestAbortedException ex) {
			this.report.note("cluster", "skipped: " + ex.getMessage());
		}
	}

	private ConfigurableApplicationContext startGateway() {
		List<String> arguments = new ArrayList<>(
				List.of("--server.port=0", "--management.server.port=0", "--stamped-sync.data-dir=" + this.dataDir,
						"--stamped-sync.security.allow-loopback-urls=true", "--logging.level.root=WARN"));
		arguments.addAll(TestTokens.arguments());
		subscription(arguments, "quota", 2, 100, 10);
		subscription(arguments, "lat2", 2, 1_000_000, 1);
		subscription(arguments, "lat8", 8, 1_000_000, 1);
		subscription(arguments, "cost", 64, 1_000_000, 1);
		subscription(arguments, "calls", 8, 1_000_000, 1);
		subscription(arguments, "watch", 8, 1_000_000, 1);
		// The watchers scenario opens hundreds of streams with one token.
		arguments.add("--stamped-sync.security.max-sse-per-token=" + (WATCHERS + 10));
		return new SpringApplicationBuilder(StampedSyncApplication.class).run(arguments.toArray(String[]::new));
	}

	private void subscription(List<String> arguments, String id, int connections, int limit, int seconds) {
		String prefix = "--stamped-sync.subscriptions." + id + ".";
		arguments.addAll(List.of(prefix + "api-url=" + this.stamped.baseUrl(),
				prefix + "api-public-key=" + TestSubscriptions.PUBLIC_KEY,
				prefix + "api-private-key=" + TestSubscriptions.PRIVATE_KEY,
				prefix + "api-store-hash=" + TestSubscriptions.STORE_HASH,
				prefix + "concurrent-connections=" + connections, prefix + "api-throttle-limit=" + limit,
				prefix + "api-throttle-seconds=" + seconds));
	}

	/** Streams {@code count} new customers as NDJSON; answers the batch id. */
	private String post(String subscription, String prefix, int count) throws Exception {
		HttpResponse<String> response = this.http.send(HttpRequest
			.newBuilder(
					URI.create("http://127.0.0.1:" + this.port + "/api/v1/subscriptions/" + subscription + "/batches"))
			.header("Content-Type", "application/x-ndjson")
			.header("Authorization", TestTokens.bearer(TestTokens.ADMIN))
			.timeout(Duration.ofMinutes(10))
			.POST(HttpRequest.BodyPublishers.ofInputStream(() -> new NdjsonBody(prefix, count)))
			.build(), HttpResponse.BodyHandlers.ofString());
		if (response.statusCode() != 202) {
			throw new IllegalStateException("batch refused: " + response.statusCode() + " " + response.body());
		}
		return this.json.readTree(response.body()).get("id").asString();
	}

	/**
	 * Waits for the batch to end; a batch whose count of finished records stops moving
	 * for a minute is reported as stalled and the run goes on.
	 */
	private JsonNode awaitEnd(String id) {
		long done = -1;
		long lastMove = System.nanoTime();
		while (true) {
			JsonNode batch = this.api.batch(id);
			String status = batch.get("status").asString();
			if (List.of("completed", "completed_with_errors", "cancelled").contains(status)) {
				return batch;
			}
			if (batch.get("done").asLong() != done) {
				done = batch.get("done").asLong();
				lastMove = System.nanoTime();
			}
			else if (System.nanoTime() - lastMove > Duration.ofMinutes(1).toNanos()) {
				this.report.add(
						"STALLED batch " + id, "records done when it stopped moving (simulator saw "
								+ this.stamped.stats().total() + " calls)",
						done, "records", batch.get("total").asDouble());
				return batch;
			}
			GatewayApi.sleep(100);
		}
	}

	private void cancel(String id) throws Exception {
		this.http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + this.port + "/api/v1/batches/" + id))
			.header("Authorization", TestTokens.bearer(TestTokens.ADMIN))
			.DELETE()
			.build(), HttpResponse.BodyHandlers.discarding());
		this.api.awaitFinal(id, Duration.ofMinutes(2));
	}

	private void reset() {
		this.stamped.noRateLimit();
		this.stamped.faults().clear();
		this.stamped.store().clear();
		this.stamped.stats().reset();
	}

	private static double rate(JsonNode batch) {
		if (batch.get("finishedAt") == null) {
			return Double.NaN;
		}
		Instant started = Instant.parse(batch.get("startedAt").asString());
		Instant finished = Instant.parse(batch.get("finishedAt").asString());
		return batch.get("done").asLong() / (Duration.between(started, finished).toNanos() / 1e9);
	}

	private static long cpuNanos() {
		return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
			.getProcessCpuTime();
	}

	private static void resetHeapPeaks() {
		heapPools().forEach(MemoryPoolMXBean::resetPeakUsage);
	}

	private static double heapPeakMegabytes() {
		return heapPools().stream().mapToLong((pool) -> pool.getPeakUsage().getUsed()).sum() / 1e6;
	}

	private static List<MemoryPoolMXBean> heapPools() {
		return ManagementFactory.getMemoryPoolMXBeans()
			.stream()
			.filter((pool) -> pool.getType() == MemoryType.HEAP)
			.toList();
	}

	private void run(String name, Step step) throws Exception {
		if (!wanted(name)) {
			return;
		}
		long start = System.nanoTime();
		step.run();
		this.report.note("time of " + name, Duration.ofNanos(System.nanoTime() - start).toSeconds() + " s");
	}

	private static boolean wanted(String name) {
		return ONLY.isBlank() || Arrays.asList(ONLY.split(",")).contains(name);
	}

	private static String property(String name, String fallback) {
		String value = System.getProperty(name);
		return (value == null || value.isBlank()) ? fallback : value;
	}

	private interface Step {

		void run() throws Exception;

	}

}

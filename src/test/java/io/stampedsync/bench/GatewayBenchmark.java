package io.stampedsync.bench;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
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

import io.stampedsync.GatewayApi;
import io.stampedsync.StampedSyncApplication;
import io.stampedsync.TestSubscriptions;
import io.stampedsync.TestTokens;
import io.stampedsync.faults.GatewayProcess;
import io.stampedsync.sandbox.CallRecord;
import io.stampedsync.sandbox.SimulatorOptions;
import io.stampedsync.sandbox.StampedSimulator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opentest4j.TestAbortedException;
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
 * (batch sizes),
 * {@code -Dbench.only=quota,latency,cost,intake,calls,watchers,compare,cluster}; the
 * warm-up batch of cost and compare: {@code -Dbench.warmup=5000} (customers, 0: none).
 *
 * <p>
 * Quota, latency and calls run the gateway and the simulator in this JVM: their figures
 * are counts and times at the simulator. Cost, watchers, intake and compare measure CPU
 * and heap: there the gateway is the packaged jar in a child JVM, the simulator a process
 * of its own ({@link StubProcess}, one for the whole run), and only the load client runs
 * here.
 */
class GatewayBenchmark {

	static final Duration DURATION = Duration.ofSeconds(Long.parseLong(property("bench.duration", "60")));

	static final double SCALE = Double.parseDouble(property("bench.scale", "1.0"));

	static final String ONLY = property("bench.only", "");

	static final int WATCHERS = Integer.parseInt(property("bench.watchers", "500"));

	/** Customers of the warm-up batch before the measured one of cost and compare. */
	static final int WARMUP = WarmUp.customers(System.getProperty("bench.warmup"));

	static final int COMPARE_CUSTOMERS = Integer.parseInt(property("bench.compareCustomers", "20000"));

	static final Path OUT = Path.of(property("bench.out", "target/bench"));

	@TempDir
	Path dataDir;

	@TempDir
	Path intakeDir;

	@TempDir
	Path childDirs;

	final BenchReport report = new BenchReport();

	final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

	final JsonMapper json = JsonMapper.builder().build();

	StampedSimulator stamped;

	StubProcess stub;

	int port;

	GatewayApi api;

	/** When each call of the in-JVM gateway got its permit (its start). */
	final QuotaTrace.Permits permits = new QuotaTrace.Permits();

	@Test
	void runsTheBenchmarksOfTheDesign() throws Exception {
		this.report.note("duration", DURATION.toSeconds() + " s");
		this.report.note("scale", SCALE);
		this.report.note("cores", Runtime.getRuntime().availableProcessors());
		this.report.note("java", System.getProperty("java.vm.name") + " " + System.getProperty("java.version"));
		this.report.note("load average at the start", loadAverage());
		this.stamped = new StampedSimulator(TestSubscriptions.STORE_HASH, TestSubscriptions.PUBLIC_KEY,
				TestSubscriptions.PRIVATE_KEY, SimulatorOptions.defaults().withCallLogCapacity(250_000))
			.start();
		try {
			if (wanted("quota") || wanted("latency") || wanted("calls")) {
				try (ConfigurableApplicationContext gateway = startGateway()) {
					this.port = ((WebServerApplicationContext) gateway).getWebServer().getPort();
					this.api = GatewayApi.of(gateway);
					run("quota", this::quota);
					run("latency", this::latencyHiding);
					run("calls", this::callsPerCustomer);
				}
			}
			this.stamped.close();
			if (wanted("cost") || wanted("watchers") || wanted("intake") || wanted("compare")) {
				this.stub = StubProcess.start(OUT.resolve("stub.log"));
				run("cost", this::gatewayCost);
				run("watchers", this::watchers);
				run("intake", this::intake);
				run("compare", this::compare);
			}
			run("cluster", this::cluster);
		}
		finally {
			this.stamped.close();
			if (this.stub != null) {
				this.stub.close();
			}
			this.report.note("load average at the end", loadAverage());
			String table = this.report.markdown();
			System.out.println("\n" + table);
			this.report.write(OUT);
		}
	}

	/**
	 * 1) Quota use at C = 2 and 20 ms latency against a strict sliding window, for each
	 * limit L per W the gateway is held to: calls made against calls permitted.
	 */
	void quota() throws Exception {
		quota("quota20", 20, 2, 0.99);
		quota("quota30", 30, 3, 0.99);
		quota("quota500", 500, 60, 0.998);
	}

	private void quota(String subscription, int limit, int windowSeconds, double target) throws Exception {
		reset();
		this.stamped.rateLimit(limit, Duration.ofSeconds(windowSeconds));
		this.stamped.latency(Duration.ofMillis(20));
		// At least two windows, so that the run measures pacing, not the first burst.
		Duration duration = DURATION.compareTo(Duration.ofSeconds(2L * windowSeconds)) < 0
				? Duration.ofSeconds(2L * windowSeconds) : DURATION;
		double permitted = (double) limit * duration.toSeconds() / windowSeconds;
		int customers = (int) (permitted * 1.2) + 20;
		String id = post(subscription, subscription + "-", customers);
		while (this.stamped.stats().callLog().isEmpty()) {
			GatewayApi.sleep(10);
		}
		long first = this.stamped.stats().callLog().get(0).arrivalNanos();
		GatewayApi.sleep(Math.max(0, (first + duration.toNanos() - System.nanoTime()) / 1_000_000));
		cancel(id);
		List<Long> arrivals = this.stamped.stats()
			.callLog()
			.stream()
			.map(CallRecord::arrivalNanos)
			.filter((arrival) -> arrival - first < duration.toNanos())
			.sorted()
			.toList();
		List<Long> permitLog = this.permits.of(subscription);
		QuotaTrace.write(OUT.resolve("quota-" + limit + "-" + windowSeconds + ".csv"), first,
				this.stamped.stats().callLog(), permitLog);
		String scenario = "1 quota " + limit + "/" + windowSeconds + "s C=2 20 ms";
		this.report.add(scenario,
				"quota use: W ÷ mean time from a call's arrival to the arrival of the call L after it (target " + target
						+ ")",
				QuotaTrace.steadyUse(arrivals, limit, Duration.ofSeconds(windowSeconds)), "ratio", target);
		this.report.add(scenario, "calls made in " + duration.toSeconds() + " s (L·D/W = " + (long) permitted
				+ "; up to L·⌈D/W⌉ is legal)", arrivals.size(), "calls", null);
		this.report.add(scenario, "most calls in any " + windowSeconds + " s",
				this.stamped.stats().maxArrivalsInWindow(), "calls", (double) limit);
		this.report.add(scenario, "429s", this.stamped.stats().rateLimited(), "responses", null);
		QuotaTrace.maxLagMillis(permitLog, this.stamped.stats().callLog())
			.ifPresent((lag) -> this.report.add(scenario,
					"lag from a call's permit to its arrival at the simulator, max (n-th permit to n-th arrival)", lag,
					"ms", null));
		this.stamped.noRateLimit();
	}

	/**
	 * 2) Latency hiding: transfers/s over C/d with limits lifted, after a warm-up batch
	 * without latency (the JIT's thresholds are counts of calls: a fresh JVM's first
	 * batch measures the interpreter between two calls, not the gateway's pipeline).
	 */
	void latencyHiding() throws Exception {
		if (WARMUP > 0) {
			reset();
			this.stamped.latency(Duration.ZERO);
			awaitEnd(post("lat8", "latwarm-", WARMUP));
			long pid = ProcessHandle.current().pid();
			Duration settled = WarmUp.awaitQuiet(() -> ProcessCpu.seconds(pid), Duration.ofMillis(500),
					Duration.ofSeconds(30));
			this.report.note("warm-up of latency", WARMUP + " customers at C = 8 without latency, then "
					+ settled.toMillis() + " ms until this JVM used under " + WarmUp.QUIET_SHARE + " of a core");
		}
		for (int millis : new int[] { 50, 200 }) {
			for (int connections : new int[] { 2, 8 }) {
				reset();
				this.stamped.latency(Duration.ofMillis(millis));
				double ceiling = connections * 1000.0 / millis;
				long seconds = Math.max(5, DURATION.toSeconds() / 4);
				int customers = (int) Math.max(20, ceiling * seconds);
				long posted = System.nanoTime();
				String subscription = "lat" + connections;
				String id = post(subscription, "lat" + millis + "-" + connections + "-", customers);
				awaitEnd(id);
				List<Long> arrivals = this.stamped.stats()
					.callLog()
					.stream()
					.map(CallRecord::arrivalNanos)
					.sorted()
					.toList();
				// The subscription's permits of this run only: it ran at the other
				// latency too.
				QuotaTrace.write(OUT.resolve("latency-" + millis + "-" + connections + ".csv"), arrivals.get(0),
						this.stamped.stats().callLog(),
						this.permits.of(subscription).stream().filter((permit) -> permit >= posted).toList());
				double span = (arrivals.get(arrivals.size() - 1) - arrivals.get(0)) / 1e9;
				this.report.add("2 latency " + millis + " ms C=" + connections, "transfers/s",
						(arrivals.size() - 1) / span, "/s", ceiling);
			}
		}
	}

	/**
	 * 3) Gateway cost: limits lifted, no latency, C = 64, 100,000 × scale customers; the
	 * gateway's process alone. A warm-up batch of other customers runs first in the same
	 * process: its figures are the cold ones, the measured batch's the steady ones.
	 */
	void gatewayCost() throws Exception {
		this.stub.reset();
		int customers = (int) (100_000 * SCALE);
		try (GatewayProcess gateway = childGateway("cost", List.of(), List.of(subscription("cost", 64)));
				HeapSampler heap = new HeapSampler(gateway.managementPort())) {
			String scenario = "3 cost C=64 " + customers + " customers";
			warmUp(gateway, "cost", scenario, "");
			BatchRun run = runBatch(gateway, "cost", "cost-", customers);
			String window = (WARMUP > 0) ? "measured batch, after the warm-up" : "first batch, fresh JVM";
			this.report.add(scenario, "transfers/s (journaled), 202 to final status, " + window,
					run.perSecondFromAccepted(), "/s", 4500.0);
			this.report.add(scenario, "transfers/s (journaled), POST to final status, " + window, run.perSecond(), "/s",
					4500.0);
			this.report.add(scenario,
					"gateway CPU seconds per 10,000 transfers (its process alone, POST to final), " + window,
					run.gatewayCpuPer10k(), "s", 4.0);
			this.report.add(scenario, "stub CPU seconds per 10,000 transfers, " + window, run.stubCpuPer10k(), "s",
					null);
			this.report.add(scenario, "intake of the batch body, " + window, run.intakePerSecond(), "records/s",
					50_000.0);
			this.report.add(scenario, "gateway peak heap used (sampled every 200 ms, -Xmx256m)", heap.peakMegabytes(),
					"MB", 256.0);
			stopGracefully(gateway);
		}
	}

	/**
	 * The warm-up batch of {@code bench.warmup} customers (ids of their own) in a fresh
	 * gateway, reported as the cold rows of {@code scenario} (each figure's name after
	 * {@code figure}); then the wait until the gateway is quiet, so that the JIT's work
	 * on what the warm-up ran falls outside the measured window.
	 */
	private void warmUp(GatewayProcess gateway, String subscription, String scenario, String figure) throws Exception {
		if (WARMUP == 0) {
			this.report.note("warm-up", "none: the measured batch is the first of a fresh JVM");
			return;
		}
		BatchRun cold = runBatch(gateway, subscription, "warm-" + subscription + "-", WARMUP);
		String window = "cold: warm-up batch of " + WARMUP + " customers, fresh JVM";
		this.report.add(scenario, figure + "transfers/s (journaled), POST to final status, " + window, cold.perSecond(),
				"/s", null);
		this.report.add(scenario,
				figure + "gateway CPU seconds per 10,000 transfers (its process alone, POST to final), " + window,
				cold.gatewayCpuPer10k(), "s", null);
		Duration settled = WarmUp.awaitQuiet(() -> ProcessCpu.seconds(gateway.pid()), Duration.ofMillis(500),
				Duration.ofSeconds(30));
		this.report.note("warm-up of " + subscription, WARMUP + " customers, then " + settled.toMillis()
				+ " ms until the gateway used under " + WarmUp.QUIET_SHARE + " of a core");
	}

	/**
	 * Posts one batch of {@code customers} new customers to a child gateway and waits for
	 * its end; the CPU of the gateway and of the stub from just before the POST to just
	 * after the final status.
	 */
	private BatchRun runBatch(GatewayProcess gateway, String subscription, String prefix, int customers)
			throws Exception {
		CpuWindow window = CpuWindow.start(gateway.pid());
		double gatewayCpu = ProcessCpu.seconds(gateway.pid());
		double stubCpu = this.stub.cpuSeconds();
		long postStart = System.nanoTime();
		String id = post(gateway.port(), subscription, prefix, customers);
		long accepted = System.nanoTime();
		JsonNode batch = awaitEnd(gateway.api(), id);
		long end = System.nanoTime();
		BatchRun run = new BatchRun(customers, batch.get("done").asLong(), postStart, accepted, end,
				ProcessCpu.seconds(gateway.pid()) - gatewayCpu, this.stub.cpuSeconds() - stubCpu);
		// To cut a flight recording of the gateway (bench.gatewayJvm) to this batch.
		window.note(this.report, "batch " + prefix + " (" + customers + ")");
		return run;
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
	 * 6) Watchers: transfers/s and gateway CPU without and with many SSE clients (in this
	 * JVM), their event lag, and what as many clients of the batch once ended cost.
	 */
	void watchers() throws Exception {
		this.stub.reset();
		this.stub.latency(5);
		int customers = (int) Math.max(1000, 5000 * SCALE);
		// The watchers open hundreds of streams with one token.
		List<List<String>> arguments = List.of(subscription("watch", 8),
				List.of("--stamped-sync.security.max-sse-per-token=" + (WATCHERS + 10)));
		try (GatewayProcess gateway = childGateway("watchers", List.of(), arguments)) {
			GatewayApi api = gateway.api();
			// A first batch, watched, warms the fresh JVM up (JIT), the watchers' path
			// included, so that the CPU of the batch alone and of the watched one differ
			// by the watchers' cost only, not by compiling the code that serves them.
			String warm = post(gateway.port(), "watch", "warm-", customers);
			try (Watchers watchers = new Watchers(gateway.port(), WATCHERS)) {
				watchers.watch(warm);
				awaitEnd(api, warm);
				watchers.awaitDeliveries((long) WATCHERS * customers, Duration.ofSeconds(5));
			}
			CpuWindow window = CpuWindow.start(gateway.pid());
			double cpuStart = ProcessCpu.seconds(gateway.pid());
			double alone = rate(awaitEnd(api, post(gateway.port(), "watch", "alone-", customers)));
			double cpuAlone = ProcessCpu.seconds(gateway.pid()) - cpuStart;
			window.note(this.report, "watchers: batch alone");
			String id = post(gateway.port(), "watch", "watched-", customers);
			double watched;
			long[] lags;
			long[] lagsFromRequest;
			long failed;
			long delivered;
			long openMillis;
			double cpuWatched;
			long self = ProcessHandle.current().pid();
			double clientCpu;
			try (Watchers watchers = new Watchers(gateway.port(), WATCHERS)) {
				window = CpuWindow.start(gateway.pid());
				cpuStart = ProcessCpu.seconds(gateway.pid());
				double clientStart = ProcessCpu.seconds(self);
				watchers.watch(id);
				watched = rate(awaitEnd(api, id));
				long ended = System.nanoTime();
				// Until every watcher has every record event, or the deliveries stop
				// growing.
				watchers.awaitDeliveries((long) WATCHERS * customers, Duration.ofSeconds(5));
				clientCpu = ProcessCpu.seconds(self) - clientStart;
				this.report.note("watchers: ms from the final status to the last delivery (±100 ms)",
						(System.nanoTime() - ended) / 1_000_000);
				openMillis = watchers.allOpenMillis();
				this.report.note("watchers: ms from the first request to the last one's response headers",
						watchers.allRespondedMillis());
				this.report.note("watchers: load client (this JVM) CPU seconds, batch watched", clientCpu);
				cpuWatched = ProcessCpu.seconds(gateway.pid()) - cpuStart;
				window.note(this.report, "watchers: batch watched (until every event arrived)");
				Map<Integer, Long> finished = new HashMap<>();
				for (JsonNode result : api.results(id)) {
					finished.put(result.get("index").asInt(),
							Instant.parse(result.get("finishedAt").asString()).toEpochMilli());
				}
				lags = watchers.lags(finished);
				lagsFromRequest = watchers.lagsFromRequest(finished);
				failed = watchers.failed();
				delivered = watchers.received();
				if (failed > 0) {
					this.report.note("watchers: first failure", watchers.firstFailure());
				}
			}
			// As many watchers of the batch once it has ended (pages opened on it after
			// its
			// end, streams that resume late): what their replays cost the gateway, and
			// how
			// long until every one has every record event.
			double cpuEnded;
			long endedMillis;
			long endedDelivered;
			long endedFailed;
			try (Watchers late = new Watchers(gateway.port(), WATCHERS)) {
				double before = ProcessCpu.seconds(gateway.pid());
				long start = System.nanoTime();
				late.watch(id);
				late.awaitDeliveries((long) WATCHERS * customers, Duration.ofSeconds(5));
				endedMillis = (System.nanoTime() - start) / 1_000_000;
				cpuEnded = ProcessCpu.seconds(gateway.pid()) - before;
				endedDelivered = late.received();
				endedFailed = late.failed();
				if (endedFailed > 0) {
					this.report.note("watchers of the ended batch: first failure", late.firstFailure());
				}
			}
			// A graceful stop, so a flight recording asked for by bench.gatewayJvm is
			// written.
			gateway.stop(Duration.ofSeconds(60));
			String scenario = "6 watchers C=8 5 ms " + customers + " customers";
			this.report.add(scenario, "transfers/s without watchers", alone, "/s", null);
			this.report.add(scenario, "transfers/s with " + WATCHERS + " watchers", watched, "/s", alone * 0.8);
			this.report.add(scenario, "gateway CPU seconds, batch without watchers", cpuAlone, "s", null);
			this.report.add(scenario, "gateway CPU seconds, batch with watchers", cpuWatched, "s", null);
			if (delivered > 0) {
				this.report.add(scenario, "gateway CPU per delivered record event (with − without, ÷ events)",
						(cpuWatched - cpuAlone) * 1e6 / delivered, "µs", 3.0);
			}
			this.report.add(scenario, "ms from the watchers' requests to the last one's first event", openMillis, "ms",
					null);
			this.report.add(scenario, "live record events (finished once their watcher's stream was open)", lags.length,
					"events", null);
			if (lags.length > 0) {
				this.report.add(scenario, "event lag p50", lags[lags.length / 2], "ms", null);
				this.report.add(scenario, "event lag p99", lags[(int) (lags.length * 0.99)], "ms", 1000.0);
			}
			if (lagsFromRequest.length > 0) {
				this.report.add(scenario, "event lag p99 from the request (replay wait included)",
						lagsFromRequest[(int) (lagsFromRequest.length * 0.99)], "ms", null);
			}
			this.report.add(scenario, "record events received", delivered, "events", (double) WATCHERS * customers);
			this.report.add(scenario, "watcher streams failed", failed, "streams", null);
			this.report.add(scenario, "watchers of the ended batch: record events received", endedDelivered, "events",
					(double) WATCHERS * customers);
			this.report.add(scenario, "watchers of the ended batch: streams failed", endedFailed, "streams", null);
			this.report.add(scenario, "watchers of the ended batch: gateway CPU seconds", cpuEnded, "s", null);
			this.report.add(scenario, "watchers of the ended batch: ms until all had every record event", endedMillis,
					"ms", null);
		}
	}

	/** 4) Intake of a 1,000,000-record NDJSON batch by a gateway JVM capped at 256 MB. */
	void intake() throws Exception {
		int records = (int) (1_000_000 * SCALE);
		String prefix = "--stamped-sync.subscriptions.intake.";
		List<String> arguments = new ArrayList<>(GatewayProcess.gatewayArguments(this.intakeDir.toFile()));
		// Keys the simulator refuses: the dispatcher pauses at its first call, so the
		// figure is the intake's own.
		arguments.addAll(List.of(prefix + "api-url=" + this.stub.baseUrl(), prefix + "api-public-key=wrong",
				prefix + "api-private-key=wrong-key", prefix + "api-store-hash=" + TestSubscriptions.STORE_HASH,
				"--logging.level.root=WARN"));
		try (GatewayProcess gateway = GatewayProcess.start(intakeJvmOptions(), arguments,
				OUT.resolve("intake-gateway.log")); HeapSampler heap = new HeapSampler(gateway.managementPort())) {
			double cpuStart = ProcessCpu.seconds(gateway.pid());
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
			double cpu = ProcessCpu.seconds(gateway.pid()) - cpuStart;
			double peak = heap.peakMegabytes();
			String scenario = "4 intake " + records + " records, -Xmx256m";
			this.report.add(scenario, "answer", response.statusCode(), "HTTP status", 202.0);
			this.report.add(scenario, "records/s into the journal", records / seconds, "records/s", 50_000.0);
			// The figure a loaded machine moves least: 50,000 records/s on 2 cores
			// leaves at most 40 CPU seconds per million.
			this.report.add(scenario, "gateway CPU seconds per 1,000,000 records (POST to 202)", cpu / (records / 1e6),
					"s", 40.0);
			this.report.add(scenario, "peak heap used (sampled every 200 ms)", peak, "MB", 256.0);
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
		List<String> options = new ArrayList<>(CHILD_JVM);
		options.addAll(extraOptions("bench.intakeJvm"));
		return options;
	}

	/**
	 * Every child gateway's JVM options: the heap the targets name, and the collector of
	 * the documented start and of the image (docs/performance.md, Start-up). Without it
	 * the JVM picks G1 on these machines, whose barriers cost the gateway about a third
	 * more CPU per transfer than it uses as deployed (docs/performance.md, "Per-record
	 * cost").
	 */
	private static final List<String> CHILD_JVM = List.of("-Xmx256m", "-XX:+ExitOnOutOfMemoryError",
			"-XX:+UseSerialGC");

	/** JVM options given in a system property, separated by spaces. */
	private static List<String> extraOptions(String property) {
		String extra = System.getProperty(property, "").trim();
		return extra.isEmpty() ? List.of() : List.of(extra.split("\\s+"));
	}

	/**
	 * 8) One stub process, three clients of it, 20,000 customers each, limits lifted: raw
	 * HTTP on 16 connections (the stub's ceiling), the Camel peer at C = 64 (when
	 * {@code -Dbench.camelJar} names its jar) and the gateway journaling every record at
	 * C = 64.
	 */
	void compare() throws Exception {
		int customers = COMPARE_CUSTOMERS;
		String scenario = "8 compare " + customers + " customers, one stub";
		// A fresh stub JVM is cold: warm it up first so that the first client is not
		// the one that pays for its JIT.
		RawClient.run(this.stub.baseUrl(), Math.min(customers, 5000), 16);
		this.stub.reset();
		double stubCpu = this.stub.cpuSeconds();
		RawClient.Result raw = RawClient.run(this.stub.baseUrl(), customers, 16);
		stubCpu = this.stub.cpuSeconds() - stubCpu;
		this.report.add(scenario, "raw HTTP, 16 connections: transfers/s", raw.perSecond(), "/s", null);
		this.report.add(scenario, "raw HTTP: stub CPU seconds per 10,000", stubCpu / (raw.ok() / 10_000.0), "s", null);
		this.report.add(scenario, "raw HTTP: calls answered 200", raw.ok(), "calls", (double) customers);

		String camelJar = property("bench.camelJar", "");
		if (camelJar.isBlank() || !Files.isRegularFile(Path.of(camelJar))) {
			this.report.note("compare: Camel peer", camelJar.isBlank() ? CamelPeerRun.HOW_TO_BUILD
					: "skipped: no file " + camelJar + "; " + CamelPeerRun.HOW_TO_BUILD);
		}
		else {
			this.stub.reset();
			stubCpu = this.stub.cpuSeconds();
			CamelPeerRun.Result camel = CamelPeerRun.run(Path.of(camelJar), this.stub.baseUrl(),
					this.childDirs.resolve("camel"), customers, 64, OUT.resolve("camel-peer.log"));
			stubCpu = this.stub.cpuSeconds() - stubCpu;
			this.report.add(scenario, "Camel peer C=64: transfers/s (its route)", camel.perSecond(), "/s", null);
			this.report.add(scenario, "Camel peer: transfers/s (java -jar to exit)", camel.ok() / camel.wallSeconds(),
					"/s", null);
			this.report.add(scenario, "Camel peer: CPU seconds per 10,000 (its whole process, JVM start included)",
					camel.cpuSeconds() / (camel.ok() / 10_000.0), "s", null);
			this.report.add(scenario, "Camel peer: stub CPU seconds per 10,000", stubCpu / (camel.ok() / 10_000.0), "s",
					null);
			this.report.add(scenario, "Camel peer: customers created / failed", camel.ok(), "calls",
					(double) customers);
		}

		this.stub.reset();
		try (GatewayProcess gateway = childGateway("compare", List.of(), List.of(subscription("compare", 64)))) {
			warmUp(gateway, "compare", scenario, "Stamped Sync C=64: ");
			BatchRun run = runBatch(gateway, "compare", "compare-", customers);
			String window = (WARMUP > 0) ? "measured batch, after the warm-up" : "first batch, fresh JVM";
			this.report.add(scenario,
					"Stamped Sync C=64, journaling every record: transfers/s (POST to final status), " + window,
					run.perSecond(), "/s", 4500.0);
			this.report.add(scenario,
					"Stamped Sync: CPU seconds per 10,000 (the gateway process alone, POST to final status), " + window,
					run.gatewayCpuPer10k(), "s", 4.0);
			this.report.add(scenario, "Stamped Sync: stub CPU seconds per 10,000, " + window, run.stubCpuPer10k(), "s",
					null);
			this.report.add(scenario, "Stamped Sync: records done, " + window, run.done(), "records",
					(double) customers);
			stopGracefully(gateway);
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
		subscription(arguments, "quota20", 2, 20, 2);
		subscription(arguments, "quota30", 2, 30, 3);
		subscription(arguments, "quota500", 2, 500, 60);
		subscription(arguments, "lat2", 2, 1_000_000, 1);
		subscription(arguments, "lat8", 8, 1_000_000, 1);
		subscription(arguments, "calls", 8, 1_000_000, 1);
		return new SpringApplicationBuilder(StampedSyncApplication.class)
			.initializers((context) -> context.getBeanFactory().registerSingleton("benchPermits", this.permits))
			.run(arguments.toArray(String[]::new));
	}

	/**
	 * The packaged gateway in a child JVM ({@link #CHILD_JVM}, plus
	 * {@code -Dbench.gatewayJvm}) on a fresh data directory, against the stub process.
	 */
	private GatewayProcess childGateway(String name, List<String> jvmOptions, List<List<String>> argumentGroups)
			throws IOException {
		Path dataDir = Files.createDirectories(this.childDirs.resolve(name));
		List<String> arguments = new ArrayList<>(GatewayProcess.gatewayArguments(dataDir.toFile()));
		arguments.add("--logging.level.root=WARN");
		argumentGroups.forEach(arguments::addAll);
		List<String> options = new ArrayList<>(CHILD_JVM);
		options.addAll(jvmOptions);
		options.addAll(extraOptions("bench.gatewayJvm"));
		return GatewayProcess.start(options, arguments, OUT.resolve(name + "-gateway.log"));
	}

	/**
	 * SIGTERM after the figures are taken: a flight recording asked for with
	 * {@code -Dbench.gatewayJvm} is written only by a JVM that exits on its own.
	 */
	private static void stopGracefully(GatewayProcess gateway) {
		gateway.stop(Duration.ofSeconds(60));
	}

	/** A subscription on the stub process with limits lifted. */
	private List<String> subscription(String id, int connections) {
		List<String> arguments = new ArrayList<>();
		subscription(arguments, this.stub.baseUrl(), id, connections, 1_000_000, 1);
		return arguments;
	}

	private void subscription(List<String> arguments, String id, int connections, int limit, int seconds) {
		subscription(arguments, this.stamped.baseUrl(), id, connections, limit, seconds);
	}

	private static void subscription(List<String> arguments, String url, String id, int connections, int limit,
			int seconds) {
		String prefix = "--stamped-sync.subscriptions." + id + ".";
		arguments.addAll(List.of(prefix + "api-url=" + url, prefix + "api-public-key=" + TestSubscriptions.PUBLIC_KEY,
				prefix + "api-private-key=" + TestSubscriptions.PRIVATE_KEY,
				prefix + "api-store-hash=" + TestSubscriptions.STORE_HASH,
				prefix + "concurrent-connections=" + connections, prefix + "api-throttle-limit=" + limit,
				prefix + "api-throttle-seconds=" + seconds));
	}

	/** Streams {@code count} new customers as NDJSON; answers the batch id. */
	private String post(String subscription, String prefix, int count) throws Exception {
		return post(this.port, subscription, prefix, count);
	}

	private String post(int port, String subscription, String prefix, int count) throws Exception {
		HttpResponse<String> response = this.http.send(HttpRequest
			.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/v1/subscriptions/" + subscription + "/batches"))
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
		return awaitEnd(this.api, id);
	}

	private JsonNode awaitEnd(GatewayApi api, String id) {
		long done = -1;
		long lastMove = System.nanoTime();
		while (true) {
			JsonNode batch = api.batch(id);
			String status = batch.get("status").asString();
			if (List.of("completed", "completed_with_errors", "cancelled").contains(status)) {
				return batch;
			}
			if (batch.get("done").asLong() != done) {
				done = batch.get("done").asLong();
				lastMove = System.nanoTime();
			}
			else if (System.nanoTime() - lastMove > Duration.ofMinutes(1).toNanos()) {
				this.report.add("STALLED batch " + id, "records done when it stopped moving", done, "records",
						batch.get("total").asDouble());
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
		// Each run plays a store of its own: the window of the run before must not count.
		this.stamped.clearRateLimitWindow();
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

	private static String loadAverage() {
		try {
			return Files.readString(Path.of("/proc/loadavg")).trim();
		}
		catch (IOException ex) {
			return "unknown";
		}
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

package io.stampedsync.batch;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import java.util.stream.IntStream;
import java.util.stream.LongStream;
import java.util.stream.Stream;

import io.stampedsync.outbound.ErrorCode;
import io.stampedsync.outbound.OutboundCallException;
import io.stampedsync.stamped.StampedClient;
import io.stampedsync.stamped.StampedClients;
import io.stampedsync.subscription.Secret;
import io.stampedsync.subscription.SubscriptionSettings;
import io.stampedsync.transfer.CustomerLink;
import io.stampedsync.transfer.CustomerMapper;
import io.stampedsync.transfer.CustomerSource;
import io.stampedsync.transfer.IpaasCustomer;
import io.stampedsync.transfer.LinkStore;
import io.stampedsync.transfer.MappingResult;
import io.stampedsync.transfer.Outcome;
import io.stampedsync.transfer.PayloadCustomerSource;
import io.stampedsync.transfer.ScriptedStampedClient;
import io.stampedsync.transfer.TransferRequest;
import io.stampedsync.transfer.TransferResult;
import io.stampedsync.transfer.TransferService;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.dao.DataAccessResourceFailureException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The dispatcher tortured: per seed, 1 to 3 subscriptions run random batches (shared
 * customers, debug batches, fetched and bulk records) through the real
 * {@link TransferService} while faults hit every stage (stored payload, iPaaS.com fetch,
 * mapping, link read and write, Stamped.io calls and hangs, event JSON, journal reads,
 * starts and writes), settings change (keys, C, CBE, L), batches are cancelled and the
 * dispatchers are restarted over the same journal (a restart of the application). After
 * each run: every record has exactly one outcome, or is pending only in a batch paused
 * for current wrong credentials; no two records of a customer ever ran at once; a fresh
 * batch on each subscription with good keys completes; nothing is left out or running.
 * <p>
 * 200 seeds by default; {@code -Dtorture.seeds=5000} runs more, {@code -Dtorture.seed=N}
 * runs the one seed a failure names.
 */
class DispatcherTortureTests {

	static final JsonMapper JSON = JsonMapper.builder().build();

	/** How long a restart lets the calls out finish before it drops them. */
	static final Duration GRACE = Duration.ofMillis(300);

	/**
	 * How long the settling waits without a new outcome before it lets the watchdog see
	 * two minutes pass: a hung call holds its record until then. Waking the watchdog
	 * while records still move is harmless (it restarts the pipeline, which the torture
	 * does at random anyway).
	 */
	static final Duration STILL = Duration.ofMillis(100);

	@TestFactory
	Stream<DynamicTest> everyRecordEndsOnceWhateverFails() {
		String one = System.getProperty("torture.seed");
		LongStream seeds = (one != null) ? LongStream.of(Long.parseLong(one))
				: LongStream.range(0, Long.getLong("torture.seeds", 200));
		return seeds.mapToObj((seed) -> DynamicTest.dynamicTest("seed " + seed, () -> new World(seed).run()));
	}

	/** One seeded run. */
	static final class World {

		final long seed;

		final Random random;

		final MemoryJournal journal = new MemoryJournal();

		/** Shared by the runs before and after each restart: nobody follows it here. */
		final BatchEventBus bus = new BatchEventBus();

		final AtomicLong nanoOffset = new AtomicLong();

		final Map<String, Sub> subs = new LinkedHashMap<>();

		final Map<String, CustomerLink> links = new ConcurrentHashMap<>();

		final Map<String, Set<Long>> busyCustomers = new ConcurrentHashMap<>();

		final List<long[]> overlaps = new CopyOnWriteArrayList<>();

		final Map<Long, String> callOwners = new ConcurrentHashMap<>();

		final List<String> violations = new CopyOnWriteArrayList<>();

		final List<String> trace = new CopyOnWriteArrayList<>();

		int generation;

		final List<String> batchIds = new ArrayList<>();

		final AtomicInteger journalFaults = new AtomicInteger();

		final AtomicInteger hangs = new AtomicInteger();

		final AtomicLong faultCounter = new AtomicLong();

		final double faultRate;

		volatile boolean calm;

		BatchLog log;

		TransferService transfers;

		int batchCount;

		World(long seed) {
			this.seed = seed;
			this.random = new Random(seed);
			this.faultRate = 0.02 + this.random.nextDouble() * 0.15;
			this.journalFaults.set(this.random.nextInt(6));
			this.hangs.set(this.random.nextInt(2));
			this.journal.failWhen((operation) -> !this.calm && fault() && this.journalFaults.getAndDecrement() > 0);
		}

		void run() {
			try {
				this.log = newLog();
				this.transfers = new TransferService(customers(), mapper(), linkStore(), stamped(),
						(settings, id, stampedId) -> Mono.empty(), Clock.systemUTC());
				int subscriptions = 1 + this.random.nextInt(3);
				for (int i = 0; i < subscriptions; i++) {
					Sub sub = new Sub("s" + i, settings("s" + i, 1));
					this.subs.put(sub.id, sub);
					sub.dispatcher = dispatcher(sub);
				}
				int steps = 6 + this.random.nextInt(10);
				for (int step = 0; step < steps; step++) {
					act();
					pause(this.random.nextInt(15));
				}
				settle();
				check();
			}
			catch (AssertionError | RuntimeException ex) {
				throw new AssertionError(
						"seed " + this.seed + " (rerun with -Dtorture.seed=" + this.seed + "): " + ex.getMessage(), ex);
			}
			finally {
				this.subs.values().forEach((sub) -> sub.dispatcher.halt());
				this.bus.close();
			}
		}

		private void act() {
			Sub sub = pick(live());
			int roll = this.random.nextInt(100);
			if (roll < 45 || this.batchIds.isEmpty()) {
				submit(sub, 1 + this.random.nextInt(20), this.random.nextInt(10) == 0 ? 1 : 0);
			}
			else if (roll < 60) {
				String batchId = pick(this.batchIds);
				Batch batch = this.journal.find(batchId).block();
				Sub owner = this.subs.get(batch.subscriptionId());
				boolean held = !owner.deleted && owner.dispatcher.cancel(batchId);
				if (!held && !this.journal.status(batchId).isFinal()) {
					this.violations.add("unfinished batch " + batchId + " not held by its dispatcher");
				}
			}
			else if (roll < 80) {
				// Keys, C, CBE and L: any may change; keys may turn wrong or right.
				boolean wrong = this.random.nextInt(4) == 0;
				sub.wrongKeys = wrong;
				sub.settings = settings(sub.id, sub.settings.version() + 1);
				sub.dispatcher.settingsChanged(sub.settings);
			}
			else if (roll < 88) {
				restart();
			}
			else if (roll < 92 && live().size() > 1) {
				delete(sub);
			}
			else {
				watchdogSeesTwoMinutesPass();
			}
		}

		private void watchdogSeesTwoMinutesPass() {
			this.nanoOffset.addAndGet(SubscriptionDispatcherTests.STALL_AFTER.plusSeconds(1).toNanos());
			live().forEach((each) -> each.dispatcher.watch(Long.MIN_VALUE, false));
		}

		// DELETE ?cancelBatches=true, as SubscriptionDeletion and the manager do it: the
		// subscription's unfinished batches are cancelled, the delete waits until they
		// are final, then its dispatcher stops (within the grace) and is gone; calls
		// still made for it meet "Unknown subscription".
		private void delete(Sub sub) {
			this.trace.add("delete " + sub.id);
			List<String> own = this.batchIds.stream()
				.filter((id) -> this.journal.find(id).block().subscriptionId().equals(sub.id))
				.toList();
			own.forEach(sub.dispatcher::cancel);
			awaitWithWatchdog("batches of deleted " + sub.id + " final",
					() -> own.stream().allMatch((id) -> this.journal.status(id).isFinal()));
			SubscriptionDispatcher dispatcher = sub.dispatcher;
			dispatcher.stop().timeout(GRACE, Mono.fromRunnable(dispatcher::halt)).block(Duration.ofSeconds(5));
			sub.deleted = true;
		}

		private List<Sub> live() {
			return this.subs.values().stream().filter((sub) -> !sub.deleted).toList();
		}

		/**
		 * Waits until {@code done}; whenever no record ended for a while, lets the
		 * watchdog see two minutes pass (a hung call is only ever cut by it).
		 */
		private void awaitWithWatchdog(String what, BooleanSupplier done) {
			AtomicLong lastDone = new AtomicLong(-1);
			AtomicLong lastMove = new AtomicLong(System.nanoTime());
			await(what).atMost(Duration.ofSeconds(60))
				.pollInterval(Duration.ofMillis(20))
				.conditionEvaluationListener((condition) -> {
					if (condition.getRemainingTimeInMS() < 50) {
						System.err.println("seed " + this.seed + " not settled:" + state());
					}
				})
				.until(() -> {
					long ended = this.batchIds.stream()
						.flatMap((id) -> this.journal.records(id).stream())
						.filter((r) -> r.outcome() != null)
						.count();
					if (ended != lastDone.getAndSet(ended)) {
						lastMove.set(System.nanoTime());
					}
					else if (System.nanoTime() - lastMove.get() > STILL.toNanos()) {
						watchdogSeesTwoMinutesPass();
						lastMove.set(System.nanoTime());
					}
					return done.getAsBoolean();
				});
		}

		private void submit(Sub sub, int size, int priority) {
			String id = "b" + (this.batchCount++);
			String[] customers = IntStream.range(0, size)
				.mapToObj((i) -> sub.id + "-c" + this.random.nextInt(12) + (this.random.nextInt(4) == 0 ? "h" : ""))
				.toArray(String[]::new);
			Batch batch = this.journal.add(id, sub.id, priority, customers);
			this.batchIds.add(id);
			sub.dispatcher.submit(batch);
		}

		// A restart of the application: dispatchers stop (calls out finish, or are
		// dropped after the grace), the writer is flushed, new ones resume every
		// unfinished batch from the journal. The grace is short: the fakes answer within
		// milliseconds, so a transfer still out by then hangs or waits out a journal
		// fault's backoff, and dropping it is a case the restart is here to exercise.
		private void restart() {
			for (Sub sub : live()) {
				SubscriptionDispatcher old = sub.dispatcher;
				old.stop().timeout(GRACE, Mono.empty()).block(Duration.ofSeconds(5));
				// Nothing it still does is written once the process is gone.
				old.halt();
			}
			this.log.flush().block(Duration.ofSeconds(30));
			this.log = newLog();
			for (Sub sub : live()) {
				sub.dispatcher = dispatcher(sub);
				this.journal.findUnfinished(sub.id).doOnNext(sub.dispatcher::submit).blockLast();
			}
		}

		private String state() {
			StringBuilder state = new StringBuilder();
			for (String id : this.batchIds) {
				Batch batch = this.journal.find(id).block();
				long pending = this.journal.records(id).stream().filter((r) -> r.outcome() == null).count();
				state.append("\n")
					.append(id)
					.append(' ')
					.append(batch.subscriptionId())
					.append(' ')
					.append(batch.status())
					.append(" pending ")
					.append(pending);
			}
			this.subs.values()
				.forEach((sub) -> state.append("\n")
					.append(sub.id)
					.append(" wrongKeys=")
					.append(sub.wrongKeys)
					.append(" paused=")
					.append(sub.dispatcher.pauseReason())
					.append(" out=")
					.append(sub.dispatcher.inFlight())
					.append(' ')
					.append(sub.dispatcher.describe()));
			return state.toString();
		}

		private void settle() {
			this.calm = true;
			boolean leaveOneWrong = this.random.nextInt(4) == 0;
			List<Sub> all = live();
			for (int i = 0; i < all.size(); i++) {
				Sub sub = all.get(i);
				boolean wrong = leaveOneWrong && i == 0;
				if (sub.wrongKeys != wrong || this.random.nextBoolean()) {
					sub.wrongKeys = wrong;
					sub.settings = settings(sub.id, sub.settings.version() + 1);
					sub.dispatcher.settingsChanged(sub.settings);
				}
			}
			awaitWithWatchdog("batches settled", () -> {
				// A 401 sent with the keys just replaced can land after the fix
				// (credentials
				// by version): a verify resumes the subscription.
				live().stream()
					.filter((sub) -> !sub.wrongKeys && sub.dispatcher.isPaused())
					.forEach((sub) -> sub.dispatcher.resume());
				return this.batchIds.stream().allMatch(this::settled);
			});
			this.log.flush().block(Duration.ofSeconds(30));
		}

		private boolean settled(String batchId) {
			Batch batch = this.journal.find(batchId).block();
			Sub sub = this.subs.get(batch.subscriptionId());
			// A PAUSED status in the journal may be older than the resume of a settings
			// change: settled only once the dispatcher itself is paused again. A batch
			// with nothing pending is never settled short of its end (what check()
			// demands), paused or not: its end may still be on its way.
			return batch.status().isFinal() || (!sub.deleted && sub.wrongKeys && sub.dispatcher.isPaused()
					&& (batch.status() == BatchStatus.PAUSED || batch.status() == BatchStatus.QUEUED)
					&& this.journal.records(batchId).stream().anyMatch((r) -> r.outcome() == null));
		}

		private void check() {
			assertThat(this.violations).isEmpty();
			for (String batchId : this.batchIds) {
				Batch batch = this.journal.find(batchId).block();
				Sub sub = this.subs.get(batch.subscriptionId());
				List<BatchRecord> records = this.journal.records(batchId);
				Map<Integer, List<String>> recordEvents = new LinkedHashMap<>();
				for (BatchEvent event : this.journal.eventsOf(batchId)) {
					if (event.type().equals(BatchEvent.RECORD)) {
						JsonNode data = JSON.readTree(event.data());
						recordEvents.computeIfAbsent(data.get("index").asInt(), (i) -> new ArrayList<>())
							.add(data.get("outcome").asString());
					}
				}
				recordEvents
					.forEach((index, outcomes) -> assertThat(outcomes).as("record events of %s #%d", batchId, index)
						.hasSize(1)
						.containsExactly(records.get(index).outcome().tag()));
				if (batch.status().isFinal()) {
					assertThat(records).as("records of %s (%s)", batchId, batch.status())
						.allSatisfy((r) -> assertThat(r.outcome()).isNotNull());
					boolean errors = records.stream().anyMatch((r) -> r.outcome().isError());
					if (batch.status() == BatchStatus.COMPLETED) {
						assertThat(errors).as("%s completed without errors", batchId).isFalse();
					}
				}
				else {
					assertThat(sub.deleted).as("%s of deleted %s is %s", batchId, sub.id, batch.status()).isFalse();
					assertThat(sub.wrongKeys).as("%s is %s", batchId, batch.status()).isTrue();
					assertThat(batch.status()).isIn(BatchStatus.PAUSED, BatchStatus.QUEUED);
					assertThat(sub.dispatcher.pauseReason()).contains("credentials rejected");
					assertThat(records).filteredOn((r) -> r.outcome() == null).isNotEmpty();
				}
			}
			// A fresh batch on each subscription with good keys completes.
			for (Sub sub : live()) {
				if (!sub.wrongKeys) {
					String id = "fresh-" + sub.id;
					this.batchIds.add(id);
					sub.dispatcher.submit(this.journal.add(id, sub.id, 0, sub.id + "-fresh1", sub.id + "-fresh2"));
					await().atMost(Duration.ofSeconds(30))
						.until(() -> this.journal.status(id) == BatchStatus.COMPLETED);
				}
			}
			for (Sub sub : this.subs.values()) {
				// Stopped as the manager stops: gracefully, or past the grace by dropping
				// what is still out. Only a store paused for wrong keys may still hold a
				// call that never answers (the watchdog leaves paused stores alone; a
				// real
				// call ends at its response timeout, the fake's hang never does).
				SubscriptionDispatcher dispatcher = sub.dispatcher;
				boolean graceful = dispatcher.stop()
					.thenReturn(true)
					.timeout(GRACE, Mono.fromRunnable(dispatcher::halt).thenReturn(false))
					.block(Duration.ofSeconds(10));
				assertThat(graceful || sub.wrongKeys).as("%s stopped within the grace", sub.id).isTrue();
				if (graceful) {
					assertThat(dispatcher.inFlight()).as("transfers out of %s", sub.id).isZero();
				}
				boolean unfinished = this.batchIds.stream()
					.map((id) -> this.journal.find(id).block())
					.anyMatch((batch) -> batch.subscriptionId().equals(sub.id) && !batch.status().isFinal());
				assertThat(unfinished).as("unfinished batches of %s", sub.id).isEqualTo(sub.wrongKeys && unfinished);
			}
			assertThat(this.busyCustomers.values()).allSatisfy((active) -> assertThat(active).isEmpty());
			assertThat(overlappingCalls()).isEmpty();
			assertThat(this.violations).isEmpty();
		}

		private SubscriptionDispatcher dispatcher(Sub sub) {
			String tag = sub.id + "." + (this.generation++);
			SubscriptionDispatcher dispatcher = new SubscriptionDispatcher(sub.settings, Fence.unchecked(sub.id),
					this.journal, (settings, request) -> transfer(tag, settings, request), this.log,
					SubscriptionDispatcherTests.properties(), new SubscriptionDispatcher.DispatcherListener() {
						@Override
						public void fenced(Fence fence) {
							World.this.violations.add("fenced without a lease");
						}

						@Override
						public void restarted(String subscriptionId) {
						}
					}, () -> System.nanoTime() + this.nanoOffset.get());
			dispatcher.start();
			return dispatcher;
		}

		// Around the real transfer, for the trace of a failure.
		private Mono<TransferResult> transfer(String by, SubscriptionSettings settings, TransferRequest request) {
			String customer = settings.id() + "/" + request.ipaasCustomerId();
			String place = request.batchSeq() + "#" + request.index();
			return Mono.defer(() -> {
				this.trace.add(customer + " " + place + " sent by " + by);
				return this.transfers.transfer(settings, request);
			})
				.doOnTerminate(() -> this.trace.add(customer + " " + place + " ended by " + by))
				.doOnCancel(() -> this.trace.add(customer + " " + place + " cancelled by " + by));
		}

		// At the call: two records of one customer must never be at Stamped.io at once,
		// whether the calls end, fail, hang or are cancelled: a call counts from the
		// moment it starts until its end or cancel reached it (a restart must wait for
		// that before it sends the record again).
		private Mono<String> exclusive(String subscriptionId, String email, Mono<String> call) {
			String customer = subscriptionId + "/" + email.substring(0, email.indexOf('@'));
			return Mono.defer(() -> {
				long id = this.faultCounter.incrementAndGet();
				Set<Long> active = this.busyCustomers.computeIfAbsent(customer, (key) -> ConcurrentHashMap.newKeySet());
				synchronized (active) {
					active.forEach((other) -> this.overlaps.add(new long[] { other, id }));
					active.add(id);
				}
				this.callOwners.put(id, customer);
				return call.doOnSuccess((done) -> active.remove(id))
					.doOnError((error) -> active.remove(id))
					.doOnCancel(() -> active.remove(id));
			});
		}

		private List<String> overlappingCalls() {
			return this.overlaps.stream()
				.map((pair) -> "two calls for " + this.callOwners.get(pair[0]) + " at once\n"
						+ String.join("\n",
								this.trace.stream()
									.filter((line) -> line.startsWith(this.callOwners.get(pair[0]) + " "))
									.toList()))
				.toList();
		}

		private BatchLog newLog() {
			EventJson events = new EventJson(JSON) {
				@Override
				BatchEvent record(Batch batch, long seq, BatchRecord record) {
					if (fault()) {
						throw new IllegalArgumentException("event JSON");
					}
					return super.record(batch, seq, record);
				}
			};
			return new BatchLog(new JournalWriter(this.journal, this.bus, new Fences()), events, JSON,
					Clock.systemUTC());
		}

		// Stored payloads (bulk) and iPaaS.com fetches (customers ending in "h").
		private CustomerSource customers() {
			PayloadCustomerSource payloads = new PayloadCustomerSource(JSON);
			return (settings, request) -> Mono.defer(() -> {
				if (fault()) {
					return Mono.error(new IllegalStateException("Stored customer JSON no longer reads"));
				}
				if (request.ipaasCustomerId().endsWith("h")) {
					if (fault()) {
						return Mono.error(new OutboundCallException(ErrorCode.IPAAS_UNAVAILABLE, 503,
								"iPaaS.com unavailable: HTTP 503", null, null));
					}
					return Mono.just(customer(request.ipaasCustomerId()));
				}
				return payloads.customer(settings, request);
			});
		}

		private CustomerMapper mapper() {
			return new CustomerMapper() {
				@Override
				public MappingResult map(IpaasCustomer customer, SubscriptionSettings settings) {
					if (fault()) {
						throw new NullPointerException("mapper");
					}
					return super.map(customer, settings);
				}
			};
		}

		private LinkStore linkStore() {
			return new LinkStore() {
				@Override
				public Mono<CustomerLink> find(String subscriptionId, String ipaasCustomerId) {
					return Mono.defer(() -> journalFault("link read")
							? Mono.error(new DataAccessResourceFailureException("injected link read fault"))
							: Mono.justOrEmpty(World.this.links.get(subscriptionId + "/" + ipaasCustomerId)));
				}

				@Override
				public Mono<Void> save(CustomerLink link) {
					return Mono.defer(() -> {
						if (journalFault("link write")) {
							return Mono.error(new DataAccessResourceFailureException("injected link write fault"));
						}
						World.this.links.put(link.subscriptionId() + "/" + link.ipaasCustomerId(), link);
						return Mono.empty();
					});
				}
			};
		}

		// The store takes only the current keys, unless they are wrong; keys a change
		// superseded may still work for a while (a rotation) or be refused at once, so
		// calls in flight across a change meet 401s of an older version.
		private StampedClients stamped() {
			return new StampedClients() {
				@Override
				public StampedClient forSubscription(SubscriptionSettings used) {
					return ScriptedStampedClient.answering((customer) -> call(used, customer.email()));
				}

				@Override
				public SubscriptionSettings latest(SubscriptionSettings settings) {
					return World.this.subs.get(settings.id()).settings;
				}
			};
		}

		private Mono<String> call(SubscriptionSettings used, String email) {
			Sub sub = this.subs.get(used.id());
			return exclusive(used.id(), email, Mono.defer(() -> {
				boolean superseded = used.version() < sub.settings.version();
				if (sub.wrongKeys || (superseded && random("superseded") < 50)) {
					return Mono.error(new OutboundCallException(ErrorCode.STAMPED_AUTH, 401,
							"Customer create or update failed: HTTP 401", null, null));
				}
				if (sub.deleted) {
					// What the throttles answer for a subscription that is gone.
					return Mono.error(new IllegalStateException("Unknown subscription " + used.id()));
				}
				if (!this.calm && fault() && this.hangs.getAndDecrement() > 0) {
					return Mono.never();
				}
				if (this.calm) {
					return Mono.just("st-" + email);
				}
				int roll = random(email);
				if (roll < 3) {
					return Mono.error(new IllegalStateException("Unknown subscription " + used.id()));
				}
				if (roll < 8) {
					return Mono.error(new OutboundCallException(ErrorCode.STAMPED_UNAVAILABLE, 503,
							"Customer create or update failed: HTTP 503", null, null));
				}
				if (roll < 11) {
					return Mono.error(new OutboundCallException(ErrorCode.STAMPED_VALIDATION, 422,
							"Customer create or update failed: HTTP 422", null, null));
				}
				return Mono.just("st-" + email).delayElement(Duration.ofMillis(roll % 3));
			}));
		}

		private boolean fault() {
			return !this.calm && random("fault") < this.faultRate * 100;
		}

		private boolean journalFault(String what) {
			return !this.calm && random(what) < 3 && this.journalFaults.getAndDecrement() > 0;
		}

		// Repeatable within the seed, different at each call.
		private int random(String salt) {
			long mixed = this.seed * 0x9E3779B97F4A7C15L + this.faultCounter.incrementAndGet() * 31 + salt.hashCode();
			return (int) Math.floorMod(new SplittableRandom(mixed).nextLong(), 100L);
		}

		private SubscriptionSettings settings(String id, long version) {
			int limit = 50 + this.random.nextInt(5000);
			return new SubscriptionSettings(id, "https://stamped.io", "pubkey-" + version, Secret.of("key-" + version),
					"store", limit, 1, 500, 60, 1 + this.random.nextInt(4), 1 + this.random.nextInt(3), null, null,
					null, null, null, version);
		}

		private <T> T pick(List<T> list) {
			return list.get(this.random.nextInt(list.size()));
		}

		private static IpaasCustomer customer(String id) {
			return new IpaasCustomer(id, null, "First", "Last", id + "@example.com", null, null, List.of(), List.of(),
					List.of());
		}

		private static void pause(int millis) {
			if (millis > 0) {
				await().pollDelay(Duration.ofMillis(millis)).until(() -> true);
			}
		}

	}

	/** A subscription of the run. */
	static final class Sub {

		final String id;

		volatile SubscriptionSettings settings;

		volatile boolean wrongKeys;

		volatile SubscriptionDispatcher dispatcher;

		volatile boolean deleted;

		Sub(String id, SubscriptionSettings settings) {
			this.id = id;
			this.settings = settings;
		}

	}

}

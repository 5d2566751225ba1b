package io.stampedsync.batch;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.IntStream;

import io.stampedsync.outbound.ErrorCode;
import io.stampedsync.subscription.Secret;
import io.stampedsync.subscription.SubscriptionSettings;
import io.stampedsync.transfer.Outcome;
import io.stampedsync.transfer.TransferRequest;
import io.stampedsync.transfer.TransferResult;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static org.awaitility.Awaitility.await;
import static org.mockito.Mockito.mock;

/**
 * The dispatcher's pipeline against an in-memory journal and a stand-in transfer: every
 * record ends once whatever fails around it, and the pipeline never stops for good.
 */
class SubscriptionDispatcherTests {

	static final Duration STALL_AFTER = Duration.ofMinutes(2);

	final MemoryJournal journal = new MemoryJournal();

	final JsonMapper json = JsonMapper.builder().build();

	final AtomicLong nanos = new AtomicLong();

	final Map<String, AtomicInteger> calls = new ConcurrentHashMap<>();

	final AtomicInteger concurrent = new AtomicInteger();

	final AtomicInteger mostConcurrent = new AtomicInteger();

	final List<String> restarts = new CopyOnWriteArrayList<>();

	volatile Transfer behaviour = (settings, request) -> Mono.just(created(request));

	SubscriptionDispatcher dispatcher;

	/** Nobody follows it here; closed after each test, with its thread. */
	final BatchEventBus bus = new BatchEventBus();

	@AfterEach
	void halt() {
		if (this.dispatcher != null) {
			this.dispatcher.halt();
		}
		this.bus.close();
	}

	@Test
	void everyRecordOfEveryBatchEndsOnceAndTheBatchesComplete() {
		start(settings(2, 2), new BatchLog(writer(), new EventJson(this.json), this.json, Clock.systemUTC()));
		List<Batch> batches = IntStream.range(0, 5)
			.mapToObj((b) -> this.journal.add("b" + b, "acme", 0, customers("b" + b + "-", 20)))
			.toList();
		batches.forEach(this.dispatcher::submit);

		batches.forEach((batch) -> awaitStatus(batch.id(), BatchStatus.COMPLETED));
		assertEveryRecordEndedOnce(batches, Outcome.CREATED);
		assertThat(this.mostConcurrent.get()).isBetween(1, 2);
	}

	@Test
	void aBatchThatEndsHereKeepsItsCountsAndItsFinalViewCountsNoRecord() {
		this.behaviour = (settings, request) -> Mono.just(request.ipaasCustomerId().equals("c-3")
				? TransferResult.ended(Outcome.FAILED, null, null) : created(request));
		FinalCounts finalCounts = new FinalCounts();
		start(settings(2, 2),
				new BatchLog(writer(), new EventJson(this.json), this.json, Clock.systemUTC(), finalCounts));
		this.journal.add("b", "acme", 0, customers("c-", 10));
		// Two ended by an earlier run: in the counts the batch starts with.
		endRecords("b", Set.of(0, 1), TransferResult.ended(Outcome.UPDATED, null, null));
		this.dispatcher.submit(this.journal.find("b").block());

		awaitStatus("b", BatchStatus.COMPLETED_WITH_ERRORS);
		await().atMost(Duration.ofSeconds(20)).until(() -> finalCounts.size() == 1);
		int counted = this.journal.counted("b");
		BatchView view = finalView(finalCounts, "b");

		assertThat(this.journal.counted("b")).as("counts of the journal for the final view").isEqualTo(counted);
		assertThat(view.counts()).containsEntry("updated", 2L).containsEntry("failed", 1L).containsEntry("created", 7L);
		assertCountsOfTheJournal(view, "b");
	}

	@Test
	void aBatchWhoseCountsMissAnOutcomeThatLandedAfterItsStartIsCountedForItsFinalView() {
		// An earlier owner's outcome of c-0 lands after the start counted the batch and
		// before its records are read: the dispatcher never sees it.
		AtomicBoolean landed = new AtomicBoolean();
		this.journal.failWhen((operation) -> {
			if (operation.equals("pending") && landed.compareAndSet(false, true)) {
				endRecords("b", Set.of(0), TransferResult.ended(Outcome.UPDATED, null, null));
			}
			return false;
		});
		FinalCounts finalCounts = new FinalCounts();
		BatchLog log = new BatchLog(writer(), new EventJson(this.json), this.json, Clock.systemUTC(), finalCounts);
		start(settings(2, 2), log);
		this.dispatcher.submit(this.journal.add("b", "acme", 0, customers("c-", 10)));

		awaitStatus("b", BatchStatus.COMPLETED);
		log.flush().block(Duration.ofSeconds(10));
		assertThat(landed).isTrue();
		assertThat(finalCounts.size()).as("counts kept").isZero();
		int counted = this.journal.counted("b");
		BatchView view = finalView(finalCounts, "b");

		assertThat(this.journal.counted("b")).isEqualTo(counted + 1);
		assertThat(view.counts()).containsEntry("updated", 1L).containsEntry("created", 9L);
		assertCountsOfTheJournal(view, "b");
	}

	@Test
	void aTransferThatThrowsEndsItsRecordFailedInternalAndTheOthersGoOn() {
		this.behaviour = (settings, request) -> {
			if (request.ipaasCustomerId().equals("c-3")) {
				throw new IllegalStateException("Unknown subscription acme");
			}
			return request.ipaasCustomerId().equals("c-5") ? Mono.error(new NullPointerException("mapper"))
					: Mono.just(created(request));
		};
		start(settings(2, 2), log());
		Batch batch = this.journal.add("b", "acme", 0, customers("c-", 10));
		this.dispatcher.submit(batch);

		awaitStatus("b", BatchStatus.COMPLETED_WITH_ERRORS);
		assertThat(this.journal.records("b")).filteredOn((r) -> r.outcome() == Outcome.FAILED)
			.extracting(BatchRecord::ipaasCustomerId, BatchRecord::errorCode)
			.containsExactlyInAnyOrder(tuple("c-3", ErrorCode.INTERNAL), tuple("c-5", ErrorCode.INTERNAL));
		assertThat(this.journal.records("b")).filteredOn((r) -> r.outcome() == Outcome.FAILED)
			.allSatisfy((r) -> assertThat(r.errorMessage()).startsWith("Internal error").doesNotContain("\tat "));
		assertThat(this.restarts).isEmpty();
	}

	@Test
	void anEventThatCannotBeBuiltEndsItsRecordInternalWithoutStoppingTheStore() {
		EventJson failing = new EventJson(this.json) {
			@Override
			BatchEvent record(Batch batch, long seq, BatchRecord record) {
				if (record.ipaasCustomerId().equals("c-2")) {
					throw new IllegalArgumentException("event JSON");
				}
				return super.record(batch, seq, record);
			}
		};
		start(settings(2, 2), new BatchLog(writer(), failing, this.json, Clock.systemUTC()));
		Batch batch = this.journal.add("b", "acme", 0, customers("c-", 6));
		this.dispatcher.submit(batch);

		awaitStatus("b", BatchStatus.COMPLETED_WITH_ERRORS);
		assertThat(this.journal.records("b")).filteredOn((r) -> r.errorCode() == ErrorCode.INTERNAL)
			.singleElement()
			.satisfies((r) -> assertThat(r.ipaasCustomerId()).isEqualTo("c-2"));
	}

	@Test
	void failedReadsAheadAndAFailedStartAreRetriedUntilTheBatchCompletes() {
		AtomicInteger pendingFaults = new AtomicInteger(3);
		AtomicInteger startFaults = new AtomicInteger(2);
		this.journal.failWhen((operation) -> (operation.equals("pending") && pendingFaults.getAndDecrement() > 0)
				|| (operation.equals("lastSeq") && startFaults.getAndDecrement() > 0));
		start(settings(2, 2), log());
		Batch batch = this.journal.add("b", "acme", 0, customers("c-", 10));
		this.dispatcher.submit(batch);

		awaitStatus("b", BatchStatus.COMPLETED);
		assertEveryRecordEndedOnce(List.of(batch), Outcome.CREATED);
	}

	@Test
	void aPipelineThatFailsIsRestartedAndNoRecordIsLostOrEndedTwice() {
		AtomicBoolean failOnce = new AtomicBoolean(true);
		BatchLog failing = new BatchLog(writer(), new EventJson(this.json), this.json, Clock.systemUTC()) {
			@Override
			void recordDone(Fence fence, BatchRecord finished, BatchEvent event) {
				if (finished.ipaasCustomerId().equals("c-4") && failOnce.getAndSet(false)) {
					throw new IllegalStateException("writer refused");
				}
				super.recordDone(fence, finished, event);
			}
		};
		start(settings(2, 2), failing);
		Batch batch = this.journal.add("b", "acme", 0, customers("c-", 10));
		this.dispatcher.submit(batch);

		awaitStatus("b", BatchStatus.COMPLETED);
		assertThat(this.restarts).containsExactly("acme");
		assertThat(this.dispatcher.restarts()).isEqualTo(1);
		assertThat(this.dispatcher.lastFailure()).contains("writer refused");
		assertThat(this.journal.records("b")).allSatisfy((r) -> assertThat(r.outcome()).isEqualTo(Outcome.CREATED));
		assertThat(recordEvents("b")).hasSize(10).doesNotHaveDuplicates();
	}

	@Test
	void rejectedCredentialsPauseEveryBatchAndAResumeRunsThemOnInOrder() {
		AtomicBoolean rejected = new AtomicBoolean(true);
		this.behaviour = (settings, request) -> Mono.just(rejected.get()
				? TransferResult.ended(Outcome.FAILED, ErrorCode.STAMPED_AUTH, "HTTP 401") : created(request));
		start(settings(1, 2), log());
		Batch a = this.journal.add("a", "acme", 0, customers("a-", 5));
		Batch b = this.journal.add("b", "acme", 0, customers("b-", 5));
		this.dispatcher.submit(a);
		this.dispatcher.submit(b);
		awaitStatus("a", BatchStatus.PAUSED);
		awaitStatus("b", BatchStatus.PAUSED);
		assertThat(this.dispatcher.pauseReason()).contains("credentials rejected");
		assertThat(this.journal.records("a")).allSatisfy((r) -> assertThat(r.outcome()).isNull());

		rejected.set(false);
		this.dispatcher.resume();

		awaitStatus("a", BatchStatus.COMPLETED);
		awaitStatus("b", BatchStatus.COMPLETED);
		for (String id : List.of("a", "b")) {
			assertThat(statuses(id)).containsSubsequence("paused", "running", "completed");
			assertThat(statuses(id).indexOf("paused")).isLessThan(statuses(id).lastIndexOf("running"));
		}
	}

	@Test
	void aBatchWhoseRecordsHaveAllEndedEndsWhileEverySlotIsHeldByABatchPausedForItsKeys() {
		this.behaviour = (settings, request) -> Mono
			.just(TransferResult.ended(Outcome.FAILED, ErrorCode.STAMPED_AUTH, "HTTP 401"));
		start(settings(1, 1), log());
		// As a start finds them after a stop: both ran (Concurrent Batch Executions was
		// lowered since), and every record of "ended" has its outcome, but the process
		// stopped before the batch's own end was stored.
		Batch paused = this.journal.add("paused", "acme", 0, customers("p-", 3));
		this.journal.add("ended", "acme", 0, customers("e-", 2));
		endEveryRecord("ended", TransferResult.ended(Outcome.CREATED, null, null));
		this.journal.updateStatus("ended", BatchStatus.PAUSED, "credentials rejected: HTTP 401").block();
		this.dispatcher.submit(paused);
		awaitStatus("paused", BatchStatus.PAUSED);

		this.dispatcher.submit(this.journal.find("ended").block());

		awaitStatus("ended", BatchStatus.COMPLETED);
		assertThat(this.dispatcher.pauseReason()).contains("credentials rejected");
		assertThat(this.journal.status("paused")).isEqualTo(BatchStatus.PAUSED);
		assertThat(this.journal.records("paused")).allSatisfy((r) -> assertThat(r.outcome()).isNull());
	}

	@Test
	void aQueuedBatchWithNothingLeftToSendEndsWithoutWaitingForASlot() {
		Sinks.Empty<Void> gate = Sinks.empty();
		this.behaviour = (settings, request) -> gate.asMono().thenReturn(created(request));
		start(settings(1, 1), log());
		Batch busy = this.journal.add("busy", "acme", 0, customers("b-", 2));
		this.dispatcher.submit(busy);
		awaitStatus("busy", BatchStatus.RUNNING);
		// Every record refused at intake (an invalid customer): nothing to send.
		Batch refused = this.journal.add("refused", "acme", 0, customers("r-", 2));
		endEveryRecord("refused", TransferResult.ended(Outcome.REJECTED, ErrorCode.INVALID_CUSTOMER, "no email"));

		this.dispatcher.submit(refused);

		awaitStatus("refused", BatchStatus.COMPLETED_WITH_ERRORS);
		assertThat(statuses("refused")).containsExactly("completed_with_errors");
		assertThat(this.journal.status("busy")).isEqualTo(BatchStatus.RUNNING);
		gate.tryEmitEmpty();
		awaitStatus("busy", BatchStatus.COMPLETED);
	}

	@Test
	void raisingConcurrentBatchExecutionsStartsQueuedBatches() {
		Sinks.Empty<Void> gate = Sinks.empty();
		this.behaviour = (settings, request) -> gate.asMono().thenReturn(created(request));
		start(settings(2, 1), log());
		List<Batch> batches = IntStream.range(0, 3)
			.mapToObj((b) -> this.journal.add("b" + b, "acme", 0, customers("b" + b + "-", 3)))
			.toList();
		batches.forEach(this.dispatcher::submit);
		awaitStatus("b0", BatchStatus.RUNNING);
		assertThat(this.journal.status("b1")).isEqualTo(BatchStatus.QUEUED);

		this.dispatcher.settingsChanged(settings(2, 3));

		awaitStatus("b1", BatchStatus.RUNNING);
		awaitStatus("b2", BatchStatus.RUNNING);
		gate.tryEmitEmpty();
		batches.forEach((batch) -> awaitStatus(batch.id(), BatchStatus.COMPLETED));
	}

	@Test
	void aNewConcurrentConnectionsTakesEffectWithoutLosingOrRepeatingARecord() {
		this.behaviour = (settings, request) -> Mono.delay(Duration.ofMillis(2)).thenReturn(created(request));
		start(settings(1, 2), log());
		Batch batch = this.journal.add("b", "acme", 0, customers("c-", 200));
		this.dispatcher.submit(batch);
		await().atMost(Duration.ofSeconds(20)).until(() -> done("b") >= 20);
		assertThat(this.mostConcurrent.get()).isEqualTo(1);

		this.dispatcher.settingsChanged(settings(4, 2));
		await().atMost(Duration.ofSeconds(20)).until(() -> this.mostConcurrent.get() > 1);
		this.dispatcher.settingsChanged(settings(2, 2));

		awaitStatus("b", BatchStatus.COMPLETED);
		assertEveryRecordEndedOnce(List.of(batch), Outcome.CREATED);
		assertThat(this.mostConcurrent.get()).isBetween(2, 4);
	}

	@Test
	void cancelEndsQueuedAndRunningBatchesAndEveryRecordHasOneOutcome() {
		Sinks.Empty<Void> gate = Sinks.empty();
		this.behaviour = (settings, request) -> gate.asMono().thenReturn(created(request));
		start(settings(2, 1), log());
		Batch running = this.journal.add("running", "acme", 0, customers("r-", 10));
		Batch queued = this.journal.add("queued", "acme", 0, customers("q-", 10));
		this.dispatcher.submit(running);
		this.dispatcher.submit(queued);
		awaitStatus("running", BatchStatus.RUNNING);
		await().atMost(Duration.ofSeconds(10)).until(() -> this.dispatcher.inFlight() == 2);

		assertThat(this.dispatcher.cancel("queued")).isTrue();
		assertThat(this.dispatcher.cancel("running")).isTrue();
		assertThat(this.dispatcher.cancel("elsewhere")).isFalse();
		gate.tryEmitEmpty();

		awaitStatus("queued", BatchStatus.CANCELLED);
		awaitStatus("running", BatchStatus.CANCELLED);
		assertThat(this.journal.records("queued"))
			.allSatisfy((r) -> assertThat(r.outcome()).isEqualTo(Outcome.CANCELLED));
		assertThat(this.journal.records("running")).extracting(BatchRecord::outcome)
			.containsOnly(Outcome.CREATED, Outcome.CANCELLED)
			.filteredOn((outcome) -> outcome == Outcome.CREATED)
			.hasSize(2);
		assertThat(statuses("queued")).containsExactly("cancelled");
	}

	@Test
	void theWatchdogReportsAStalledDispatcherOnceAndItsRestartSendsTheRecordAgain() {
		AtomicBoolean hang = new AtomicBoolean(true);
		this.behaviour = (settings, request) -> hang.getAndSet(false) ? Mono.never() : Mono.just(created(request));
		start(settings(1, 1), log());
		Batch batch = this.journal.add("b", "acme", 0, customers("c-", 3));
		this.dispatcher.submit(batch);
		await().atMost(Duration.ofSeconds(10)).until(() -> this.dispatcher.inFlight() == 1);

		this.nanos.addAndGet(STALL_AFTER.minusSeconds(1).toNanos());
		assertThat(this.dispatcher.watch(Long.MIN_VALUE, false)).isNull();
		this.nanos.addAndGet(Duration.ofSeconds(2).toNanos());
		assertThat(this.dispatcher.watch(Long.MIN_VALUE, true)).as("cooling down is not stalled").isNull();
		String waitingFor = this.dispatcher.watch(Long.MIN_VALUE, false);

		assertThat(waitingFor).contains("1 records out");
		awaitStatus("b", BatchStatus.COMPLETED);
		assertEveryRecordEndedOnce(List.of(batch), Outcome.CREATED);
		assertThat(this.dispatcher.stalled()).as("moving again").isNull();
	}

	@Test
	void stopCompletesOnceTheTransfersOutHaveEnded() {
		Sinks.Empty<Void> gate = Sinks.empty();
		this.behaviour = (settings, request) -> gate.asMono().thenReturn(created(request));
		BatchLog log = log();
		start(settings(2, 1), log);
		this.dispatcher.submit(this.journal.add("b", "acme", 0, customers("c-", 10)));
		await().atMost(Duration.ofSeconds(10)).until(() -> this.dispatcher.inFlight() == 2);

		Mono<Void> stopped = this.dispatcher.stop().cache();
		stopped.subscribe();
		gate.tryEmitEmpty();

		stopped.block(Duration.ofSeconds(10));
		assertThat(this.dispatcher.inFlight()).isZero();
		// Handed to the writer by then (which writes on a thread of its own), so a flush
		// after the stop has stored both, as the manager's stop does.
		log.flush().block(Duration.ofSeconds(10));
		assertThat(done("b")).isEqualTo(2);
	}

	private void start(SubscriptionSettings settings, BatchLog log) {
		Transfer counted = (current, request) -> Mono.defer(() -> {
			this.calls.computeIfAbsent(request.ipaasCustomerId(), (id) -> new AtomicInteger()).incrementAndGet();
			this.mostConcurrent.accumulateAndGet(this.concurrent.incrementAndGet(), Math::max);
			return this.behaviour.transfer(current, request);
		})
			// Before the pipeline hears of the end (a doFinally would run after it has
			// asked for the next record).
			.doOnTerminate(this.concurrent::decrementAndGet)
			.doOnCancel(this.concurrent::decrementAndGet);
		this.dispatcher = new SubscriptionDispatcher(settings, Fence.unchecked("acme"), this.journal, counted, log,
				properties(), new SubscriptionDispatcher.DispatcherListener() {
					@Override
					public void fenced(Fence fence) {
					}

					@Override
					public void restarted(String subscriptionId) {
						SubscriptionDispatcherTests.this.restarts.add(subscriptionId);
					}
				}, this.nanos::get);
		this.dispatcher.start();
	}

	private BatchLog log() {
		return new BatchLog(writer(), new EventJson(this.json), this.json, Clock.systemUTC());
	}

	private JournalWriter writer() {
		return new JournalWriter(this.journal, this.bus, new Fences());
	}

	static BatchProperties properties() {
		return new BatchProperties(1000, 65536, 8, 100, 1 << 20, 50, 15, STALL_AFTER, Duration.ofMillis(10),
				Duration.ofMillis(100), Duration.ofSeconds(5));
	}

	static SubscriptionSettings settings(int connections, int batchExecutions) {
		return new SubscriptionSettings("acme", "https://stamped.io", "pubkey-1", Secret.of("key-1"), "store", 500, 60,
				500, 60, connections, batchExecutions, null, null, null, null, null, 1);
	}

	private static TransferResult created(TransferRequest request) {
		return TransferResult.ended(Outcome.CREATED, null, null);
	}

	private static String[] customers(String prefix, int count) {
		return IntStream.range(0, count).mapToObj((i) -> prefix + i).toArray(String[]::new);
	}

	private void awaitStatus(String batchId, BatchStatus status) {
		await().atMost(Duration.ofSeconds(20)).until(() -> this.journal.status(batchId) == status);
	}

	// Stores an outcome for each record, as an earlier run or the intake would have.
	private void endEveryRecord(String batchId, TransferResult result) {
		BatchLog log = log();
		this.journal
			.complete(this.journal.records(batchId).stream().map((r) -> log.finished(r, result)).toList(), List.of())
			.block();
	}

	// Ends these records in the journal, as an earlier run would have.
	private void endRecords(String batchId, Set<Integer> indexes, TransferResult result) {
		BatchLog log = log();
		this.journal
			.complete(this.journal.records(batchId)
				.stream()
				.filter((r) -> indexes.contains(r.index()))
				.map((r) -> log.finished(r, result))
				.toList(), List.of())
			.subscribe();
	}

	// The view of the ended batch as a client gets it, from a process that no longer
	// runs it.
	private BatchView finalView(FinalCounts finalCounts, String batchId) {
		BatchViews views = new BatchViews(this.journal, mock(DispatcherManager.class), this.json, finalCounts);
		return views.view(this.journal.find(batchId).block()).block(Duration.ofSeconds(10));
	}

	private void assertCountsOfTheJournal(BatchView view, String batchId) {
		Map<Outcome, Long> journaled = this.journal.countOutcomes(batchId).block();
		for (Outcome outcome : Outcome.values()) {
			assertThat(view.counts()).as(outcome.tag())
				.containsEntry(outcome.tag(), journaled.getOrDefault(outcome, 0L));
		}
		assertThat(view.done()).isEqualTo(10);
	}

	private long done(String batchId) {
		return this.journal.records(batchId).stream().filter((r) -> r.outcome() != null).count();
	}

	private List<String> statuses(String batchId) {
		return this.journal.eventsOf(batchId)
			.stream()
			.filter((event) -> event.type().equals(BatchEvent.STATUS))
			.map((event) -> this.json.readTree(event.data()).get("status").asString())
			.toList();
	}

	private List<Integer> recordEvents(String batchId) {
		return this.journal.eventsOf(batchId)
			.stream()
			.filter((event) -> event.type().equals(BatchEvent.RECORD))
			.map((event) -> this.json.readTree(event.data()).get("index").asInt())
			.toList();
	}

	private void assertEveryRecordEndedOnce(List<Batch> batches, Outcome outcome) {
		for (Batch batch : batches) {
			assertThat(this.journal.records(batch.id())).allSatisfy((r) -> assertThat(r.outcome()).isEqualTo(outcome));
			assertThat(recordEvents(batch.id())).hasSize(batch.total()).doesNotHaveDuplicates();
			this.journal.records(batch.id())
				.forEach((r) -> assertThat(this.calls.get(r.ipaasCustomerId()).get())
					.as("calls for %s", r.ipaasCustomerId())
					.isLessThanOrEqualTo(Set.of("c-0").contains(r.ipaasCustomerId()) ? 2 : 1));
		}
	}

}

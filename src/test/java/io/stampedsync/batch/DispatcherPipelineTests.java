package io.stampedsync.batch;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.stream.IntStream;

import io.stampedsync.outbound.ErrorCode;
import io.stampedsync.subscription.Secret;
import io.stampedsync.subscription.SubscriptionSettings;
import io.stampedsync.transfer.Outcome;
import io.stampedsync.transfer.TransferRequest;
import io.stampedsync.transfer.TransferResult;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.test.StepVerifier;
import reactor.test.scheduler.VirtualTimeScheduler;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The dispatcher's pipeline in virtual time: every call to the store takes one virtual
 * second, and the journal answers at once, so when each record ends is exact. Each
 * record's end is read from the live events as {@code second batch#index outcome}.
 */
class DispatcherPipelineTests {

	private static final Duration CALL = Duration.ofSeconds(1);

	private final MemoryJournal journal = new MemoryJournal();

	private final JsonMapper json = JsonMapper.builder().build();

	private SubscriptionDispatcher dispatcher;

	private BatchEventBus bus;

	@AfterEach
	void halt() {
		if (this.dispatcher != null) {
			this.dispatcher.halt();
		}
		if (this.bus != null) {
			this.bus.close();
		}
		VirtualTimeScheduler.reset();
	}

	@Test
	void runningBatchesTakeTurnsAndAQueuedOneStartsWhenASlotFrees() {
		// One connection, two batch executions: a and b alternate, c waits for a slot.
		StepVerifier
			.withVirtualTime(() -> run(1, 2, (request) -> created(), batch("a", 2), batch("b", 2), batch("c", 2)))
			.thenAwait(CALL.multipliedBy(6))
			.expectNext("1 a#0 created", "2 b#0 created", "3 a#1 created")
			// a ended: b, whose turn it is, goes on, and c, admitted, comes after it.
			.expectNext("4 b#1 created", "5 c#0 created", "6 c#1 created")
			.verifyComplete();
	}

	@Test
	void aCustomersRecordsEndOneAfterTheOtherInTheOrderTheyCame() {
		// Two connections: b#0 waits behind a#0 (same customer x) while b#1 goes, then
		// goes first once a#0 has ended, before a#1.
		StepVerifier
			.withVirtualTime(() -> run(2, 2, (request) -> created(), batch("a", "x", "y"), batch("b", "x", "z")))
			.thenAwait(CALL.multipliedBy(2))
			.expectNext("1 a#0 created", "1 b#1 created")
			.expectNext("2 b#0 created", "2 a#1 created")
			.verifyComplete();
	}

	@Test
	void aRecordWhoseTransferFailsEndsFailedAndTheOthersGoOnInTheirTurn() {
		Function<TransferRequest, Mono<TransferResult>> failing = (request) -> request.ipaasCustomerId().equals("a1")
				? Mono.error(new IllegalStateException("Unknown subscription acme")) : created();
		StepVerifier.withVirtualTime(() -> run(1, 1, failing, batch("a", 3)))
			.thenAwait(CALL)
			.expectNext("1 a#0 created")
			// Fails on its way out, without a call: ends at once, the next goes.
			.expectNext("1 a#1 failed")
			.thenAwait(CALL)
			.expectNext("2 a#2 created")
			.verifyComplete();
		assertThat(this.journal.records("a").get(1).errorCode()).isEqualTo(ErrorCode.INTERNAL);
		assertThat(this.journal.status("a")).isEqualTo(BatchStatus.COMPLETED_WITH_ERRORS);
		assertThat(this.dispatcher.restarts()).isZero();
	}

	@Test
	void aLateRefusalOfSupersededKeysPausesNothingAndTheRecordGoesAgainWithTheNewKeys() {
		// The first call of a0 carries version 1 and is refused after version 2 was
		// saved.
		AtomicInteger calls = new AtomicInteger();
		Function<TransferRequest, Mono<TransferResult>> call = (request) -> (calls.getAndIncrement() == 0)
				? Mono.delay(CALL)
					.thenReturn(new TransferResult(Outcome.FAILED, null, null, 1, 0, 0, ErrorCode.STAMPED_AUTH,
							"HTTP 401", 401, List.of(), 1))
				: created();
		StepVerifier.withVirtualTime(() -> run(1, 1, call, batch("a", 2)))
			.thenAwait(CALL.dividedBy(2))
			.then(() -> this.dispatcher.settingsChanged(new SubscriptionSettings("acme", "https://stamped.io",
					"pubkey-2", Secret.of("key-2"), "store", 500, 60, 500, 60, 1, 1, null, null, null, null, null, 2)))
			.thenAwait(CALL.multipliedBy(3))
			.expectNext("2 a#0 created", "3 a#1 created")
			.verifyComplete();
		assertThat(this.dispatcher.isPaused()).isFalse();
		assertThat(this.journal.eventsOf("a")).filteredOn((event) -> event.type().equals(BatchEvent.STATUS))
			.noneSatisfy((event) -> assertThat(event.data()).contains("paused"));
		assertThat(this.journal.status("a")).isEqualTo(BatchStatus.COMPLETED);
	}

	// A dispatcher whose transfers run the call, with the batches submitted: answers the
	// ends of their records, as many as they hold.
	private Flux<String> run(int connections, int batchExecutions, Function<TransferRequest, Mono<TransferResult>> call,
			Batch... batches) {
		Sinks.Many<String> ends = Sinks.many().replay().all();
		// Read as each event is published, at the virtual time its record ended (the bus
		// hands events to its subscribers later, on a thread of its own).
		BatchEventBus bus = new BatchEventBus() {
			@Override
			public void publish(BatchEvent event) {
				if (event.type().equals(BatchEvent.RECORD)) {
					ends.tryEmitNext(end(event));
				}
				super.publish(event);
			}
		};
		// No spacing of the journal's groups: its timer would run on virtual time too.
		BatchLog log = new BatchLog(new JournalWriter(this.journal, bus, new Fences(), Duration.ZERO),
				new EventJson(this.json), this.json, Clock.systemUTC());
		this.dispatcher = new SubscriptionDispatcher(SubscriptionDispatcherTests.settings(connections, batchExecutions),
				Fence.unchecked("acme"), this.journal, (settings, request) -> Mono.defer(() -> call.apply(request)),
				log, SubscriptionDispatcherTests.properties(), new SubscriptionDispatcher.DispatcherListener() {
					@Override
					public void fenced(Fence fence) {
					}

					@Override
					public void restarted(String subscriptionId) {
					}
				}, () -> VirtualTimeScheduler.get().now(TimeUnit.NANOSECONDS));
		// Submitted first: the batches that may run are running when the first record
		// goes.
		List.of(batches).forEach(this.dispatcher::submit);
		this.dispatcher.start();
		this.bus = bus;
		return ends.asFlux().take(List.of(batches).stream().mapToInt(Batch::total).sum());
	}

	private String end(BatchEvent event) {
		JsonNode data = this.json.readTree(event.data());
		return VirtualTimeScheduler.get().now(TimeUnit.SECONDS) + " " + event.batchId() + "#"
				+ data.get("index").asInt() + " " + data.get("outcome").asString();
	}

	private Batch batch(String id, int size) {
		return batch(id, IntStream.range(0, size).mapToObj((i) -> id + i).toArray(String[]::new));
	}

	private Batch batch(String id, String... customers) {
		return this.journal.add(id, "acme", 0, customers);
	}

	// A call to the store, answered after CALL.
	private static Mono<TransferResult> created() {
		return Mono.delay(CALL).thenReturn(TransferResult.ended(Outcome.CREATED, null, null));
	}

}

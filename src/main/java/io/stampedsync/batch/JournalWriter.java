package io.stampedsync.batch;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.FluxSink;
import reactor.core.publisher.Mono;
import reactor.util.retry.Retry;

import org.springframework.dao.DuplicateKeyException;
import org.springframework.stereotype.Component;

/**
 * Writes outcomes, status changes and events to the journal in groups (one round trip for
 * up to a few hundred records), in the order they were submitted, and publishes each
 * event to the live bus once it is stored.
 */
@Component
class JournalWriter {

	private static final Log logger = LogFactory.getLog(JournalWriter.class);

	private static final int GROUP_SIZE = 512;

	private static final Duration GROUP_WAIT = Duration.ofMillis(20);

	private final BatchJournal journal;

	private final BatchEventBus bus;

	private final FluxSink<Op> sink;

	private final Disposable pipeline;

	JournalWriter(BatchJournal journal, BatchEventBus bus) {
		this.journal = journal;
		this.bus = bus;
		FluxSink<Op>[] created = new FluxSink[1];
		// Flux.create gives a serialized sink: dispatchers of several subscriptions
		// submit at once.
		this.pipeline = Flux.<Op>create((sink) -> created[0] = sink)
			// Fair backpressure: a group waits while the previous one is still being
			// written.
			.bufferTimeout(GROUP_SIZE, GROUP_WAIT, true)
			.concatMap(this::write, 1)
			.subscribe();
		this.sink = created[0];
	}

	/** A record ended, with its {@code record} event. */
	void recordDone(BatchRecord record, BatchEvent event) {
		this.sink.next(new Op(record, null, null, event));
	}

	/** The batch changed status, with its {@code status} event. */
	void statusChanged(String batchId, BatchStatus status, String reason, BatchEvent event) {
		this.sink.next(new Op(null, new StatusChange(batchId, status, reason), null, event));
	}

	/** An event on its own ({@code progress}). */
	void event(BatchEvent event) {
		this.sink.next(new Op(null, null, null, event));
	}

	/** Completes once everything submitted before it is stored. */
	Mono<Void> flush() {
		return Mono.create((done) -> this.sink.next(new Op(null, null, done::success, null)));
	}

	private Mono<Void> write(List<Op> ops) {
		List<BatchRecord> records = new ArrayList<>();
		List<BatchEvent> events = new ArrayList<>();
		List<StatusChange> statuses = new ArrayList<>();
		for (Op op : ops) {
			if (op.record() != null) {
				records.add(op.record());
			}
			if (op.status() != null) {
				statuses.add(op.status());
			}
			if (op.event() != null) {
				events.add(op.event());
			}
		}
		return this.journal.complete(records, events)
			// An event number already taken (a lost race, a replica that lost its lease)
			// can
			// never succeed on retry: store the group's events one by one, skipping the
			// taken.
			.onErrorResume(DuplicateKeyException.class,
					(ex) -> this.journal.complete(records, List.of())
						.thenMany(Flux.fromIterable(events)
							.concatMap((event) -> this.journal.appendEvents(List.of(event))
								.onErrorResume(DuplicateKeyException.class, (duplicate) -> {
									logger.warn("Event " + event.seq() + " of batch " + event.batchId()
											+ " was already stored");
									return Mono.empty();
								})))
						.then())
			.thenMany(Flux.fromIterable(statuses)
				.concatMap((change) -> this.journal.updateStatus(change.batchId(), change.status(), change.reason())))
			.then()
			// The journal is the source of truth: keep trying rather than lose an
			// outcome.
			.retryWhen(Retry.backoff(Long.MAX_VALUE, Duration.ofMillis(100))
				.maxBackoff(Duration.ofSeconds(5))
				.doBeforeRetry((signal) -> logger.warn("Journal write failed, retrying: " + signal.failure())))
			.doOnSuccess((v) -> {
				events.forEach(this.bus::publish);
				ops.stream().filter((op) -> op.flushed() != null).forEach((op) -> op.flushed().run());
			});
	}

	void close() {
		this.pipeline.dispose();
	}

	private record StatusChange(String batchId, BatchStatus status, String reason) {
	}

	private record Op(BatchRecord record, StatusChange status, Runnable flushed, BatchEvent event) {
	}

}

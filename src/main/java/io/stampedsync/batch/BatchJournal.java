package io.stampedsync.batch;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.stampedsync.transfer.Outcome;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Durable store of batches, their records and event logs. Everything accepted is here
 * before it is acknowledged (DESIGN.md §2).
 */
public interface BatchJournal {

	/** Inserts a new batch; the journal assigns its accept sequence. */
	Mono<Batch> create(Batch batch);

	/** Appends records of a batch being received. */
	Mono<Void> insertRecords(List<BatchRecord> records);

	/** The body was read whole: the batch becomes {@code queued} with its total. */
	Mono<Void> markReceived(String batchId, int total, String bodyHash);

	/**
	 * The body was read whole, {@code rejected} of its records refused and the others
	 * written waiting: the batch becomes {@code queued} with its total, and keeps the
	 * counts for {@link #intakeCounts}.
	 */
	default Mono<Void> markReceived(String batchId, int total, String bodyHash, long rejected) {
		return markReceived(batchId, total, bodyHash);
	}

	/**
	 * The counts its intake wrote, while the batch is queued and has never started (no
	 * record of it can have changed since); empty otherwise, or when they were not kept.
	 */
	default Mono<RecordCounts> intakeCounts(String batchId) {
		return Mono.empty();
	}

	/** Removes a batch and all it holds (a malformed body, or one never acknowledged). */
	Mono<Void> discard(String batchId);

	/**
	 * Removes every batch created before {@code before} and still {@code receiving}:
	 * their bodies were never acknowledged.
	 */
	Mono<Long> discardUnacknowledged(Instant before);

	Mono<Batch> find(String batchId);

	Mono<Batch> findByIdempotencyKey(String subscriptionId, String idempotencyKey);

	/** Batches, newest first; {@code null} filters match everything. */
	Flux<Batch> findAll(String subscriptionId, BatchStatus status, int limit);

	/**
	 * Queued, running and paused batches of a subscription, in the order they should run.
	 */
	Flux<Batch> findUnfinished(String subscriptionId);

	/** Every subscription id with unfinished batches. */
	Flux<String> subscriptionsWithUnfinishedBatches();

	Mono<Void> updateStatus(String batchId, BatchStatus status, String reason);

	/**
	 * Records without an outcome and with an index above {@code afterIndex}, in order.
	 */
	Flux<BatchRecord> pending(String batchId, int afterIndex, int limit);

	/**
	 * The same, each with its customer's link in {@code subscriptionId} as this read
	 * found it, for the transfer to use without a look-up of its own when it is still the
	 * latest ({@code LinkStore}). A journal that cannot read them with the records
	 * answers none, and the transfers look their links up.
	 */
	default Flux<PendingRecord> pendingWithLinks(String subscriptionId, String batchId, int afterIndex, int limit) {
		return pending(batchId, afterIndex, limit).map(PendingRecord::withoutLink);
	}

	/** How many records have no outcome yet. */
	Mono<Long> countPending(String batchId);

	Mono<Map<Outcome, Long>> countOutcomes(String batchId);

	/**
	 * The pending count and the counts per outcome together, from one read of the batch's
	 * records where the journal can.
	 */
	default Mono<RecordCounts> countRecords(String batchId) {
		return Mono.zip(countPending(batchId), countOutcomes(batchId), RecordCounts::new);
	}

	/** Records with an outcome ({@code null}: any), by index, paged. */
	Flux<BatchRecord> records(String batchId, Outcome outcome, long offset, int limit);

	/**
	 * Runs {@code writes} only while the subscription's lease still carries the fence's
	 * token: in one transaction that locks the lease row against a change of hands, so a
	 * write either lands before another replica takes the lease or not at all. Answers
	 * false, having written nothing, when the lease moved on. An unchecked fence runs the
	 * writes as they are.
	 */
	Mono<Boolean> underFence(Fence fence, Mono<Void> writes);

	/** Writes finished records and events together, in one round trip where possible. */
	Mono<Void> complete(List<BatchRecord> finished, List<BatchEvent> events);

	/** Ends {@code cancelled} every record without an outcome, except those running. */
	Mono<Long> cancelPending(String batchId, Set<Integer> running);

	Mono<Void> appendEvents(List<BatchEvent> events);

	/** The event log after {@code afterSeq}, in order. */
	Flux<BatchEvent> events(String batchId, long afterSeq);

	/** The event log after {@code afterSeq} through {@code throughSeq}, in order. */
	default Flux<BatchEvent> events(String batchId, long afterSeq, long throughSeq) {
		return events(batchId, afterSeq).takeWhile((event) -> event.seq() <= throughSeq);
	}

	/** The latest event of {@code type} in the batch's log, if any. */
	Mono<BatchEvent> lastEvent(String batchId, String type);

	/**
	 * Events of {@code type} of every batch that is not a dry run, created in
	 * {@code [from, to)}, in no particular order (the throughput history is rebuilt from
	 * them after a restart).
	 */
	Flux<BatchEvent> eventsBetween(String type, Instant from, Instant to);

	/** The highest sequence number of the batch's log, 0 when empty. */
	Mono<Long> lastSeq(String batchId);

}

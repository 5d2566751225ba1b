package io.stampedsync.batch;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

import io.stampedsync.transfer.Outcome;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import reactor.core.Disposable;
import reactor.core.publisher.Mono;
import reactor.util.function.Tuple3;
import reactor.util.function.Tuples;
import reactor.util.retry.Retry;
import reactor.util.retry.RetryBackoffSpec;

/**
 * The journal reads a dispatcher makes beside its pipeline: what it must know to start a
 * batch, whether a queued batch has anything left to send, records read ahead, the cancel
 * of a batch's pending records. Each is retried with backoff for as long as it takes: a
 * failing journal is waited out, and a batch is never dropped or left to stall for a
 * failed read. Batch starts under way are kept, so that a restart or a halt can drop
 * them.
 */
final class DispatcherJournal {

	private static final Log logger = LogFactory.getLog(DispatcherJournal.class);

	private static final RetryBackoffSpec RETRY = Retry.backoff(Long.MAX_VALUE, Duration.ofMillis(100))
		.maxBackoff(Duration.ofSeconds(5));

	private final BatchJournal journal;

	/** Batch starts under way, by batch id. */
	private final Map<String, Disposable> starts = new ConcurrentHashMap<>();

	DispatcherJournal(BatchJournal journal) {
		this.journal = journal;
	}

	/**
	 * Loads the batch's last event number, pending count and counts per outcome, then
	 * hands them to {@code started}.
	 */
	void start(Batch batch, Consumer<Tuple3<Long, Long, Map<Outcome, Long>>> started) {
		AtomicReference<Disposable> self = new AtomicReference<>();
		Disposable starting = Mono
			.defer(() -> Mono.zip(this.journal.lastSeq(batch.id()),
					this.journal.intakeCounts(batch.id())
						.switchIfEmpty(Mono.defer(() -> this.journal.countRecords(batch.id())))))
			.map((loaded) -> Tuples.of(loaded.getT1(), loaded.getT2().pending(), loaded.getT2().outcomes()))
			.retryWhen(retry("start batch " + batch.id()))
			.subscribe((loaded) -> {
				// Only its own entry: a newer start of the batch may be under way.
				this.starts.remove(batch.id(), self.get());
				started.accept(loaded);
			});
		self.set(starting);
		if (!starting.isDisposed()) {
			this.starts.put(batch.id(), starting);
		}
	}

	/** Counts the batch's pending records. */
	void countPending(String batchId, Consumer<Long> counted) {
		Mono.defer(() -> this.journal.countPending(batchId))
			.retryWhen(retry("count the pending records of batch " + batchId))
			.subscribe(counted);
	}

	/**
	 * Reads up to {@code page} pending records after {@code afterIndex}, with their
	 * customers' links in {@code subscriptionId}.
	 */
	void read(String subscriptionId, String batchId, int afterIndex, int page, Consumer<List<PendingRecord>> read) {
		Mono.defer(() -> this.journal.pendingWithLinks(subscriptionId, batchId, afterIndex, page).collectList())
			.retryWhen(retry("read records of batch " + batchId))
			.subscribe(read);
	}

	/**
	 * Ends the batch's pending records {@code cancelled}, except those out now; hands on
	 * how many it ended.
	 */
	void cancelPending(String batchId, Set<Integer> outNow, Consumer<Long> cancelled) {
		Mono.defer(() -> this.journal.cancelPending(batchId, outNow))
			.retryWhen(retry("cancel batch " + batchId))
			.subscribe(cancelled);
	}

	/** Drops the batch starts under way (they are asked again, or never). */
	void dropStarts() {
		this.starts.values().forEach(Disposable::dispose);
		this.starts.clear();
	}

	private static RetryBackoffSpec retry(String what) {
		return RETRY.doBeforeRetry((signal) -> logger.warn("Could not " + what + ", retrying: " + signal.failure()));
	}

}

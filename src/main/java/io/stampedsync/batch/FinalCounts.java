package io.stampedsync.batch;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;

import io.stampedsync.transfer.Outcome;
import reactor.core.publisher.Mono;

import org.springframework.stereotype.Component;

/**
 * The outcome counts of batches in a final status, counted once and then kept (the most
 * recently asked for first). A final batch's records never change again (a retry of its
 * failed records is a new batch), so its counts stay true until it is pruned, and then it
 * is not found at all. Counting reads every record of the batch (a million records take
 * seconds), which a client polling a finished batch, or a dashboard listing it, would
 * otherwise pay on every request.
 * <p>
 * A batch that ends here is not counted at all: its dispatcher's counts, when they
 * account for every record of the batch, are kept as its final status lands
 * ({@link RunningBatch#finalCounts()}, {@link BatchLog}).
 */
@Component
class FinalCounts {

	/** Batches whose counts are kept: a few counts each, so a few hundred kilobytes. */
	static final int CAPACITY = 1024;

	private final Map<String, Map<Outcome, Long>> counts = new LinkedHashMap<>(64, 0.75f, true) {

		@Override
		protected boolean removeEldestEntry(Map.Entry<String, Map<Outcome, Long>> eldest) {
			return size() > CAPACITY;
		}

	};

	/**
	 * The counts of a batch in a final status: kept ones, or {@code count}'s, kept from
	 * then on.
	 */
	Mono<Map<Outcome, Long>> of(String batchId, Supplier<Mono<Map<Outcome, Long>>> count) {
		return Mono.defer(() -> {
			Map<Outcome, Long> kept = kept(batchId);
			if (kept != null) {
				return Mono.just(kept);
			}
			return count.get().doOnNext((counted) -> keep(batchId, counted));
		});
	}

	private synchronized Map<Outcome, Long> kept(String batchId) {
		return this.counts.get(batchId);
	}

	/** Keeps the counts of a batch whose final status is stored. */
	synchronized void keep(String batchId, Map<Outcome, Long> counted) {
		this.counts.put(batchId, Map.copyOf(counted));
	}

	synchronized int size() {
		return this.counts.size();
	}

}

package io.stampedsync.monitoring;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import io.stampedsync.batch.BatchJournal;
import reactor.core.publisher.Mono;

import org.springframework.stereotype.Component;

/**
 * Records without an outcome per unfinished batch: from the batch's progress events while
 * it runs, otherwise counted in the journal once (a queued batch does not change).
 */
@Component
class WaitingRecords {

	private final BatchJournal journal;

	private final Map<String, Long> byBatch = new ConcurrentHashMap<>();

	WaitingRecords(BatchJournal journal) {
		this.journal = journal;
	}

	void progress(String batchId, long waiting) {
		this.byBatch.put(batchId, Math.max(0, waiting));
	}

	void ended(String batchId) {
		this.byBatch.remove(batchId);
	}

	/** Records waiting in an unfinished batch. */
	Mono<Long> of(String batchId) {
		Long known = this.byBatch.get(batchId);
		if (known != null) {
			return Mono.just(known);
		}
		return this.journal.countPending(batchId).doOnNext((count) -> this.byBatch.putIfAbsent(batchId, count));
	}

	/** Forgets batches that are no longer unfinished. */
	void retain(Set<String> unfinishedBatchIds) {
		this.byBatch.keySet().retainAll(unfinishedBatchIds);
	}

}

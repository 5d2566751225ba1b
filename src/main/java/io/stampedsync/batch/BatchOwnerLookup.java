package io.stampedsync.batch;

import io.stampedsync.web.security.BatchOwners;
import reactor.core.publisher.Mono;

import org.springframework.stereotype.Component;

/**
 * Tells the API's scope guard which subscription a batch belongs to, from the journal.
 */
@Component
class BatchOwnerLookup implements BatchOwners {

	private final BatchJournal journal;

	BatchOwnerLookup(BatchJournal journal) {
		this.journal = journal;
	}

	@Override
	public Mono<String> subscriptionOf(String batchId) {
		return this.journal.find(batchId).map(Batch::subscriptionId);
	}

}

package io.stampedsync.batch;

import reactor.core.publisher.Mono;

import org.springframework.stereotype.Component;

/**
 * Starts an accepted batch: a dry run decides on its own, any other goes to its
 * dispatcher.
 */
@Component
class BatchLauncher {

	private final DispatcherManager dispatchers;

	private final DryRunner dryRuns;

	BatchLauncher(DispatcherManager dispatchers, DryRunner dryRuns) {
		this.dispatchers = dispatchers;
		this.dryRuns = dryRuns;
	}

	Mono<Void> launch(Batch batch) {
		return batch.dryRun() ? this.dryRuns.start(batch) : this.dispatchers.submit(batch);
	}

}

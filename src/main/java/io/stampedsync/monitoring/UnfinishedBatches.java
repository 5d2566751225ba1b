package io.stampedsync.monitoring;

import reactor.core.publisher.Flux;

import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Repository;

/**
 * The queued, running and paused batches of every subscription, in one indexed query (V3
 * adds {@code batch_by_status}): the monitoring reads them every second.
 */
@Repository
class UnfinishedBatches {

	private final DatabaseClient db;

	UnfinishedBatches(DatabaseClient db) {
		this.db = db;
	}

	Flux<Unfinished> all() {
		return this.db
			.sql("SELECT id, subscription_id, status FROM batch WHERE status IN ('queued', 'running', 'paused')")
			.map((row) -> new Unfinished(row.get("id", String.class), row.get("subscription_id", String.class),
					row.get("status", String.class)))
			.all();
	}

	/** One unfinished batch; {@code status} is its tag. */
	record Unfinished(String id, String subscriptionId, String status) {
	}

}

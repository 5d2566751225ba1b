package io.stampedsync.batch;

import java.util.Map;

import io.stampedsync.transfer.Outcome;

/**
 * The records of a batch by state: how many wait for their transfer, and how many ended
 * in each outcome.
 *
 * @param pending records without an outcome
 * @param outcomes records per outcome (an outcome no record has may be absent)
 */
public record RecordCounts(long pending, Map<Outcome, Long> outcomes) {

	public RecordCounts {
		outcomes = Map.copyOf(outcomes);
	}

}

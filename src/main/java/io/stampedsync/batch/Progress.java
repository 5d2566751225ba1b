package io.stampedsync.batch;

import java.util.Map;

import io.stampedsync.transfer.Outcome;

/**
 * Where a batch stands: counts per outcome, the call rate and an ETA from the remaining
 * records, the calls per record so far and the permitted rate.
 *
 * @param etaSeconds {@code null} when nothing is known yet or the batch is done
 */
record Progress(Map<Outcome, Long> counts, long done, double callsPerMinute, Long etaSeconds) {

}

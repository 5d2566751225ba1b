package io.stampedsync.batch;

import java.util.Map;

import io.stampedsync.transfer.Outcome;

/**
 * Where a batch stands: counts per outcome, its own calls over the last minute and an ETA
 * from its remaining calls and its share of the store's quota ({@link BatchEta}).
 *
 * @param callsPerMinute the batch's calls in the last minute, both directions
 * @param etaSeconds {@code null} when nothing is known yet, the batch is paused or done
 * @param stampedCallsPerMinute its Stamped.io calls in the last minute
 * @param ipaasCallsPerMinute its iPaaS.com calls in the last minute
 * @param limit what binds its pace ({@link BatchEta.Limit#tag()}), {@code null} when not
 * known
 */
record Progress(Map<Outcome, Long> counts, long done, double callsPerMinute, Long etaSeconds,
		Long stampedCallsPerMinute, Long ipaasCallsPerMinute, String limit) {

	Progress(Map<Outcome, Long> counts, long done, double callsPerMinute, Long etaSeconds) {
		this(counts, done, callsPerMinute, etaSeconds, null, null, null);
	}

}

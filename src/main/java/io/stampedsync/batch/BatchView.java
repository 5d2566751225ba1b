package io.stampedsync.batch;

import java.time.Instant;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * A batch as the API shows it: status, counts per outcome, rate and ETA.
 *
 * @param counts records per outcome ({@code created}, {@code updated}, …)
 * @param done records with an outcome
 * @param callsPerMinute the calls its own records made in the last minute, both
 * directions (while it runs)
 * @param etaSeconds estimated seconds left, from its remaining calls and its share of the
 * store's quota among the running and queued batches
 * @param stampedCallsPerMinute its Stamped.io calls in the last minute
 * @param ipaasCallsPerMinute its iPaaS.com calls in the last minute
 * @param limit what binds its pace: {@code stamped-quota}, {@code ipaas-quota},
 * {@code connections} or {@code paused}
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record BatchView(String id, String subscriptionId, String source, String status, String reason, boolean dryRun,
		boolean force, boolean debug, int total, long done, Map<String, Long> counts, Double callsPerMinute,
		Long etaSeconds, Long stampedCallsPerMinute, Long ipaasCallsPerMinute, String limit, String retryOf,
		Instant createdAt, Instant startedAt, Instant finishedAt) {

}

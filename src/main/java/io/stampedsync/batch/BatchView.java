package io.stampedsync.batch;

import java.time.Instant;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * A batch as the API shows it: status, counts per outcome, rate and ETA.
 *
 * @param counts records per outcome ({@code created}, {@code updated}, …)
 * @param done records with an outcome
 * @param callsPerMinute outbound calls per minute while it ran
 * @param etaSeconds estimated seconds left, from the remaining records, the calls per
 * record so far and the permitted rate
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record BatchView(String id, String subscriptionId, String source, String status, String reason, boolean dryRun,
		boolean force, boolean debug, int total, long done, Map<String, Long> counts, Double callsPerMinute,
		Long etaSeconds, String retryOf, Instant createdAt, Instant startedAt, Instant finishedAt) {

}

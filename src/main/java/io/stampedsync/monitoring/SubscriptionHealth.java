package io.stampedsync.monitoring;

import java.time.Instant;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * One subscription as {@code GET /api/v1/monitoring} and the dashboard's
 * {@code subscription} events show it.
 *
 * @param subscriptionId the subscription
 * @param health {@code healthy}, {@code cool-down}, {@code paused} or {@code stalled}
 * (work waiting, yet no call and no outcome for the watchdog's {@code stall-after}: its
 * dispatcher is being restarted)
 * @param until end of the cool-down (with {@code cool-down})
 * @param reason {@code credentials rejected} (with {@code paused}), {@code no progress}
 * (with {@code stalled})
 * @param detail what the dispatcher says about the pause, or what a stalled one was
 * waiting for
 * @param directions per direction ({@code stamped}, {@code ipaas}): calls in the window
 * against L, spacing, cool-down and credentials
 * @param queuedBatches batches waiting for a slot
 * @param runningBatches batches running
 * @param pausedBatches batches paused (credentials rejected)
 * @param recordsWaiting records of unfinished batches without an outcome yet
 * @param lastError the newest entry of the error log for this subscription
 * @param pipelineRestarts times the dispatcher's pipeline failed and was restarted since
 * this process started (absent when never)
 * @param lastPipelineFailure why the pipeline last failed (absent when never)
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record SubscriptionHealth(String subscriptionId, String health, Instant until, String reason, String detail,
		Map<String, DirectionLoad> directions, int queuedBatches, int runningBatches, int pausedBatches,
		long recordsWaiting, ErrorEntry lastError, Long pipelineRestarts, String lastPipelineFailure) {

	/** Health when nothing holds the subscription back. */
	public static final String HEALTHY = "healthy";

	/** Health while a 429 cool-down lasts. */
	public static final String COOL_DOWN = "cool-down";

	/** Health while the credentials are rejected. */
	public static final String PAUSED = "paused";

	/** Reason of {@link #PAUSED}. */
	public static final String CREDENTIALS_REJECTED = "credentials rejected";

	/** Health while the watchdog finds work that does not move. */
	public static final String STALLED = "stalled";

	/** Reason of {@link #STALLED}. */
	public static final String NO_PROGRESS = "no progress";

	/**
	 * One direction's load.
	 *
	 * @param calls calls (every attempt) in the last window of W
	 * @param callsPerMinute calls (every attempt) in the last minute, whatever W: what
	 * the calls per minute of this subscription's batches add up to at most
	 * @param limit L
	 * @param windowSeconds W
	 * @param spacingMs the mean spacing between two calls of a lane using its whole
	 * quota, W/L
	 * @param coolDownUntil end of a current cool-down
	 * @param credentialsRejected whether this direction's credentials are rejected
	 */
	@JsonInclude(JsonInclude.Include.NON_NULL)
	public record DirectionLoad(long calls, long callsPerMinute, int limit, int windowSeconds, Double spacingMs,
			Instant coolDownUntil, boolean credentialsRejected) {

	}

}

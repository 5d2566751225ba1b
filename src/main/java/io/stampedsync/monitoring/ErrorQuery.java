package io.stampedsync.monitoring;

import java.time.Instant;

/**
 * Filters of the error log; {@code null} matches everything.
 *
 * @param subscriptionId only this subscription
 * @param code only this error code (an {@code ErrorCode} name)
 * @param batchId only this batch
 * @param kind only {@code transfer} or only {@code call} entries
 * @param since only entries that occurred at or after this instant
 */
record ErrorQuery(String subscriptionId, String code, String batchId, String kind, Instant since) {

	static ErrorQuery ofSubscription(String subscriptionId) {
		return new ErrorQuery(subscriptionId, null, null, null, null);
	}

}

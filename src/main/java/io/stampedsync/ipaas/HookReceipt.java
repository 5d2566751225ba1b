package io.stampedsync.ipaas;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * The answer to a hook delivery: what happens to each notification, and the batch that
 * holds the new ones ({@code null} when every notification was a redelivery).
 *
 * @param deliveryId the delivery's own id, as sent
 * @param batchId the batch of this delivery, or {@code null}
 * @param queued notifications whose customer will be fetched and transferred
 * @param refused notifications recorded as rejected with a code (deletes,
 * initializations)
 * @param duplicates notifications already delivered before (same tracking guid)
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
record HookReceipt(String deliveryId, String subscriptionId, String batchId, int queued, int refused, int duplicates,
		List<NotificationResult> notifications) {

	/** What happens to one notification. */
	static final String QUEUED = "queued";

	static final String REFUSED = "refused";

	static final String DUPLICATE = "duplicate";

	/**
	 * One notification's fate.
	 *
	 * @param index its place in the delivery, from 0
	 * @param result {@code queued}, {@code refused} or {@code duplicate}
	 * @param code the error code of a refused one
	 * @param record its record index in the batch, when it has one
	 */
	@JsonInclude(JsonInclude.Include.NON_NULL)
	record NotificationResult(int index, String id, String scope, String trackingGuid, String result, String code,
			String message, Integer record) {

	}

}

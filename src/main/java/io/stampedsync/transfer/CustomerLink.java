package io.stampedsync.transfer;

import java.time.Instant;

/**
 * iPaaS customer id ↔ Stamped customer id, with what was last sent (DESIGN.md §1).
 *
 * @param fingerprint of the payload last sent with success, or {@code null} when the last
 * transfer did not finish (so the next one sends again)
 * @param subscribed the last survey subscription state set, {@code null} when never set
 * @param sourceBatchSeq accept sequence of the batch whose record last landed
 * @param sourceIndex index of that record in its batch
 */
public record CustomerLink(String subscriptionId, String ipaasCustomerId, String stampedCustomerId, String fingerprint,
		Boolean subscribed, long sourceBatchSeq, int sourceIndex, Instant updatedAt) {

	/** Whether the record that last landed came after the record at this place. */
	public boolean isNewerThan(long batchSeq, int index) {
		return this.sourceBatchSeq > batchSeq || (this.sourceBatchSeq == batchSeq && this.sourceIndex > index);
	}

}

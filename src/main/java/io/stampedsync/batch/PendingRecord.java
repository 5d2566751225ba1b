package io.stampedsync.batch;

import io.stampedsync.transfer.PrefetchedLink;

/**
 * A record read ahead for its transfer, with its customer's link as the same read found
 * it.
 *
 * @param record the record, without an outcome
 * @param link the link read with it, or {@code null} when the journal does not read links
 * with its pages (the transfer then looks it up)
 */
public record PendingRecord(BatchRecord record, PrefetchedLink link) {

	/** A record read without its link. */
	public static PendingRecord withoutLink(BatchRecord record) {
		return new PendingRecord(record, null);
	}

}

package io.stampedsync.monitoring;

import java.time.Instant;

/**
 * What one subscription did in one minute, in all and per direction.
 *
 * @param at the start of the minute
 * @param records records that ended in that minute (any outcome of a transfer)
 * @param calls outbound calls made for them, both directions, retries included
 * @param errors those that ended {@code failed} or {@code rejected}
 * @param directions the same per direction of the calls
 */
public record ThroughputPoint(Instant at, long records, long calls, long errors, Directions directions) {

	/** A minute without work. */
	static ThroughputPoint empty(Instant at) {
		return new ThroughputPoint(at, 0, 0, 0, new Directions(Counts.NONE, Counts.NONE));
	}

	/**
	 * A minute per direction.
	 *
	 * @param stamped calls to Stamped.io, and the records that made them
	 * @param ipaas calls to iPaaS.com, and the records that made them
	 */
	public record Directions(Counts stamped, Counts ipaas) {
	}

	/**
	 * One direction's minute.
	 *
	 * @param records records that ended in that minute and called this direction at least
	 * once (an unchanged record calls neither)
	 * @param calls their calls in this direction, retries included
	 * @param errors those of the records that ended {@code failed} or {@code rejected}
	 */
	public record Counts(long records, long calls, long errors) {

		static final Counts NONE = new Counts(0, 0, 0);

	}

}

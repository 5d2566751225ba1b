package io.stampedsync.monitoring;

import java.time.Instant;

/**
 * What one subscription did in one minute.
 *
 * @param at the start of the minute
 * @param records records that ended in that minute (any outcome of a transfer)
 * @param calls outbound calls made for them, both directions, retries included
 * @param errors those that ended {@code failed} or {@code rejected}
 */
public record ThroughputPoint(Instant at, long records, long calls, long errors) {

}

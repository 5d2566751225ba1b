package io.stampedsync.batch;

/**
 * A batch as its intake ends: stored whole and queued.
 *
 * @param batch the batch
 * @param counts its records by state as the intake wrote them, or {@code null} when this
 * intake did not write them (a repeated {@code Idempotency-Key} gives the earlier batch,
 * which may have moved on since)
 */
public record AcceptedBatch(Batch batch, RecordCounts counts) {

}

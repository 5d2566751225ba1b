package io.stampedsync.batch;

/**
 * The query and header options of a batch POST.
 *
 * @param dryRun map, validate and decide, call nothing
 * @param force send unchanged customers too
 * @param idempotencyKey the {@code Idempotency-Key} header, or {@code null}
 */
public record IntakeOptions(boolean dryRun, boolean force, String idempotencyKey) {

}

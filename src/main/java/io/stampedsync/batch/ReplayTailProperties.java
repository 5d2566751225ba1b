package io.stampedsync.batch;

import jakarta.validation.constraints.Min;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * The latest events of each batch kept in memory, encoded, for the watchers that connect
 * or resume ({@code stamped-sync.batches.replay-tail.*}): a watcher whose events the tail
 * still holds reads nothing from the journal.
 *
 * @param events most events kept per batch; 0 keeps none (every watcher reads its replay
 * from the journal, and no event is encoded without a watcher)
 * @param bytes most encoded bytes kept per batch
 * @param totalBytes most encoded bytes kept for all batches together; past it, the oldest
 * events of the batches quiet the longest go first
 */
@Validated
@ConfigurationProperties("stamped-sync.batches.replay-tail")
public record ReplayTailProperties(@DefaultValue("4096") @Min(0) int events,
		@DefaultValue("2097152") @Min(0) long bytes, @DefaultValue("33554432") @Min(0) long totalBytes) {

	/** Whether a tail is kept at all. */
	boolean enabled() {
		return this.events > 0 && this.bytes > 0 && this.totalBytes > 0;
	}

}

package io.stampedsync.journal;

import java.time.Duration;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * How long finished batches stay in the journal ({@code stamped-sync.journal.*}).
 * Customer links (the sync state) are never pruned.
 *
 * @param retention finished batches (completed, completed with errors, cancelled), their
 * records and events are deleted this long after they finished
 * @param pruneInterval time between two background prunings
 * @param pruneChunk rows deleted per statement while pruning (small: each statement holds
 * its locks only briefly, next to the hot path's writes)
 * @param pruneBatches finished batches looked up per pruning round
 */
@Validated
@ConfigurationProperties(JournalRetentionProperties.PREFIX)
public record JournalRetentionProperties(@DefaultValue("30d") @NotNull Duration retention,
		@DefaultValue("1h") @NotNull Duration pruneInterval, @DefaultValue("1000") @Min(1) @Max(100_000) int pruneChunk,
		@DefaultValue("100") @Min(1) @Max(10_000) int pruneBatches) {

	/** The prefix of these properties. */
	public static final String PREFIX = "stamped-sync.journal";

	/** The defaults. */
	public static JournalRetentionProperties defaults() {
		return new JournalRetentionProperties(Duration.ofDays(30), Duration.ofHours(1), 1000, 100);
	}

}

package io.stampedsync.monitoring;

import java.time.Duration;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Error log, monitoring snapshot and metrics settings
 * ({@code stamped-sync.monitoring.*}).
 *
 * @param errorRetention how long error log entries are kept
 * @param pruneInterval time between two background prunings of the error log
 * @param pruneChunk rows deleted per statement while pruning
 * @param errorBuffer error entries waiting to be written; beyond it new ones are dropped
 * and counted in {@code stamped_sync_errors_dropped_total}
 * @param errorGroup most error entries written in one round trip (a group goes out as
 * soon as the previous one is written, full or not)
 * @param snapshotInterval time between two refreshes of the monitoring snapshot (and of
 * the records-waiting gauges)
 * @param maxTaggedSubscriptions subscriptions that get their own metric tag value; the
 * others are tagged {@code other}
 */
@Validated
@ConfigurationProperties("stamped-sync.monitoring")
public record MonitoringProperties(@DefaultValue("14d") @NotNull Duration errorRetention,
		@DefaultValue("1h") @NotNull Duration pruneInterval, @DefaultValue("1000") @Min(1) int pruneChunk,
		@DefaultValue("10000") @Min(16) int errorBuffer, @DefaultValue("256") @Min(1) @Max(5000) int errorGroup,
		@DefaultValue("1s") @NotNull Duration snapshotInterval,
		@DefaultValue("500") @Min(1) int maxTaggedSubscriptions) {

}

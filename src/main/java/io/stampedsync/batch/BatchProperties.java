package io.stampedsync.batch;

import java.time.Duration;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Limits of batch intake and running ({@code stamped-sync.batches.*}).
 *
 * @param maxRecords most records one batch may hold; more is refused with 413
 * @param maxRecordBytes largest accepted customer JSON; a larger record is rejected alone
 * (at most 1 MiB, the journal's payload column)
 * @param readAhead records a dispatcher reads ahead from the journal per running batch
 * @param intakeChunk records written to the journal per round trip while a body streams
 * in
 * @param intakeChunkBytes most payload bytes (UTF-8, as received) in one chunk, however
 * few its records: a record that would take a chunk over it starts the next one, so large
 * records do not pile up in memory
 * @param progressIntervalMillis least time between two progress events of a batch
 * @param heartbeatSeconds seconds between SSE heartbeat comments
 * @param stallAfter how long a subscription with work, neither paused nor cooling down,
 * may go without a call or an outcome before the watchdog calls it stalled and restarts
 * its dispatcher
 * @param restartBackoff first wait before a dispatcher whose pipeline failed runs again
 * (doubling, with jitter, up to {@code restartMaxBackoff})
 * @param restartMaxBackoff longest wait between two restarts of a failing pipeline
 * @param stopGrace how long a stopping dispatcher waits for its calls in flight before it
 * drops them (their records stay pending and run again at the next start)
 */
@Validated
@ConfigurationProperties("stamped-sync.batches")
public record BatchProperties(@DefaultValue("1000000") @Min(1) int maxRecords,
		@DefaultValue("65536") @Min(256) @Max(1048576) int maxRecordBytes,
		@DefaultValue("256") @Min(8) @Max(10000) int readAhead, @DefaultValue("1000") @Min(1) int intakeChunk,
		@DefaultValue("1048576") @Min(1024) int intakeChunkBytes,
		@DefaultValue("500") @Min(50) long progressIntervalMillis, @DefaultValue("15") @Min(1) long heartbeatSeconds,
		@DefaultValue("2m") Duration stallAfter, @DefaultValue("100ms") Duration restartBackoff,
		@DefaultValue("30s") Duration restartMaxBackoff, @DefaultValue("20s") Duration stopGrace) {

}

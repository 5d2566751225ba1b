package io.stampedsync.ipaas;

import java.time.Duration;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Settings of the iPaaS.com side: hooks and Manual Sync.
 *
 * @param manualSyncMaxIds ids one Manual Sync may name at most (iPaaS.com's own limit is
 * 3000)
 * @param hookClaimTimeout a tracking guid claimed by a delivery that never reached the
 * journal (the gateway stopped in between) is free again after this long
 * @param hookRetention how long delivered tracking guids are remembered to spot
 * redeliveries
 * @param hookCleanupInterval how often tracking guids older than the retention are
 * forgotten
 */
@Validated
@ConfigurationProperties(IpaasProperties.PREFIX)
public record IpaasProperties(@DefaultValue("3000") @Min(1) @Max(100_000) int manualSyncMaxIds,
		@DefaultValue("2m") @NotNull Duration hookClaimTimeout, @DefaultValue("30d") @NotNull Duration hookRetention,
		@DefaultValue("1h") @NotNull Duration hookCleanupInterval) {

	/** The prefix of these properties. */
	public static final String PREFIX = "stamped-sync.ipaas";

}

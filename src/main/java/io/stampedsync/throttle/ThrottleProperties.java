package io.stampedsync.throttle;

import java.time.Duration;

import jakarta.validation.constraints.NotNull;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Settings of the pacing of every subscription (L and W come from each subscription).
 *
 * @param margin added to W between a permit and the one L places before it: room for the
 * jitter between a permit and the call's arrival at the remote. A busy lane runs at W /
 * (W + margin) of L/W: 0.990 at W = 2 s, 0.993 at W = 3 s, 0.9997 at W = 60 s with 20 ms.
 */
@Validated
@ConfigurationProperties(ThrottleProperties.PREFIX)
public record ThrottleProperties(@DefaultValue("100ms") @NotNull Duration margin) {

	/** The prefix of these properties. */
	public static final String PREFIX = "stamped-sync.throttle";

	/** The default margin. */
	public static final Duration DEFAULT_MARGIN = Duration.ofMillis(100);

}

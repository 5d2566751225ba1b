package io.stampedsync.throttle;

import java.time.Duration;

import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.NotNull;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Settings of the pacing of every subscription (L and W come from each subscription).
 * <p>
 * The lag share is 1 by default: the answer of a call bounds its arrival, which no delay
 * can break. A smaller share (0.005: at least 0.995 of L/W) trusts every request to reach
 * the remote within the lag of its start; on a loaded 2-core machine, where a cold
 * connection's first request took 2.6 s to arrive, that let 21 and 22 calls into 2 s
 * windows of L = 20 (bench, cluster scenario).
 *
 * @param margin how long a call given up mid-flight (a timeout, a cancelled batch) still
 * counts after it was given up: its request may still reach the remote
 * @param lagShare the arrival lag as a share of W: a call counts as received by the
 * remote at its start plus this share of W, or at its answer if that comes sooner. A busy
 * lane runs at W / (W + lag) of L/W at worst: 0.995 with 0.005 (a lag of 10 ms at W = 2
 * s, 300 ms at W = 60 s). 1 (the default) makes every call answered within W count until
 * its answer, a hard bound (a busy lane then runs at W / (W + answer time)).
 */
@Validated
@ConfigurationProperties(ThrottleProperties.PREFIX)
public record ThrottleProperties(@DefaultValue("100ms") @NotNull Duration margin,
		@DefaultValue("1") @DecimalMin(value = "0", inclusive = false) @DecimalMax("1") double lagShare) {

	/** The prefix of these properties. */
	public static final String PREFIX = "stamped-sync.throttle";

	/** The default margin. */
	public static final Duration DEFAULT_MARGIN = Duration.ofMillis(100);

	/**
	 * The default arrival lag, as a share of W: all of it, so the answer is the bound.
	 */
	public static final double DEFAULT_LAG_SHARE = 1;

}

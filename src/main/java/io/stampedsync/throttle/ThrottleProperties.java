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
 * By default a call counts until its answer, less the lane's shortest recent round trip,
 * plus the round-trip slack (see {@link SlidingLogLimiter}): the part of a round trip
 * that comes after the request reached the remote (the remote's work and the way back) is
 * taken to be no shorter than the shortest recent round trip less the slack. A slow or
 * cold request (a new connection took 2.6 s on a loaded 2-core machine) only lengthens
 * its own round trip, so it stays covered; a call counts until its answer while the
 * lane's history is too short (see {@link RoundTrips#WARM}).
 * <p>
 * The lag share is 1 by default: no lag bound, a call in flight counts until it ends. A
 * smaller share (0.005: at least 0.995 of L/W) trusts every request to reach the remote
 * within the lag of its start; on a loaded 2-core machine that let 21 and 22 calls into 2
 * s windows of L = 20 (bench, cluster scenario).
 *
 * @param margin how long a call given up mid-flight (a timeout, a cancelled batch) still
 * counts after it was given up: its request may still reach the remote
 * @param lagShare the arrival lag as a share of W: a call counts as received by the
 * remote at its start plus this share of W at the latest. A busy lane runs at W / (W +
 * lag) of L/W at worst: 0.995 with 0.005 (a lag of 10 ms at W = 2 s, 300 ms at W = 60 s).
 * 1 (the default): no lag bound
 * @param roundTripSlack how much faster than the lane's shortest recent round trip the
 * part of a round trip after the request's arrival may be: a call counts as received by
 * the remote at its answer less that shortest round trip plus this slack. A busy lane
 * runs at about W / (W + slack + the answer time's spread) of L/W; a slack as long as the
 * answer time (or longer) counts every call until its answer (W / (W + answer time))
 */
@Validated
@ConfigurationProperties(ThrottleProperties.PREFIX)
public record ThrottleProperties(@DefaultValue("100ms") @NotNull Duration margin,
		@DefaultValue("1") @DecimalMin(value = "0", inclusive = false) @DecimalMax("1") double lagShare,
		@DefaultValue("5ms") @NotNull Duration roundTripSlack) {

	/** The prefix of these properties. */
	public static final String PREFIX = "stamped-sync.throttle";

	/** The default margin. */
	public static final Duration DEFAULT_MARGIN = Duration.ofMillis(100);

	/**
	 * The default arrival lag, as a share of W: all of it, so the lag bounds nothing a
	 * call's answer within W does not.
	 */
	public static final double DEFAULT_LAG_SHARE = 1;

	/** The default round-trip slack. */
	public static final Duration DEFAULT_ROUND_TRIP_SLACK = Duration.ofMillis(5);

	/**
	 * A slack so long that no round trip exceeds it: every call counts until its answer
	 * (or its start plus the lag).
	 */
	public static final Duration NO_ROUND_TRIP_CREDIT = Duration.ofDays(365);

	public ThrottleProperties {
		if (margin.isNegative() || roundTripSlack.isNegative()) {
			throw new IllegalArgumentException("margin and round-trip slack must not be negative");
		}
		if (!(lagShare > 0 && lagShare <= 1)) {
			throw new IllegalArgumentException("lag share must be above 0 and at most 1");
		}
	}

	/** The defaults. */
	public static ThrottleProperties defaults() {
		return new ThrottleProperties(DEFAULT_MARGIN, DEFAULT_LAG_SHARE, DEFAULT_ROUND_TRIP_SLACK);
	}

	/** These settings with another round-trip slack. */
	public ThrottleProperties withRoundTripSlack(Duration slack) {
		return new ThrottleProperties(this.margin, this.lagShare, slack);
	}

}

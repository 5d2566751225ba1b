package io.stampedsync.outbound;

import java.time.Duration;

import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;
import org.springframework.validation.annotation.Validated;

/**
 * Settings of every outbound call to Stamped.io and iPaaS.com: timeouts, retries and the
 * connection pool of each subscription.
 *
 * @param connectTimeout how long opening a TCP connection may take
 * @param responseTimeout how long to wait for the response, and between reads of its body
 * @param maxAttempts attempts of one call at most, the first included
 * @param minBackoff delay before the first retry, doubled for each further one
 * @param maxBackoff longest delay between two attempts, jitter included
 * @param jitter random share of each backoff (0 = none, 1 = up to ±100%)
 * @param maxRetryAfter longest Retry-After honoured; longer ones are cut to this
 * @param rateLimitCoolDown cool-down of a subscription after a 429 without Retry-After
 * @param maxIdleTime pooled connections idle longer than this are closed (below the
 * server's keep-alive)
 * @param pendingAcquireMaxCount calls waiting for a pooled connection at most
 * @param pendingAcquireTimeout how long a call may wait for a pooled connection
 * @param maxResponseSize largest response body read into memory
 * @param poolDisposeDelay grace time before the pool of replaced settings is closed
 */
@Validated
@ConfigurationProperties(OutboundProperties.PREFIX)
public record OutboundProperties(@DefaultValue("5s") @NotNull Duration connectTimeout,
		@DefaultValue("30s") @NotNull Duration responseTimeout, @DefaultValue("5") @Min(1) @Max(20) int maxAttempts,
		@DefaultValue("200ms") @NotNull Duration minBackoff, @DefaultValue("10s") @NotNull Duration maxBackoff,
		@DefaultValue("0.5") @DecimalMin("0.0") @DecimalMax("1.0") double jitter,
		@DefaultValue("120s") @NotNull Duration maxRetryAfter, @DefaultValue("60s") @NotNull Duration rateLimitCoolDown,
		@DefaultValue("30s") @NotNull Duration maxIdleTime,
		@DefaultValue("1000") @Min(1) @Max(100_000) int pendingAcquireMaxCount,
		@DefaultValue("60s") @NotNull Duration pendingAcquireTimeout,
		@DefaultValue("2MB") @NotNull DataSize maxResponseSize,
		@DefaultValue("60s") @NotNull Duration poolDisposeDelay) {

	/** The prefix of these properties. */
	public static final String PREFIX = "stamped-sync.outbound";

	/** The defaults, as documented in docs/configuration.md (for tests and tools). */
	public static OutboundProperties defaults() {
		return new OutboundProperties(Duration.ofSeconds(5), Duration.ofSeconds(30), 5, Duration.ofMillis(200),
				Duration.ofSeconds(10), 0.5, Duration.ofSeconds(120), Duration.ofSeconds(60), Duration.ofSeconds(30),
				1000, Duration.ofSeconds(60), DataSize.ofMegabytes(2), Duration.ofSeconds(60));
	}

}

package io.stampedsync.outbound;

import java.time.Clock;
import java.time.Duration;

import io.stampedsync.outbound.HttpAttempts.Reply;

import org.springframework.http.HttpHeaders;

/**
 * What a refusing server asked of both directions alike: the delay of its
 * {@code Retry-After} (capped at max-retry-after), and for a 429 how long the whole
 * direction of the subscription cools down (that delay, else the configured rate-limit
 * cool-down).
 *
 * @param retryAfter the delay the server asked for, or {@code null}
 * @param coolDown how long nobody calls the direction after a 429
 */
public record ServerDelay(Duration retryAfter, Duration coolDown) {

	/** The delays a reply asks for, read against {@code clock}. */
	public static ServerDelay of(Reply reply, Clock clock, OutboundProperties properties) {
		Duration retryAfter = RetryAfter
			.parse(reply.headers().getFirst(HttpHeaders.RETRY_AFTER), clock.instant(), properties.maxRetryAfter())
			.orElse(null);
		return new ServerDelay(retryAfter, (retryAfter != null) ? retryAfter : properties.rateLimitCoolDown());
	}

}

package io.stampedsync.outbound;

import java.time.Duration;

/**
 * One attempt of an outbound call, as told to {@link CallObserver}s: enough for a debug
 * trace or a metric, never a credential.
 *
 * @param direction where the call went
 * @param subscriptionId the subscription it was made for
 * @param method the HTTP method
 * @param path path and query, without scheme, host or credentials
 * @param status the HTTP status, or 0 when there was no response
 * @param error the classification of a failure, or {@code null} when it succeeded (or for
 * a 404 that means "no such customer")
 * @param duration from sending the request to the end of the response or the failure
 * @param attempt 1 for the first attempt, 2 for the first retry, …
 */
public record OutboundCall(Direction direction, String subscriptionId, String method, String path, int status,
		ErrorCode error, Duration duration, int attempt) {

	/** Whether the call got a 2xx. */
	public boolean succeeded() {
		return this.status >= 200 && this.status < 300;
	}

}

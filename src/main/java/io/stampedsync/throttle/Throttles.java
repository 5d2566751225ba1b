package io.stampedsync.throttle;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

import io.stampedsync.outbound.Direction;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * The pacing, cool-down and credential state of every subscription, per direction
 * (DESIGN.md §2). Limiters follow the subscription's settings as they change.
 */
public interface Throttles {

	/**
	 * Wraps one attempt of a call: waits out any cool-down, then takes a permit of the
	 * direction's limiter, then subscribes to {@code call}. Apply it inside retries so
	 * that every attempt takes a permit.
	 */
	<T> Mono<T> withPermit(String subscriptionId, Direction direction, Mono<T> call);

	/**
	 * A 429: nobody calls this subscription in this direction until the delay is over.
	 */
	void coolDown(String subscriptionId, Direction direction, Duration delay);

	/** When the current cool-down ends, if there is one. */
	Optional<Instant> coolDownUntil(String subscriptionId, Direction direction);

	/** A 401/403: no further calls until the settings change or verify succeeds. */
	void rejectCredentials(String subscriptionId, Direction direction);

	/**
	 * A 401/403 answered to a call made with this version of the settings: rejects the
	 * credentials only while that version is the newest known, so the late answer to a
	 * call with superseded keys never stops the current ones (PITFALLS 12).
	 * @return whether the credentials are now rejected (false for a superseded version)
	 */
	boolean rejectCredentials(String subscriptionId, Direction direction, long settingsVersion);

	/**
	 * Whether this version of the subscription's settings is the newest known here.
	 */
	boolean isCurrent(String subscriptionId, long settingsVersion);

	/** Whether the credentials of this direction were rejected and not accepted since. */
	boolean credentialsRejected(String subscriptionId, Direction direction);

	/** Verify succeeded: calls may go again. */
	void acceptCredentials(String subscriptionId, Direction direction);

	/** Hot stream of subscription ids whose credentials were accepted again. */
	Flux<String> credentialsAccepted();

}

package io.stampedsync.stamped;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

import io.stampedsync.outbound.Direction;
import io.stampedsync.outbound.ErrorCode;
import io.stampedsync.outbound.OutboundCallException;
import io.stampedsync.outbound.OutboundProperties;
import io.stampedsync.outbound.RemoteText;
import io.stampedsync.outbound.ServerDelay;
import io.stampedsync.outbound.TransportFailure;
import io.stampedsync.stamped.StampedExchange.Request;
import io.stampedsync.outbound.HttpAttempts;
import io.stampedsync.outbound.HttpAttempts.Reply;
import io.stampedsync.subscription.Secret;
import io.stampedsync.subscription.SubscriptionSettings;
import io.stampedsync.throttle.Throttles;

/**
 * Classifies what went wrong with one Stamped.io attempt (DESIGN.md §5) and tells the
 * throttles: a 429 cools the whole subscription down, a 401/403 rejects its credentials.
 */
final class StampedFailures implements HttpAttempts.Classifier<Request> {

	static final String CREDENTIALS_HINT = "check API Public Key, API Private Key and API Store Hash";

	static final String STORE_HINT = "check API Store Hash";

	private final SubscriptionSettings settings;

	private final Throttles throttles;

	private final OutboundProperties properties;

	private final StampedWire wire;

	private final Clock clock;

	StampedFailures(SubscriptionSettings settings, Throttles throttles, OutboundProperties properties, StampedWire wire,
			Clock clock) {
		this.settings = settings;
		this.throttles = throttles;
		this.properties = properties;
		this.wire = wire;
		this.clock = clock;
	}

	/** The failure for a non-2xx response. */
	@Override
	public RuntimeException forStatus(Request request, Reply response) {
		int status = response.status();
		String prefix = request.operation().prefix() + ": HTTP " + status;
		String remote = RemoteText.clean(this.wire.remoteMessage(response.body()), masks());
		String message = remote.isEmpty() ? prefix : prefix + " " + remote;
		if (status == 401 || status == 403) {
			rejectCredentials();
			return failure(ErrorCode.STAMPED_AUTH, status, message + " (" + CREDENTIALS_HINT + ")", null);
		}
		if (status == 404 && request.customerId() != null) {
			return new CustomerNotFoundException(request.customerId());
		}
		if (status == 404) {
			// Paths without a customer id exist in every store: a 404 there means the
			// store hash is wrong.
			rejectCredentials();
			return failure(ErrorCode.STAMPED_AUTH, status, message + " (" + STORE_HINT + ")", null);
		}
		ServerDelay delay = ServerDelay.of(response, this.clock, this.properties);
		Duration retryAfter = delay.retryAfter();
		if (status == 429) {
			this.throttles.coolDown(this.settings.id(), Direction.STAMPED, delay.coolDown());
			return failure(ErrorCode.STAMPED_RATE_LIMITED, status, message, retryAfter);
		}
		if (status == 408) {
			return failure(ErrorCode.STAMPED_TIMEOUT, status, message, retryAfter);
		}
		if (status >= 500) {
			return failure(ErrorCode.STAMPED_UNAVAILABLE, status, message, retryAfter);
		}
		return failure(ErrorCode.STAMPED_VALIDATION, status, message, null);
	}

	/**
	 * Rejects the credentials of the settings version this client was built with: a no-op
	 * once newer settings are known, as the answer is then about keys no longer in use.
	 */
	private void rejectCredentials() {
		this.throttles.rejectCredentials(this.settings.id(), Direction.STAMPED, this.settings.version());
	}

	/**
	 * The failure for an exception below HTTP: a timeout, a refused or reset connection.
	 */
	@Override
	public OutboundCallException forTransport(Request request, Throwable error) {
		if (error instanceof OutboundCallException outbound) {
			return outbound;
		}
		TransportFailure kind = TransportFailure.of(error);
		ErrorCode code = kind.isTimeout() ? ErrorCode.STAMPED_TIMEOUT : ErrorCode.NETWORK;
		String what = kind.isTimeout()
				? "no response from Stamped.io within " + this.properties.responseTimeout().toMillis() + " ms"
				: (kind == TransportFailure.IO || kind == TransportFailure.OTHER)
						? kind.description() + " (" + TransportFailure.rootOf(error).getClass().getSimpleName() + ")"
						: kind.description();

		// The root cause only: the transport's own exception, which holds no header.
		return new OutboundCallException(code, 0, request.operation().prefix() + ": " + what, null,
				TransportFailure.rootOf(error));
	}

	@Override
	public int statusOf(Throwable error) {
		// A 404 for a customer id is an answer ("no such customer"), not a failed call.
		return (error instanceof CustomerNotFoundException) ? 404 : HttpAttempts.Classifier.super.statusOf(error);
	}

	/**
	 * A 2xx create or update without a customer id: Stamped.io did not say what it did.
	 */
	OutboundCallException withoutId(Request request, Reply response) {
		return failure(ErrorCode.STAMPED_VALIDATION, response.status(), request.operation().prefix() + ": HTTP "
				+ response.status() + " without a customer id (neither \"id\" nor \"customerId\") in the response",
				null);
	}

	/**
	 * A 2xx whose body cannot be read: transient like a reset, since the answer was lost
	 * on the way, whatever Stamped.io did (a create is safe to repeat, DESIGN.md §5).
	 * {@code STAMPED_UNAVAILABLE} once the attempts are used up.
	 */
	OutboundCallException unreadable(Request request, Reply response) {
		return failure(ErrorCode.STAMPED_UNAVAILABLE, response.status(),
				request.operation().prefix() + ": HTTP " + response.status() + " with a body that cannot be read",
				null);
	}

	private static OutboundCallException failure(ErrorCode code, int status, String message, Duration retryAfter) {
		return new OutboundCallException(code, status, message, retryAfter, null);
	}

	/**
	 * Stamped.io might echo a key or the Authorization header back; neither may reach a
	 * message.
	 */
	private Map<String, String> masks() {
		Secret key = this.settings.apiPrivateKey();
		if (key == null) {
			return Map.of();
		}
		String credentials = Base64.getEncoder()
			.encodeToString((this.settings.apiPublicKey() + ":" + key.reveal()).getBytes(StandardCharsets.UTF_8));
		Map<String, String> masks = new LinkedHashMap<>();
		// The encoded header first: it does not contain the key, but masking the key
		// first could break a longer match that does.
		masks.put(credentials, "…");
		masks.put(key.reveal(), key.masked());
		return masks;
	}

}

package io.stampedsync.ipaas;

import java.time.Clock;
import java.time.Duration;
import java.util.Map;

import io.stampedsync.ipaas.IpaasExchange.Request;
import io.stampedsync.outbound.HttpAttempts;
import io.stampedsync.outbound.HttpAttempts.Reply;
import io.stampedsync.outbound.Direction;
import io.stampedsync.outbound.ErrorCode;
import io.stampedsync.outbound.OutboundCallException;
import io.stampedsync.outbound.OutboundProperties;
import io.stampedsync.outbound.RemoteText;
import io.stampedsync.outbound.ServerDelay;
import io.stampedsync.outbound.TransportFailure;
import io.stampedsync.subscription.Secret;
import io.stampedsync.subscription.SubscriptionSettings;
import io.stampedsync.throttle.Throttles;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Classifies what went wrong with one iPaaS.com attempt and tells the throttles: a 429
 * cools the subscription's {@code ipaas} direction down, a 401/403 rejects its iPaaS.com
 * credentials so that no further call goes out until the settings change.
 */
final class IpaasFailures implements HttpAttempts.Classifier<Request> {

	static final String CREDENTIALS_HINT = "check ipaasApiToken";

	private final SubscriptionSettings settings;

	private final Throttles throttles;

	private final OutboundProperties properties;

	private final JsonMapper json;

	private final Clock clock;

	IpaasFailures(SubscriptionSettings settings, Throttles throttles, OutboundProperties properties, JsonMapper json,
			Clock clock) {
		this.settings = settings;
		this.throttles = throttles;
		this.properties = properties;
		this.json = json;
		this.clock = clock;
	}

	/** The failure for a non-2xx response. */
	@Override
	public OutboundCallException forStatus(Request request, Reply response) {
		int status = response.status();
		String remote = RemoteText.clean(remoteMessage(response.body()), masks());
		String http = "HTTP " + status + (remote.isEmpty() ? "" : " " + remote);
		if (status == 401 || status == 403) {
			// Every later call would be refused too: stop calling until the settings
			// change, rather than hammering iPaaS.com with a bad token.
			// Only while these settings are the current ones: a late answer to a token
			// replaced since never stops the new token.
			this.throttles.rejectCredentials(this.settings.id(), Direction.IPAAS, this.settings.version());
			return failure(ErrorCode.IPAAS_AUTH, status, request, http + " (" + CREDENTIALS_HINT + ")", null);
		}
		ServerDelay delay = ServerDelay.of(response, this.clock, this.properties);
		Duration retryAfter = delay.retryAfter();
		if (status == 429) {
			this.throttles.coolDown(this.settings.id(), Direction.IPAAS, delay.coolDown());
			return failure(ErrorCode.IPAAS_UNAVAILABLE, status, request, http, retryAfter);
		}
		if (status == 408 || status >= 500) {
			return failure(ErrorCode.IPAAS_UNAVAILABLE, status, request, http, retryAfter);
		}
		// 404, and any other 4xx: iPaaS.com will not give or take this customer, and
		// asking again will not change that (not retried).
		return failure(ErrorCode.IPAAS_NOT_FOUND, status, request, http, null);
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
		String what = kind.isTimeout()
				? "no response from iPaaS.com within " + this.properties.responseTimeout().toMillis() + " ms"
				: kind.description();
		// The root cause only: the transport's own exception, which holds no header.
		return new OutboundCallException(ErrorCode.IPAAS_UNAVAILABLE, 0,
				message(ErrorCode.IPAAS_UNAVAILABLE, request, what), null, TransportFailure.rootOf(error));
	}

	/**
	 * A 2xx whose body does not read as a customer: retried, it may be a cut transfer.
	 */
	OutboundCallException unreadable(Request request, Reply response) {
		return failure(ErrorCode.IPAAS_UNAVAILABLE, response.status(), request,
				"HTTP " + response.status() + " with a body that is not a customer", null);
	}

	private OutboundCallException failure(ErrorCode code, int status, Request request, String what,
			Duration retryAfter) {
		return new OutboundCallException(code, status, message(code, request, what), retryAfter, null);
	}

	private static String message(ErrorCode code, Request request, String what) {
		return code.prefix() + " (" + request.what() + "): " + what;
	}

	/**
	 * {@code message} (or ASP.NET's {@code Message}) of a JSON body, else the body; uncut
	 * until masked.
	 */
	private String remoteMessage(String body) {
		if (body == null || body.isBlank()) {
			return "";
		}
		String text = body.trim();
		try {
			JsonNode node = this.json.readTree(text);
			for (String name : new String[] { "message", "Message", "error", "title" }) {
				JsonNode value = node.path(name);
				if (value.isString() && !value.asString().isBlank()) {
					text = value.asString().trim();
					break;
				}
			}
		}
		catch (RuntimeException ex) {
			// Not JSON: keep the text as it came.
		}
		return text;
	}

	/** iPaaS.com might echo the token back; it may never reach a message. */
	private Map<String, String> masks() {
		Secret token = this.settings.ipaasApiToken();
		return (token != null) ? Map.of(token.reveal(), token.masked()) : Map.of();
	}

}

package io.stampedsync.stamped;

import java.net.URI;

import io.stampedsync.outbound.HttpAttempts;

import org.springframework.http.HttpMethod;

/** The request of one Stamped.io call attempt. */
final class StampedExchange {

	private StampedExchange() {
	}

	/**
	 * One request.
	 *
	 * @param operation what it is, for the message wording
	 * @param method the HTTP method
	 * @param uri the full URI (no credentials in it: they travel in a header)
	 * @param body the JSON body as UTF-8 bytes, or {@code null}
	 * @param customerId the Stamped customer id in the path, when a 404 means "no such
	 * customer" rather than "wrong store hash"
	 */
	record Request(Operation operation, HttpMethod method, URI uri, byte[] body,
			String customerId) implements HttpAttempts.Request {
	}

}

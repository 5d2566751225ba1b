package io.stampedsync.stamped;

import java.net.URI;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;

/** The request and response of one Stamped.io call attempt. */
final class StampedExchange {

	private StampedExchange() {
	}

	/**
	 * One request.
	 *
	 * @param operation what it is, for the message wording
	 * @param method the HTTP method
	 * @param uri the full URI (no credentials in it: they travel in a header)
	 * @param body the JSON body, or {@code null}
	 * @param customerId the Stamped customer id in the path, when a 404 means "no such
	 * customer" rather than "wrong store hash"
	 */
	record Request(Operation operation, HttpMethod method, URI uri, String body, String customerId) {

		/** Path and query, for traces. */
		String pathAndQuery() {
			return (this.uri.getRawQuery() != null) ? this.uri.getRawPath() + "?" + this.uri.getRawQuery()
					: this.uri.getRawPath();
		}

	}

	/** One response, its body read whole. */
	record Response(int status, HttpHeaders headers, String body) {

		boolean successful() {
			return this.status >= 200 && this.status < 300;
		}

	}

}

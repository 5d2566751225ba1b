package io.stampedsync.ipaas;

import java.net.URI;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;

/** The request and response of one iPaaS.com call attempt. */
final class IpaasExchange {

	private IpaasExchange() {
	}

	/**
	 * One request.
	 *
	 * @param what what the call does, for messages ("reading customer 150713")
	 * @param method the HTTP method
	 * @param uri the full URI (the token travels in a header, never here)
	 * @param body the JSON body, or {@code null}
	 */
	record Request(String what, HttpMethod method, URI uri, String body) {

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

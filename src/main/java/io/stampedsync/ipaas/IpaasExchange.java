package io.stampedsync.ipaas;

import java.net.URI;

import io.stampedsync.outbound.HttpAttempts;

import org.springframework.http.HttpMethod;

/** The request of one iPaaS.com call attempt. */
final class IpaasExchange {

	private IpaasExchange() {
	}

	/**
	 * One request.
	 *
	 * @param what what the call does, for messages ("reading customer 150713")
	 * @param method the HTTP method
	 * @param uri the full URI (the token travels in a header, never here)
	 * @param body the JSON body as UTF-8 bytes, or {@code null}
	 */
	record Request(String what, HttpMethod method, URI uri, byte[] body) implements HttpAttempts.Request {
	}

}

package io.stampedsync.sandbox;

import tools.jackson.databind.JsonNode;

/**
 * A simulator's answer: status, JSON body and an optional Retry-After header value.
 */
record Reply(int status, String body, String retryAfter) {

	static Reply json(int status, JsonNode body) {
		return new Reply(status, Json.write(body), null);
	}

	/** {@code {"message": …}} with {@code status}. */
	static Reply message(int status, String message) {
		return json(status, Json.newObject().put("message", message));
	}

	Reply withRetryAfter(String value) {
		return new Reply(this.status, this.body, value);
	}

}

package io.stampedsync.sandbox;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * A failure a simulator answers with instead of serving a request, queued through
 * {@link FaultScript}.
 */
public sealed interface Fault {

	/** Answer with {@code status} and a JSON {@code message}; no Retry-After header. */
	static Fault status(int status) {
		return new Status(status, null);
	}

	/**
	 * Answer with {@code status}, a JSON {@code message} and, unless {@code retryAfter}
	 * is {@code null}, that raw {@code Retry-After} header value.
	 */
	static Fault status(int status, String retryAfter) {
		return new Status(status, retryAfter);
	}

	/** 429 with {@code Retry-After: <seconds>}. */
	static Fault tooManyRequests(Duration retryAfter) {
		return new Status(429, Long.toString(retryAfter.toSeconds()));
	}

	/** 429 with {@code Retry-After} as an HTTP date (RFC 1123). */
	static Fault tooManyRequestsUntil(Instant until) {
		return new Status(429, httpDate(until));
	}

	/** 429 without a Retry-After header. */
	static Fault tooManyRequests() {
		return new Status(429, null);
	}

	/** Close the connection with a TCP reset, sending nothing. */
	static Fault reset() {
		return new Reset();
	}

	/** Never answer; the connection stays open until the client gives up. */
	static Fault noResponse() {
		return new NoResponse();
	}

	/**
	 * Serve the request (a create is applied), then close the connection with a TCP reset
	 * instead of answering: the answer is lost after the change, which is where a
	 * replayed create comes from.
	 */
	static Fault resetAfterApplied() {
		return new ResetAfterApplied();
	}

	/**
	 * Serve the request (a create is applied), then never answer: the client times out
	 * not knowing the change was made.
	 */
	static Fault noResponseAfterApplied() {
		return new NoResponseAfterApplied();
	}

	/** Answer 200 with a JSON content type and a truncated body; nothing is changed. */
	static Fault malformedJson() {
		return new MalformedJson();
	}

	/** {@code instant} in the HTTP-date form of a Retry-After header. */
	static String httpDate(Instant instant) {
		return DateTimeFormatter.RFC_1123_DATE_TIME.format(instant.atOffset(ZoneOffset.UTC));
	}

	/** An HTTP status answer. */
	record Status(int status, String retryAfter) implements Fault {

		public Status {
			if (status < 100 || status > 599) {
				throw new IllegalArgumentException("HTTP status out of range: " + status);
			}
		}

	}

	/** A connection reset. */
	record Reset() implements Fault {

	}

	/** No answer at all. */
	record NoResponse() implements Fault {

	}

	/** A connection reset after the request was served. */
	record ResetAfterApplied() implements Fault {

	}

	/** No answer to a request that was served. */
	record NoResponseAfterApplied() implements Fault {

	}

	/** A 200 whose body is not valid JSON. */
	record MalformedJson() implements Fault {

	}

}

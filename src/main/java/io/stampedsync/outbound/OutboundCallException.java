package io.stampedsync.outbound;

import java.time.Duration;

/**
 * A failed call to Stamped.io or iPaaS.com, classified. The message carries the HTTP
 * status and the remote service's own message, never a credential or an Authorization
 * header.
 */
public class OutboundCallException extends RuntimeException {

	private final ErrorCode code;

	private final int httpStatus;

	private final Duration retryAfter;

	/**
	 * @param code the classification
	 * @param httpStatus the HTTP status, or 0 when there was no response
	 * @param message user-facing text, e.g. "Customer create or update failed: HTTP 500
	 * …"
	 * @param retryAfter the server's Retry-After, or {@code null}
	 * @param cause the underlying failure (must not carry secrets either)
	 */
	public OutboundCallException(ErrorCode code, int httpStatus, String message, Duration retryAfter, Throwable cause) {
		super(message, cause, false, false);
		this.code = code;
		this.httpStatus = httpStatus;
		this.retryAfter = retryAfter;
	}

	public ErrorCode code() {
		return this.code;
	}

	public int httpStatus() {
		return this.httpStatus;
	}

	/** The delay the server asked for, or {@code null}. */
	public Duration retryAfter() {
		return this.retryAfter;
	}

	public boolean isTransient() {
		return this.code.isTransient();
	}

}

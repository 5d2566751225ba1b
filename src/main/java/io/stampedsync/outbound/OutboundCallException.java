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

	private final int attempts;

	private final long settingsVersion;

	/**
	 * @param code the classification
	 * @param httpStatus the HTTP status, or 0 when there was no response
	 * @param message user-facing text, e.g. "Customer create or update failed: HTTP 500
	 * …"
	 * @param retryAfter the server's Retry-After, or {@code null}
	 * @param cause the underlying failure (must not carry secrets either)
	 */
	public OutboundCallException(ErrorCode code, int httpStatus, String message, Duration retryAfter, Throwable cause) {
		this(code, httpStatus, message, retryAfter, cause, 1);
	}

	/**
	 * @param code the classification
	 * @param httpStatus the HTTP status, or 0 when there was no response
	 * @param message user-facing text
	 * @param retryAfter the server's Retry-After, or {@code null}
	 * @param cause the underlying failure (must not carry secrets either)
	 * @param attempts how many attempts were made before giving up (at least 1)
	 */
	public OutboundCallException(ErrorCode code, int httpStatus, String message, Duration retryAfter, Throwable cause,
			int attempts) {
		this(code, httpStatus, message, retryAfter, cause, attempts, 0);
	}

	private OutboundCallException(ErrorCode code, int httpStatus, String message, Duration retryAfter, Throwable cause,
			int attempts, long settingsVersion) {
		super(message, cause, false, false);
		this.code = code;
		this.httpStatus = httpStatus;
		this.retryAfter = retryAfter;
		this.attempts = attempts;
		this.settingsVersion = settingsVersion;
	}

	/** The same failure after {@code attempts} attempts. */
	public OutboundCallException withAttempts(int attempts) {
		return new OutboundCallException(this.code, this.httpStatus, getMessage(), this.retryAfter, getCause(),
				attempts, this.settingsVersion);
	}

	/**
	 * The same failure, of a call made with this version of the subscription's settings
	 * (its credentials): a 401/403 pauses the subscription only while that version is
	 * current (DESIGN.md §5).
	 */
	public OutboundCallException withSettingsVersion(long settingsVersion) {
		return new OutboundCallException(this.code, this.httpStatus, getMessage(), this.retryAfter, getCause(),
				this.attempts, settingsVersion);
	}

	/** The same failure under another code and message (e.g. for the survey calls). */
	public OutboundCallException relabel(ErrorCode code, String message) {
		return new OutboundCallException(code, this.httpStatus, message, this.retryAfter, getCause(), this.attempts,
				this.settingsVersion);
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

	/** How many attempts were made, the first included. */
	public int attempts() {
		return this.attempts;
	}

	/**
	 * The version of the settings the call was made with, 0 when not known (a failure
	 * made outside a client).
	 */
	public long settingsVersion() {
		return this.settingsVersion;
	}

	public boolean isTransient() {
		return this.code.isTransient();
	}

}

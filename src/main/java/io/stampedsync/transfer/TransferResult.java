package io.stampedsync.transfer;

import java.util.List;

import io.stampedsync.outbound.CallLog.CallTrace;
import io.stampedsync.outbound.ErrorCode;

/**
 * How one transfer ended: exactly one outcome, with what a user needs to act on it.
 *
 * @param attempts outbound calls made, retries included
 * @param ipaasCalls of the attempts, those to iPaaS.com (the others went to Stamped.io)
 * @param trace the calls of a debug transfer, else empty
 * @param settingsVersion the version of the subscription's settings the calls used (0
 * when unknown)
 */
public record TransferResult(Outcome outcome, String stampedCustomerId, String email, int attempts, int ipaasCalls,
		long durationMs, ErrorCode errorCode, String errorMessage, Integer httpStatus, List<CallTrace> trace,
		long settingsVersion) {

	/** A result without the settings version it was reached with (0: unknown). */
	public TransferResult(Outcome outcome, String stampedCustomerId, String email, int attempts, long durationMs,
			ErrorCode errorCode, String errorMessage, Integer httpStatus, List<CallTrace> trace) {
		this(outcome, stampedCustomerId, email, attempts, 0, durationMs, errorCode, errorMessage, httpStatus, trace, 0);
	}

	static TransferResult of(Outcome outcome, String stampedCustomerId, String email) {
		return new TransferResult(outcome, stampedCustomerId, email, 0, 0, null, null, null, List.of());
	}

	static TransferResult error(Outcome outcome, String email, ErrorCode code, String message, Integer status) {
		return new TransferResult(outcome, null, email, 0, 0, code, message, status, List.of());
	}

	/**
	 * A record that ends {@code outcome} without any call, e.g. {@code failed} with
	 * {@code INTERNAL} when something around the transfer failed.
	 */
	public static TransferResult ended(Outcome outcome, ErrorCode code, String message) {
		return new TransferResult(outcome, null, null, 0, 0, code, message, null, List.of());
	}

	/** The same result with the call counts, duration and trace of the whole transfer. */
	TransferResult measured(int attempts, int ipaasCalls, long durationMs, List<CallTrace> trace) {
		return new TransferResult(this.outcome, this.stampedCustomerId, this.email, attempts, ipaasCalls, durationMs,
				this.errorCode, this.errorMessage, this.httpStatus, trace, this.settingsVersion);
	}

	/** The same result, reached with this version of the subscription's settings. */
	TransferResult usingSettings(long version) {
		return new TransferResult(this.outcome, this.stampedCustomerId, this.email, this.attempts, this.ipaasCalls,
				this.durationMs, this.errorCode, this.errorMessage, this.httpStatus, this.trace, version);
	}

	/**
	 * Whether Stamped.io or iPaaS.com refused the credentials of
	 * {@link #settingsVersion}.
	 */
	boolean credentialsRefused() {
		return this.errorCode == ErrorCode.STAMPED_AUTH || this.errorCode == ErrorCode.IPAAS_AUTH;
	}

	/**
	 * Whether the subscription's Stamped.io credentials were refused: the record must
	 * wait, not fail. A pause follows only while {@link #settingsVersion} is the current
	 * version ({@code Throttles#isCurrent}); a refusal of superseded keys is run again
	 * with the current ones by the transfer itself.
	 */
	public boolean credentialsRejected() {
		return this.errorCode == ErrorCode.STAMPED_AUTH;
	}

}

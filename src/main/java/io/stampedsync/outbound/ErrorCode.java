package io.stampedsync.outbound;

/**
 * Why a transfer or a call failed (DESIGN.md §5). The wording users know from iPaaS.com's
 * error logs is kept in {@link #prefix()}.
 */
public enum ErrorCode {

	/** The customer cannot be sent: no id, no or invalid email, too large. */
	INVALID_CUSTOMER(false, "Customer rejected"),

	/** 401/403 from Stamped.io: the subscription pauses until its settings change. */
	STAMPED_AUTH(false, "Customer create or update failed"),

	/** 400/422 from Stamped.io: the payload was refused, no retry. */
	STAMPED_VALIDATION(false, "Customer create or update failed"),

	/** 429 from Stamped.io after every retry. */
	STAMPED_RATE_LIMITED(true, "Customer create or update failed"),

	/** 5xx from Stamped.io after every retry. */
	STAMPED_UNAVAILABLE(true, "Customer create or update failed"),

	/** No answer from Stamped.io within the response timeout, after every retry. */
	STAMPED_TIMEOUT(true, "Customer create or update failed"),

	/** Connection refused, reset or closed early, after every retry. */
	NETWORK(true, "Customer create or update failed"),

	/** The survey subscribe or unsubscribe call failed. */
	SUBSCRIPTION_FAILED(false, "Subscribe or unsubscribe failed"),

	/** iPaaS.com has no customer with that id. */
	IPAAS_NOT_FOUND(false, "iPaaS.com customer not found"),

	/** 401/403 from iPaaS.com. */
	IPAAS_AUTH(false, "iPaaS.com rejected the credentials"),

	/** 5xx, timeout or network failure calling iPaaS.com, after every retry. */
	IPAAS_UNAVAILABLE(true, "iPaaS.com unavailable"),

	/** A customer/deleted trigger: Stamped.io has no customer delete. */
	DELETE_NOT_SUPPORTED(false, "Delete not supported"),

	/** An initialization or poll request: customers move individually. */
	INITIALIZATION_NOT_SUPPORTED(false, "Initialization not supported"),

	/**
	 * An unexpected fault of the gateway on one record (a stored payload that no longer
	 * reads, a mapper or journal fault): that record fails, the store goes on.
	 */
	INTERNAL(false, "Internal error");

	private final boolean transientFailure;

	private final String prefix;

	ErrorCode(boolean transientFailure, String prefix) {
		this.transientFailure = transientFailure;
		this.prefix = prefix;
	}

	/** Whether another attempt may succeed (429, 5xx, timeouts, resets). */
	public boolean isTransient() {
		return this.transientFailure;
	}

	/** The start of the message users know, e.g. "Customer create or update failed". */
	public String prefix() {
		return this.prefix;
	}

}

package io.stampedsync.stamped;

import io.stampedsync.outbound.ErrorCode;
import io.stampedsync.outbound.OutboundCallException;

/** The two kinds of Stamped.io call, each with the message wording users know. */
enum Operation {

	/** Create, update, get and list of customers (and verify). */
	CUSTOMER("Customer create or update failed"),

	/** Survey subscribe and unsubscribe. */
	SURVEY("Subscribe or unsubscribe failed");

	private final String prefix;

	Operation(String prefix) {
		this.prefix = prefix;
	}

	String prefix() {
		return this.prefix;
	}

	/**
	 * The failure as users see it: the message starts with this operation's wording, and
	 * a survey call that failed for any reason but credentials is
	 * {@code SUBSCRIPTION_FAILED}. Attempts are classified as STAMPED_* first so that the
	 * retry can tell transient failures; the survey code is put on only once the retries
	 * are over.
	 */
	OutboundCallException relabel(OutboundCallException failure) {
		String message = failure.getMessage().startsWith(this.prefix) ? failure.getMessage()
				: this.prefix + ": " + failure.getMessage();
		ErrorCode code = (this == SURVEY && failure.code() != ErrorCode.STAMPED_AUTH) ? ErrorCode.SUBSCRIPTION_FAILED
				: failure.code();
		if (code == failure.code() && message.equals(failure.getMessage())) {
			return failure;
		}
		return failure.relabel(code, message);
	}

}

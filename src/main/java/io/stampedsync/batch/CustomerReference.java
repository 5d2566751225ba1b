package io.stampedsync.batch;

import io.stampedsync.outbound.ErrorCode;

/**
 * A customer named only by its iPaaS.com id (Manual Sync, hooks): fetched from iPaaS.com
 * when its transfer runs, or refused at once with a code and a message.
 */
public record CustomerReference(String ipaasCustomerId, ErrorCode refusal, String message) {

	/** A customer to fetch and transfer. */
	public static CustomerReference fetch(String ipaasCustomerId) {
		return new CustomerReference(ipaasCustomerId, null, null);
	}

	/** A customer that is recorded as {@code rejected} without any call. */
	public static CustomerReference refused(String ipaasCustomerId, ErrorCode code, String message) {
		return new CustomerReference(ipaasCustomerId, code, message);
	}

}

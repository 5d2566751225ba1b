package io.stampedsync.batch;

import java.time.Instant;

import io.stampedsync.outbound.ErrorCode;
import io.stampedsync.transfer.Outcome;

/**
 * One record of a batch: the customer as received, and once it is done, its outcome.
 *
 * @param index position in the batch, from 0
 * @param payload the customer JSON as received (for Manual Sync and hooks: the iPaaS.com
 * id reference to fetch)
 * @param outcome {@code null} while the record waits or runs
 * @param attempts outbound calls made for it, retries included
 * @param ipaasCalls of the attempts, those to iPaaS.com (the others went to Stamped.io)
 * @param trace the call trace of a debug batch (JSON), or {@code null}
 */
public record BatchRecord(String batchId, int index, String ipaasCustomerId, String email, String payload,
		Outcome outcome, String stampedCustomerId, int attempts, int ipaasCalls, Long durationMs, ErrorCode errorCode,
		String errorMessage, Integer httpStatus, String trace, Instant finishedAt) {

	/**
	 * Values are cut to their columns: a record refused for an overlong field is still
	 * stored, with what fits.
	 */
	public BatchRecord {
		ipaasCustomerId = ColumnLimits.fit(ipaasCustomerId, ColumnLimits.CUSTOMER_ID);
		email = ColumnLimits.fit(email, ColumnLimits.EMAIL);
		stampedCustomerId = ColumnLimits.fit(stampedCustomerId, ColumnLimits.STAMPED_CUSTOMER_ID);
		errorMessage = ColumnLimits.fit(errorMessage, ColumnLimits.ERROR_MESSAGE);
	}

	/** Of the attempts, those to Stamped.io. */
	public int stampedCalls() {
		return this.attempts - this.ipaasCalls;
	}

	/** A record that waits for its transfer. */
	public static BatchRecord pending(String batchId, int index, String ipaasCustomerId, String email, String payload) {
		return new BatchRecord(batchId, index, ipaasCustomerId, email, payload, null, null, 0, 0, null, null, null,
				null, null, null);
	}

	/** A record refused at intake, with the field and the reason. */
	public static BatchRecord rejected(String batchId, int index, String ipaasCustomerId, String email, String payload,
			String message, Instant at) {
		return refused(batchId, index, ipaasCustomerId, email, payload, ErrorCode.INVALID_CUSTOMER, message, at);
	}

	/** A record refused at intake for any reason, e.g. {@code DELETE_NOT_SUPPORTED}. */
	public static BatchRecord refused(String batchId, int index, String ipaasCustomerId, String email, String payload,
			ErrorCode code, String message, Instant at) {
		return new BatchRecord(batchId, index, ipaasCustomerId, email, payload, Outcome.REJECTED, null, 0, 0, 0L, code,
				message, null, null, at);
	}

}

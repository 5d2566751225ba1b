package io.stampedsync.batch;

import java.time.Instant;
import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonRawValue;

/** One page of a batch's per-record results. */
record ResultsPage(String batchId, int page, int size, List<Result> items) {

	/**
	 * One record's result.
	 *
	 * @param attempts outbound calls made for it, retries included
	 * @param stampedCalls of the attempts, those to Stamped.io
	 * @param ipaasCalls of the attempts, those to iPaaS.com
	 * @param trace the calls of a debug batch: method, path, status, duration, attempt
	 */
	@JsonInclude(JsonInclude.Include.NON_NULL)
	record Result(int index, String ipaasCustomerId, String email, String outcome, String stampedCustomerId,
			int attempts, int stampedCalls, int ipaasCalls, Long durationMs, Error error, @JsonRawValue String trace,
			Instant finishedAt) {

		static Result of(BatchRecord record) {
			Error error = (record.errorCode() != null)
					? new Error(record.errorCode().name(), record.errorMessage(), record.httpStatus()) : null;
			return new Result(record.index(), record.ipaasCustomerId(), record.email(),
					(record.outcome() != null) ? record.outcome().tag() : null, record.stampedCustomerId(),
					record.attempts(), record.stampedCalls(), record.ipaasCalls(), record.durationMs(), error,
					record.trace(), record.finishedAt());
		}

	}

	@JsonInclude(JsonInclude.Include.NON_NULL)
	record Error(String code, String message, Integer httpStatus) {
	}

}

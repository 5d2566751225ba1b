package io.stampedsync.monitoring;

import java.time.Instant;

import io.stampedsync.batch.BatchEvent;
import io.stampedsync.batch.BatchRecord;
import io.stampedsync.outbound.Direction;
import io.stampedsync.outbound.ErrorCode;
import io.stampedsync.outbound.OutboundCall;
import tools.jackson.databind.JsonNode;

/** Builds error log entries from what the gateway already tells: record events, calls. */
final class ErrorEntries {

	private static final String SURVEY_PREFIX = "Subscribe or unsubscribe failed";

	private static final String CUSTOMER_PREFIX = "Customer create or update failed";

	private ErrorEntries() {
	}

	/**
	 * The entry of a {@code failed} or {@code rejected} record event, or {@code null} for
	 * any other outcome. The message is the record's own (DESIGN.md §5 wording).
	 */
	static ErrorEntry fromRecord(BatchEvent event, JsonNode record) {
		String outcome = text(record, "outcome");
		if (!"failed".equals(outcome) && !"rejected".equals(outcome)) {
			return null;
		}
		JsonNode error = record.get("error");
		String code = (error != null) ? text(error, "code") : null;
		JsonNode status = (error != null) ? error.get("httpStatus") : null;
		JsonNode index = record.get("index");
		JsonNode attempts = record.get("attempts");
		return new ErrorEntry(null, event.subscriptionId(), event.batchId(), (index != null) ? index.asInt() : null,
				text(record, "ipaasCustomerId"), text(record, "email"),
				(code != null) ? code : ErrorCode.INVALID_CUSTOMER.name(),
				(error != null) ? text(error, "message") : null,
				(status != null && status.isNumber()) ? status.asInt() : null,
				(attempts != null) ? attempts.asInt() : 0, null, ErrorEntry.TRANSFER, event.createdAt());
	}

	/** The entry of a record rejected at intake, read from the journal. */
	static ErrorEntry fromRecord(String subscriptionId, BatchRecord record) {
		String code = (record.errorCode() != null) ? record.errorCode().name() : ErrorCode.INVALID_CUSTOMER.name();
		return new ErrorEntry(null, subscriptionId, record.batchId(), record.index(), record.ipaasCustomerId(),
				record.email(), code, record.errorMessage(), record.httpStatus(), record.attempts(), null,
				ErrorEntry.TRANSFER, record.finishedAt());
	}

	/**
	 * The entry of a failed attempt. Calls carry no message of their own, so it is built
	 * in the same wording: "Customer create or update failed: HTTP 500 (POST /api/v2/…)".
	 */
	static ErrorEntry fromCall(OutboundCall call, Instant at) {
		ErrorCode code = call.error();
		String what = (call.status() > 0) ? "HTTP " + call.status() : describe(code);
		String message = prefix(call) + ": " + what + " (" + call.method() + " " + call.path() + ")";
		return new ErrorEntry(null, call.subscriptionId(), null, null, null, null, code.name(), message,
				(call.status() > 0) ? call.status() : null, call.attempt(), call.direction().tag(), ErrorEntry.CALL,
				at);
	}

	private static String prefix(OutboundCall call) {
		if (call.direction() == Direction.STAMPED) {
			return (call.path() != null && call.path().contains("/survey/")) ? SURVEY_PREFIX : CUSTOMER_PREFIX;
		}
		return call.error().prefix();
	}

	private static String describe(ErrorCode code) {
		return switch (code) {
			case STAMPED_TIMEOUT -> "no response within the response timeout";
			case NETWORK -> "connection refused, reset or closed early";
			case IPAAS_UNAVAILABLE -> "no response or connection failed";
			default -> "no HTTP response";
		};
	}

	private static String text(JsonNode node, String field) {
		JsonNode value = node.get(field);
		return (value == null || value.isNull()) ? null : value.asString();
	}

}

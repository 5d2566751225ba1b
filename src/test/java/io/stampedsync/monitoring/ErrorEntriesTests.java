package io.stampedsync.monitoring;

import java.time.Duration;
import java.time.Instant;

import io.stampedsync.batch.BatchEvent;
import io.stampedsync.outbound.Direction;
import io.stampedsync.outbound.ErrorCode;
import io.stampedsync.outbound.OutboundCall;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

class ErrorEntriesTests {

	private static final Instant AT = Instant.parse("2026-01-31T12:00:00Z");

	private final JsonMapper json = JsonMapper.builder().build();

	@Test
	void failedRecordKeepsItsOwnMessageAndCustomer() {
		String data = "{\"batchId\":\"b1\",\"seq\":4,\"index\":3,\"ipaasCustomerId\":\"150713\",\"email\":\"a@x.com\","
				+ "\"outcome\":\"failed\",\"attempts\":1,\"error\":{\"code\":\"STAMPED_VALIDATION\","
				+ "\"message\":\"Customer create or update failed: HTTP 400 bad email\",\"httpStatus\":400}}";
		BatchEvent event = new BatchEvent("b1", "acme", 4, BatchEvent.RECORD, data, AT);

		ErrorEntry entry = ErrorEntries.fromRecord(event, this.json.readTree(data));

		assertThat(entry).isEqualTo(new ErrorEntry(null, "acme", "b1", 3, "150713", "a@x.com", "STAMPED_VALIDATION",
				"Customer create or update failed: HTTP 400 bad email", 400, 1, null, "transfer", AT));
	}

	@Test
	void successfulRecordIsNoError() {
		String data = "{\"batchId\":\"b1\",\"index\":0,\"outcome\":\"created\",\"attempts\":1}";
		BatchEvent event = new BatchEvent("b1", "acme", 1, BatchEvent.RECORD, data, AT);

		assertThat(ErrorEntries.fromRecord(event, this.json.readTree(data))).isNull();
	}

	@Test
	void failedCallIsWordedLikeATransferError() {
		OutboundCall call = new OutboundCall(Direction.STAMPED, "acme", "POST", "/api/v2/s/dashboard/customers/add",
				500, ErrorCode.STAMPED_UNAVAILABLE, Duration.ofMillis(30), 2);

		ErrorEntry entry = ErrorEntries.fromCall(call, AT);

		assertThat(entry.message())
			.isEqualTo("Customer create or update failed: HTTP 500 (POST /api/v2/s/dashboard/customers/add)");
		assertThat(entry.kind()).isEqualTo("call");
		assertThat(entry.direction()).isEqualTo("stamped");
		assertThat(entry.attempts()).isEqualTo(2);
		assertThat(entry.httpStatus()).isEqualTo(500);
		assertThat(entry.batchId()).isNull();
	}

	@Test
	void failedSurveyCallWithoutResponseSaysSo() {
		OutboundCall call = new OutboundCall(Direction.STAMPED, "acme", "POST", "/api/v2/s/survey/subscribe", 0,
				ErrorCode.NETWORK, Duration.ofMillis(30), 1);

		ErrorEntry entry = ErrorEntries.fromCall(call, AT);

		assertThat(entry.message()).startsWith("Subscribe or unsubscribe failed: connection refused");
		assertThat(entry.httpStatus()).isNull();
	}

}

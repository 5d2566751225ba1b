package io.stampedsync.monitoring;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

/** The streaming read of a record event's outcome. */
class RecordOutcomeTests {

	private final JsonMapper json = JsonMapper.builder().build();

	@Test
	void shouldReadTheOutcomeOfASuccessWithoutNeedingTheTree() {
		RecordOutcome outcome = RecordOutcome.read(this.json,
				"{\"batchId\":\"b\",\"seq\":3,\"index\":1,\"email\":\"a@b.c\",\"outcome\":\"created\","
						+ "\"stampedCustomerId\":\"s1\",\"attempts\":1,\"durationMs\":12,\"error\":null,"
						+ "\"nested\":{\"outcome\":\"failed\"},\"list\":[{\"error\":{}}]}");

		assertThat(outcome).isEqualTo(new RecordOutcome("created", false, 1, 0));
		assertThat(outcome.needsTree()).isFalse();
	}

	@Test
	void shouldAskForTheTreeWhenTheRecordFailedOrCarriesAnError() {
		assertThat(RecordOutcome.read(this.json, "{\"outcome\":\"failed\",\"error\":{\"code\":\"NETWORK\"}}"))
			.isEqualTo(new RecordOutcome("failed", true, 0, 0))
			.satisfies((outcome) -> assertThat(outcome.needsTree()).isTrue());
		assertThat(RecordOutcome.read(this.json, "{\"outcome\":\"rejected\"}").needsTree()).isTrue();
		assertThat(RecordOutcome.read(this.json, "{\"outcome\":\"updated\",\"error\":{\"code\":\"X\"}}").needsTree())
			.isTrue();
		assertThat(RecordOutcome.read(this.json, "{\"seq\":1}").needsTree()).isTrue();
	}

	@Test
	void shouldReadTheTopLevelAttemptsThatTheThroughputHistoryCounts() {
		assertThat(RecordOutcome.read(this.json,
				"{\"error\":{\"attempts\":9},\"outcome\":\"failed\",\"attempts\":3,\"retries\":[{\"attempts\":7}]}"))
			.isEqualTo(new RecordOutcome("failed", true, 3, 0));
		assertThat(RecordOutcome.read(this.json, "{\"outcome\":\"unchanged\"}").attempts()).isZero();
	}

	@Test
	void shouldTellTheCallsOfEachDirectionAndCountOlderEventsAsStampedCalls() {
		RecordOutcome both = RecordOutcome.read(this.json,
				"{\"outcome\":\"created\",\"attempts\":5,\"stampedCalls\":3,\"ipaasCalls\":2}");
		assertThat(both.stampedCalls()).isEqualTo(3);
		assertThat(both.ipaasCalls()).isEqualTo(2);

		RecordOutcome older = RecordOutcome.read(this.json, "{\"outcome\":\"created\",\"attempts\":4}");
		assertThat(older.stampedCalls()).isEqualTo(4);
		assertThat(older.ipaasCalls()).isZero();
	}

}

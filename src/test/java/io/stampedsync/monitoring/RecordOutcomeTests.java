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

		assertThat(outcome).isEqualTo(new RecordOutcome("created", false, 1));
		assertThat(outcome.needsTree()).isFalse();
	}

	@Test
	void shouldAskForTheTreeWhenTheRecordFailedOrCarriesAnError() {
		assertThat(RecordOutcome.read(this.json, "{\"outcome\":\"failed\",\"error\":{\"code\":\"NETWORK\"}}"))
			.isEqualTo(new RecordOutcome("failed", true, 0))
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
			.isEqualTo(new RecordOutcome("failed", true, 3));
		assertThat(RecordOutcome.read(this.json, "{\"outcome\":\"unchanged\"}").attempts()).isZero();
	}

}

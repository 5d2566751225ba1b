package io.stampedsync.batch;

import java.time.Instant;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class BatchEventTests {

	private static final Instant AT = Instant.parse("2026-01-31T12:00:00Z");

	@Test
	void lazyJsonIsWrittenOnlyWhenReadAndThenOnce() {
		AtomicInteger writes = new AtomicInteger();
		BatchEvent event = new BatchEvent("b1", "acme", 4, BatchEvent.RECORD, BatchEvent.Json.lazy(() -> {
			writes.incrementAndGet();
			return "{\"seq\":4}";
		}), AT, null);

		assertThat(writes).hasValue(0);
		assertThat(event.data()).isEqualTo("{\"seq\":4}");
		assertThat(event.data()).isEqualTo("{\"seq\":4}");
		assertThat(writes).hasValue(1);
	}

	@Test
	void eventsWithTheSameJsonAreEqualWhetherWrittenEarlyOrLate() {
		BatchEvent written = new BatchEvent("b1", "acme", 4, BatchEvent.RECORD, "{\"seq\":4}", AT);
		BatchEvent lazy = new BatchEvent("b1", "acme", 4, BatchEvent.RECORD, BatchEvent.Json.lazy(() -> "{\"seq\":4}"),
				AT, null);

		assertThat(lazy).isEqualTo(written).hasSameHashCodeAs(written);
	}

}

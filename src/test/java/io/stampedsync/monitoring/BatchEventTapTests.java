package io.stampedsync.monitoring;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.stampedsync.batch.BatchEvent;
import io.stampedsync.batch.BatchEventBus;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The monitoring's view of the live batch events outlives an event it cannot follow: that
 * one is logged and counted, the next ones are followed as usual.
 */
class BatchEventTapTests {

	private final BatchEventBus bus = new BatchEventBus();

	private final SimpleMeterRegistry meters = new SimpleMeterRegistry();

	/** Records waiting per batch, as the progress events told the tap. */
	private final Map<String, Long> waiting = new ConcurrentHashMap<>();

	private final BatchEventTap tap = tap();

	@AfterEach
	void stop() {
		this.tap.stop();
		this.bus.close();
	}

	@Test
	void anEventWhoseJsonCannotBeReadIsCountedAndTheNextOnesAreFollowed() {
		this.tap.start();
		// Its JSON fails while the tap picks the work for it (before any of that work
		// runs): that used to end the tap for good.
		this.bus.publish(new BatchEvent("a", "s", 1, BatchEvent.STATUS, BatchEvent.Json.lazy(() -> {
			throw new IllegalStateException("injected");
		}), Instant.now(), null));
		this.bus.publish(new BatchEvent("b", "s", 1, BatchEvent.PROGRESS, "{\"total\":10,\"done\":4}", Instant.now()));

		await().atMost(Duration.ofSeconds(10)).until(() -> this.waiting.containsKey("b"));
		assertThat(this.waiting).containsEntry("b", 6L);
		assertThat(this.meters.counter("stamped_sync.live_events.failed", "subscriber", "monitoring").count())
			.isEqualTo(1);
	}

	// Only what status and progress events touch before the journal: the rest is never
	// reached here.
	private BatchEventTap tap() {
		JsonMapper json = JsonMapper.builder().build();
		WaitingRecords records = new WaitingRecords(null) {
			@Override
			void progress(String batchId, long count) {
				BatchEventTapTests.this.waiting.put(batchId, count);
			}
		};
		return new BatchEventTap(this.bus, null, json, null, null, records, null, SubscriptionTagsTests.properties(500),
				this.meters, new ThroughputRecorder(null, json, Clock.systemUTC()));
	}

}

package io.stampedsync.monitoring;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;
import tools.jackson.databind.json.JsonMapper;

import static org.awaitility.Awaitility.await;

/**
 * The monitoring snapshot is polled for the life of the process, whatever one poll does.
 */
class MonitoringFeedTests {

	private final AtomicInteger snapshots = new AtomicInteger();

	private final MonitoringFeed feed = feed();

	@AfterEach
	void stop() {
		this.feed.stop();
	}

	@Test
	void aSnapshotThatFailsBeforeItStartsIsOneFailedPollAndTheNextPollsRun() {
		this.feed.start();

		await().atMost(Duration.ofSeconds(30)).until(() -> this.snapshots.get() >= 3);
	}

	// Polled every second (the default interval); the first snapshot throws as it is
	// asked for, the others find no subscription.
	private MonitoringFeed feed() {
		JsonMapper json = JsonMapper.builder().build();
		HealthSnapshots failingFirst = new HealthSnapshots(null, null, null, null, null, null, null) {
			@Override
			Mono<List<SubscriptionHealth>> snapshot() {
				if (MonitoringFeedTests.this.snapshots.incrementAndGet() == 1) {
					throw new IllegalStateException("injected");
				}
				return Mono.empty();
			}
		};
		return new MonitoringFeed(failingFirst, null, null, null, json, SubscriptionTagsTests.properties(500),
				new ThroughputRecorder(null, json, Clock.systemUTC()));
	}

}

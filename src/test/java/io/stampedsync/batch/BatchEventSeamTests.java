package io.stampedsync.batch;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.support.StaticListableBeanFactory;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Watchers joining a running batch's stream while its events are stored and published on
 * several threads at once: each sees every event after its {@code Last-Event-ID} once and
 * in order, whether it came from the journal, the replay tail or live, wherever the seams
 * between them fall.
 */
class BatchEventSeamTests {

	private static final int BATCHES = 4;

	private static final int EVENTS = 3000;

	private static final int WATCHERS_PER_BATCH = 15;

	private final MemoryJournal journal = new MemoryJournal();

	private final BatchEventBus bus = new BatchEventBus();

	private final ExecutorService publishers = Executors.newFixedThreadPool(BATCHES);

	@AfterEach
	void stop() {
		this.publishers.shutdownNow();
		this.bus.destroy();
	}

	@Test
	void watchersJoiningWhilePublishersRunSeeEveryEventAfterTheirIdOnceAndInOrder() throws Exception {
		// A tail shorter than a gathered chunk can be: some watchers take it whole, some
		// find it trimmed and read the journal up to it.
		BatchEventStreams streams = new BatchEventStreams(this.journal, this.bus, JsonMapper.builder().build(),
				SubscriptionDispatcherTests.properties(), new ReplayTailProperties(64, 1 << 20, 1 << 20),
				new StaticListableBeanFactory().getBeanProvider(DashboardFeed.class), new SimpleMeterRegistry());
		List<Watch> watches = new CopyOnWriteArrayList<>();
		List<Future<?>> published = new ArrayList<>();
		for (int b = 0; b < BATCHES; b++) {
			String batchId = "batch-" + b;
			this.journal.add(batchId, "s", 0, "c1");
			published.add(this.publishers.submit(() -> publish(streams, batchId, watches)));
		}
		for (Future<?> done : published) {
			done.get(60, TimeUnit.SECONDS);
		}

		assertThat(watches).hasSize(BATCHES * WATCHERS_PER_BATCH);
		for (Watch watch : watches) {
			List<Long> expected = LongStream.rangeClosed(watch.after() + 1, EVENTS).boxed().toList();
			assertThat(watch.seen().get(60, TimeUnit.SECONDS)).as("%s after %d", watch.batchId(), watch.after())
				.isEqualTo(expected);
		}
	}

	// Stores each event, then publishes it (as the journal writer does); at planned
	// points a watcher joins: from the start, with a recent Last-Event-ID, or with one
	// long past.
	private void publish(BatchEventStreams streams, String batchId, List<Watch> watches) {
		int every = EVENTS / WATCHERS_PER_BATCH;
		for (long seq = 1; seq <= EVENTS; seq++) {
			BatchEvent event = event(batchId, seq);
			this.journal.appendEvents(List.of(event)).block(Duration.ofSeconds(10));
			this.bus.publish(event);
			if (seq % every == 0) {
				int k = (int) (seq / every);
				long after = switch (k % 3) {
					case 0 -> 0;
					case 1 -> Math.max(0, seq - 5);
					default -> seq / 2;
				};
				CompletableFuture<List<Long>> seen = streams.events(batchId, after)
					.filter((chunk) -> chunk.size() > 0)
					.concatMapIterable((chunk) -> Arrays.stream(chunk.seqs()).boxed().toList())
					.collectList()
					.toFuture();
				watches.add(new Watch(batchId, after, seen));
			}
		}
	}

	private static BatchEvent event(String batchId, long seq) {
		if (seq == EVENTS) {
			return new BatchEvent(batchId, "s", seq, BatchEvent.STATUS, "{\"status\":\"completed\"}", Instant.now());
		}
		String type = (seq % 50 == 0) ? BatchEvent.PROGRESS : BatchEvent.RECORD;
		return new BatchEvent(batchId, "s", seq, type, "{\"seq\":" + seq + "}", Instant.now());
	}

	private record Watch(String batchId, long after, CompletableFuture<List<Long>> seen) {
	}

}

package io.stampedsync.batch;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.stream.LongStream;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.support.StaticListableBeanFactory;
import org.springframework.core.io.buffer.DataBuffer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A live event or chunk that fails costs its watchers a journal read, never the live
 * events of later ones: a batch's watcher still gets every event once and in order, and a
 * dashboard learns of the gap by its stream ending (its page reconnects and reloads).
 */
class LiveEventFaultTests {

	private static final int EVENTS = 10;

	/** The event whose chunk fails. */
	private static final long FAILING = 5;

	private final MemoryJournal journal = new MemoryJournal();

	private final BatchEventBus bus = new BatchEventBus();

	private final SimpleMeterRegistry meters = new SimpleMeterRegistry();

	private final List<Disposable> watchers = new CopyOnWriteArrayList<>();

	private BatchEventStreams streams;

	@AfterEach
	void stop() {
		this.watchers.forEach(Disposable::dispose);
		if (this.streams != null) {
			this.streams.destroy();
		}
		this.bus.close();
	}

	@Test
	void aChunkThatCannotBeMadeIsReadFromTheJournalAndLaterEventsStillComeLive() {
		this.streams = streams(failOnce(() -> new IllegalStateException("injected chunk fault")));

		assertThat(watchWhilePublishing()).containsExactlyElementsOf(all());
		assertThat(this.meters.counter("stamped_sync.live_events.failed", "subscriber", "batch-streams").count())
			.isEqualTo(1);
		assertThat(this.meters.counter("stamped_sync.live_events.restarts", "subscriber", "batch-streams").count())
			.isZero();
	}

	@Test
	void aFailureThatEndsTheLivePipelineIsFollowedByANewSubscriptionAndTheWatchersReadTheGap() {
		// Not an exception of the chunk: it gets past the per-chunk handling and ends
		// the pipeline itself.
		this.streams = streams(failOnce(() -> new AssertionError("injected pipeline fault")));

		assertThat(watchWhilePublishing()).containsExactlyElementsOf(all());
		assertThat(this.meters.counter("stamped_sync.live_events.restarts", "subscriber", "batch-streams").count())
			.isEqualTo(1);
	}

	@Test
	void aDashboardEventThatCannotBeEncodedEndsTheDashboardStreamsAndLaterOnesGetLaterEvents() {
		this.streams = streams(SseChunk::of);
		AtomicBoolean firstEnded = new AtomicBoolean();
		List<String> first = dashboard(firstEnded);
		awaitDashboardWatchers(1);
		this.bus.publish(status("a", 1, "running"));
		await().atMost(Duration.ofSeconds(10)).until(() -> first.stream().anyMatch((text) -> text.contains("running")));

		this.bus.publish(new BatchEvent("a", "s", 2, BatchEvent.STATUS, BatchEvent.Json.lazy(() -> {
			throw new IllegalStateException("injected encoding fault");
		}), Instant.now(), null));
		await().atMost(Duration.ofSeconds(10)).untilTrue(firstEnded);

		List<String> second = dashboard(new AtomicBoolean());
		awaitDashboardWatchers(1);
		this.bus.publish(status("a", 3, "completed"));
		await().atMost(Duration.ofSeconds(10))
			.until(() -> second.stream().anyMatch((text) -> text.contains("completed")));
		assertThat(this.meters.counter("stamped_sync.live_events.failed", "subscriber", "dashboard").count())
			.isEqualTo(1);
	}

	private BatchEventStreams streams(Function<List<SseFrame>, List<SseChunk>> chunking) {
		return new BatchEventStreams(this.journal, this.bus, JsonMapper.builder().build(),
				SubscriptionDispatcherTests.properties(), new ReplayTailProperties(64, 1 << 20, 1 << 20),
				new StaticListableBeanFactory().getBeanProvider(DashboardFeed.class), this.meters, chunking);
	}

	/** Chunks as usual, but the frames holding {@link #FAILING} fail once. */
	private static Function<List<SseFrame>, List<SseChunk>> failOnce(Supplier<? extends Throwable> fault) {
		AtomicBoolean failed = new AtomicBoolean();
		return (frames) -> {
			if (frames.stream().anyMatch((frame) -> frame.event().seq() == FAILING)
					&& failed.compareAndSet(false, true)) {
				throw sneaky(fault.get());
			}
			return SseChunk.of(frames);
		};
	}

	@SuppressWarnings("unchecked")
	private static <T extends Throwable> RuntimeException sneaky(Throwable ex) throws T {
		throw (T) ex;
	}

	// One event at a time, each stored then published (as the journal writer does), the
	// next once the watcher has the previous: the failing one is then a chunk of its own.
	private List<Long> watchWhilePublishing() {
		this.journal.add("a", "s", 0, "c1");
		List<Long> seen = new CopyOnWriteArrayList<>();
		AtomicBoolean ended = new AtomicBoolean();
		this.watchers.add(this.streams.events("a", 0)
			.filter((chunk) -> chunk.size() > 0)
			.concatMapIterable((chunk) -> Arrays.stream(chunk.seqs()).boxed().toList())
			.doOnComplete(() -> ended.set(true))
			.subscribe(seen::add));
		for (long seq = 1; seq <= EVENTS; seq++) {
			BatchEvent event = (seq == EVENTS) ? status("a", seq, "completed")
					: new BatchEvent("a", "s", seq, BatchEvent.RECORD, "{\"seq\":" + seq + "}", Instant.now());
			this.journal.appendEvents(List.of(event)).block(Duration.ofSeconds(10));
			this.bus.publish(event);
			long published = seq;
			await().atMost(Duration.ofSeconds(10)).until(() -> seen.contains(published));
		}
		await().atMost(Duration.ofSeconds(10)).untilTrue(ended);
		return seen;
	}

	private static List<Long> all() {
		return LongStream.rangeClosed(1, EVENTS).boxed().toList();
	}

	private List<String> dashboard(AtomicBoolean ended) {
		List<String> texts = new CopyOnWriteArrayList<>();
		Flux<DataBuffer> stream = this.streams.all();
		this.watchers.add(stream.map((buffer) -> buffer.toString(StandardCharsets.UTF_8))
			.doOnComplete(() -> ended.set(true))
			.subscribe(texts::add));
		return texts;
	}

	private void awaitDashboardWatchers(int count) {
		await().atMost(Duration.ofSeconds(10)).until(() -> this.streams.dashboardWatchers() == count);
	}

	private static BatchEvent status(String batchId, long seq, String status) {
		return new BatchEvent(batchId, "s", seq, BatchEvent.STATUS, "{\"status\":\"" + status + "\"}", Instant.now());
	}

}

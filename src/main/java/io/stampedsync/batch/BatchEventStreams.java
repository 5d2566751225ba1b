package io.stampedsync.batch;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.stampedsync.web.security.SubscriptionScope;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import reactor.core.Disposable;
import reactor.core.publisher.BufferOverflowStrategy;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Sinks;
import reactor.core.scheduler.Schedulers;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DefaultDataBufferFactory;
import org.springframework.stereotype.Component;

/**
 * SSE views of the event logs (DESIGN.md §2): a stream replays the journal after
 * {@code Last-Event-ID}, then follows the live bus, with heartbeat comments, and ends
 * after the batch's final status. The stream is only a view: a watcher that goes away
 * never stops or slows its batch.
 */
@Component
class BatchEventStreams implements DisposableBean {

	private static final Log logger = LogFactory.getLog(BatchEventStreams.class);

	/**
	 * Events a slow watcher may lag behind before it is cut off (it resumes from the
	 * journal).
	 */
	private static final int WATCHER_BUFFER = 10_000;

	/**
	 * How long live events are gathered before they go out together: a watcher then gets
	 * one write per batch and interval rather than one per event, for a lag of at most
	 * this much (DESIGN.md §8 allows 1 s at the 99th percentile).
	 */
	static final Duration GATHER = Duration.ofMillis(100);

	/** Events that make a gathered chunk go out before its interval is over. */
	private static final int GATHER_MAX_EVENTS = 512;

	/** Events of a replay written to a watcher at once. */
	private static final int REPLAY_CHUNK_EVENTS = 256;

	/** First wait before a failed live pipeline follows the bus again. */
	private final BatchJournal journal;

	private final JsonMapper json;

	private final Duration heartbeat;

	private final ObjectProvider<DashboardFeed> feeds;

	/**
	 * The live events as SSE chunks: the events of {@link #GATHER} at a time, encoded
	 * once and joined per batch; every watcher of a batch writes the same bytes. Each
	 * batch keeps its latest chunks for the watchers that connect.
	 */
	private final BatchFeeds live;

	/**
	 * The live progress and status events, encoded once without their batch's numbering
	 * for every dashboard watcher ({@code GET /api/v1/events}).
	 */
	private final Sinks.Many<SseFrame> dashboard = Sinks.many().multicast().directBestEffort();

	/**
	 * Ends every dashboard watcher's stream: a live event they should have had was lost.
	 * The page reconnects and reloads (a dashboard stream has no ids to resume from).
	 */
	private final Sinks.Many<Boolean> dashboardGaps = Sinks.many().multicast().directBestEffort();

	private final Function<List<SseFrame>, List<SseChunk>> chunking;

	private final Counter liveFailures;

	private final Counter dashboardFailures;

	private final Disposable batchPipeline;

	private final Disposable dashboardPipeline;

	@Autowired
	BatchEventStreams(BatchJournal journal, BatchEventBus bus, JsonMapper json, BatchProperties properties,
			ReplayTailProperties tail, ObjectProvider<DashboardFeed> feeds, MeterRegistry meters) {
		this(journal, bus, json, properties, tail, feeds, meters, SseChunk::of);
	}

	/**
	 * @param chunking joins the gathered live frames into chunks ({@link SseChunk#of};
	 * another only to inject faults in tests)
	 */
	BatchEventStreams(BatchJournal journal, BatchEventBus bus, JsonMapper json, BatchProperties properties,
			ReplayTailProperties tail, ObjectProvider<DashboardFeed> feeds, MeterRegistry meters,
			Function<List<SseFrame>, List<SseChunk>> chunking) {
		this.journal = journal;
		this.json = json;
		this.heartbeat = Duration.ofSeconds(properties.heartbeatSeconds());
		this.feeds = feeds;
		this.chunking = chunking;
		this.liveFailures = BatchEventBus.failures(meters, "batch-streams");
		this.dashboardFailures = BatchEventBus.failures(meters, "dashboard");
		// A watcher joining takes up to a whole tail at once.
		this.live = new BatchFeeds(bus.scheduler(), tail, Math.max(WATCHER_BUFFER, tail.events() + GATHER_MAX_EVENTS),
				this.heartbeat);
		// All on the bus's one thread, the gathering timer and every (re)subscription
		// included: events are encoded there (off the threads that stored them),
		// gathered, and handed to the feeds in the order they were published. An event
		// or a chunk that fails is the failure of its batch's watchers only: they read
		// it from the journal (BatchFeeds.gap), and this subscription goes on.
		AtomicBoolean liveBefore = new AtomicBoolean();
		this.batchPipeline = bus.follow(Flux.defer(() -> {
			if (liveBefore.getAndSet(true)) {
				// Anything may have been lost while it was down.
				this.live.resumed();
			}
			return bus.all().filter((event) -> this.live.wanted(event.batchId())).<SseFrame>handle((event, sink) -> {
				SseFrame frame = encodeLive(event);
				if (frame != null) {
					sink.next(frame);
				}
			}).bufferTimeout(GATHER_MAX_EVENTS, GATHER, bus.scheduler()).doOnNext(this::goLive);
		}).subscribeOn(bus.scheduler()), "Live batch events", meters, "batch-streams");
		AtomicBoolean dashboardBefore = new AtomicBoolean();
		this.dashboardPipeline = bus.follow(Flux.defer(() -> {
			if (dashboardBefore.getAndSet(true)) {
				// A dashboard cannot replay (its events have no ids): its stream ends,
				// and the page reloads what it shows when it is back. Not on the first
				// start: a dashboard may already follow the events it has from then on.
				this.dashboardGaps.tryEmitNext(Boolean.TRUE);
			}
			return bus.all()
				.filter((event) -> this.dashboard.currentSubscriberCount() > 0
						&& !BatchEvent.RECORD.equals(event.type()))
				.doOnNext(this::toDashboards);
		}).subscribeOn(bus.scheduler()), "Live dashboard events", meters, "dashboard");
	}

	/** The event's frame; {@code null} when it cannot be encoded (then skipped). */
	private SseFrame encodeLive(BatchEvent event) {
		try {
			return frame(event);
		}
		catch (RuntimeException ex) {
			this.liveFailures.increment();
			logger.warn("Event " + event.seq() + " of batch " + event.batchId() + " not sent live (its watchers "
					+ "read it from the journal): " + ex);
			this.live.skipped(event);
			return null;
		}
	}

	/**
	 * The gathered frames to the feeds, chunk by chunk: a failure costs the watchers of
	 * that chunk's batch a journal read, never the other chunks or batches.
	 */
	private void goLive(List<SseFrame> frames) {
		List<SseChunk> chunks;
		try {
			chunks = this.chunking.apply(frames);
		}
		catch (RuntimeException | OutOfMemoryError ex) {
			// An out-of-memory error here is the direct memory of a chunk's bytes: the
			// chunk is lost, not the heap nor the stream.
			Map<String, Long> lastSeqs = new LinkedHashMap<>();
			frames.forEach((frame) -> lastSeqs.merge(frame.event().batchId(), frame.event().seq(), Math::max));
			notLive(lastSeqs, frames.size() + " events not joined into chunks", ex);
			return;
		}
		for (SseChunk chunk : chunks) {
			try {
				this.live.append(chunk);
			}
			catch (RuntimeException ex) {
				notLive(Map.of(chunk.batchId(), chunk.lastSeq()), "a chunk of " + chunk.size() + " events", ex);
			}
		}
	}

	/**
	 * Live events lost, by batch through its last one: logged once, read from journal.
	 */
	private void notLive(Map<String, Long> lastSeqByBatch, String what, Throwable ex) {
		this.liveFailures.increment();
		logger.warn("Live events not sent (" + what + "; the watchers read them from the journal), last event by "
				+ "batch: " + lastSeqByBatch, ex);
		lastSeqByBatch.forEach(this.live::gap);
	}

	private void toDashboards(BatchEvent event) {
		try {
			this.dashboard.tryEmitNext(new SseFrame(event, SseFrame.encode(null, event.type(), event.data()), false));
		}
		catch (RuntimeException ex) {
			this.dashboardFailures.increment();
			logger.warn("Event " + event.seq() + " of batch " + event.batchId()
					+ " not sent to the dashboards (their streams end; the pages reload): " + ex);
			this.dashboardGaps.tryEmitNext(Boolean.TRUE);
		}
	}

	/** Stops following the bus, before the bus closes. */
	@Override
	public void destroy() {
		this.batchPipeline.dispose();
		this.dashboardPipeline.dispose();
	}

	/** The batch's log after {@code afterSeq}, then live, until its final status. */
	Flux<SseChunk> batch(Batch batch, long afterSeq) {
		if (batch.status().isFinal()) {
			// From its tail if it ended here lately, else from the journal.
			return withHeartbeat(
					this.live.finished(batch.id(), afterSeq, (after, through) -> replay(batch.id(), after, through))
						.takeUntil(SseChunk::endsStream));
		}
		// A live stream's heartbeats come from its feed.
		return events(batch.id(), afterSeq);
	}

	/** An event of a batch's stream, encoded. */
	SseFrame frame(BatchEvent event) {
		return new SseFrame(event, SseFrame.encode(Long.toString(event.seq()), event.type(), event.data()),
				isFinalStatus(event));
	}

	/** Progress and status of every batch, live, for dashboards; never ends by itself. */
	Flux<DataBuffer> all() {
		return all(SubscriptionScope.ALL);
	}

	/**
	 * The global stream as {@code scope} may see it: the batch events of its
	 * subscriptions only. The monitoring feeds speak of every subscription at once, so a
	 * scoped token does not get them. A batch event is encoded once for every dashboard;
	 * a feed's events are encoded for each watcher (a feed makes them for each).
	 */
	Flux<DataBuffer> all(SubscriptionScope scope) {
		Flux<DataBuffer> events = this.dashboard.asFlux()
			.filter((frame) -> scope.allows(frame.event().subscriptionId()))
			.onBackpressureBuffer(WATCHER_BUFFER, BufferOverflowStrategy.ERROR)
			.publishOn(Schedulers.parallel())
			.map((frame) -> wrap(frame.bytes()));
		Flux<DataBuffer> feeds = scope.isAll() ? Flux.fromStream(this.feeds::orderedStream)
			.flatMap(DashboardFeed::events)
			.map((event) -> wrap(SseFrame.encode(event.id(), event.event(), event.data()))) : Flux.empty();
		// Ends cleanly rather than with an error: the page's EventSource reconnects
		// either
		// way, and reloads what it shows once back.
		return Flux.merge(events, feeds, heartbeats())
			.takeUntilOther(this.dashboardGaps.asFlux())
			.onErrorResume((ex) -> {
				logger.debug("A dashboard stream ended; its page reconnects and reloads: " + ex);
				return Flux.empty();
			});
	}

	/** Dashboard watchers following the live batch events now (for tests). */
	int dashboardWatchers() {
		return this.dashboard.currentSubscriberCount();
	}

	private static DataBuffer wrap(byte[] bytes) {
		return DefaultDataBufferFactory.sharedInstance.wrap(bytes);
	}

	/**
	 * A running batch's events after {@code afterSeq}, then live: the tail of its feed,
	 * and the journal for what the tail no longer holds.
	 */
	Flux<SseChunk> events(String batchId, long afterSeq) {
		return this.live.watch(batchId, afterSeq, (after, through) -> replay(batchId, after, through));
	}

	/**
	 * The journal's events of a batch after {@code afterSeq} through {@code throughSeq},
	 * encoded, in chunks of up to {@link #REPLAY_CHUNK_EVENTS}.
	 */
	private Flux<SseChunk> replay(String batchId, long afterSeq, long throughSeq) {
		return this.journal.events(batchId, afterSeq, throughSeq)
			.map(this::frame)
			.buffer(REPLAY_CHUNK_EVENTS)
			.flatMapIterable(SseChunk::of);
	}

	/** {@code chunks} with heartbeat comments between them while they last. */
	Flux<SseChunk> withHeartbeat(Flux<SseChunk> chunks) {
		return chunks.publish((shared) -> Flux.merge(shared,
				Flux.interval(this.heartbeat).map((tick) -> SseChunk.heartbeat()).takeUntilOther(shared.then())));
	}

	private Flux<DataBuffer> heartbeats() {
		// Comment lines keep proxies and load balancers from closing an idle stream.
		return Flux.interval(this.heartbeat).map((tick) -> wrap(SseFrame.heartbeat().bytes()));
	}

	boolean isFinalStatus(BatchEvent event) {
		if (!BatchEvent.STATUS.equals(event.type())) {
			return false;
		}
		JsonNode status = this.json.readTree(event.data()).get("status");
		return status != null && BatchStatus.fromTag(status.asString()).isFinal();
	}

}

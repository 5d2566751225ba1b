package io.stampedsync.batch;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

import io.stampedsync.web.security.SubscriptionScope;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import reactor.core.publisher.BufferOverflowStrategy;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Sinks;
import reactor.core.scheduler.Schedulers;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.http.codec.ServerSentEvent;
import org.springframework.stereotype.Component;

/**
 * SSE views of the event logs (DESIGN.md §2): a stream replays the journal after
 * {@code Last-Event-ID}, then follows the live bus, with heartbeat comments, and ends
 * after the batch's final status. The stream is only a view: a watcher that goes away
 * never stops or slows its batch.
 */
@Component
class BatchEventStreams {

	private static final Log logger = LogFactory.getLog(BatchEventStreams.class);

	/**
	 * Events a slow watcher may lag behind before it is cut off (it resumes from the
	 * journal).
	 */
	private static final int WATCHER_BUFFER = 10_000;

	private final BatchJournal journal;

	private final BatchEventBus bus;

	private final JsonMapper json;

	private final Duration heartbeat;

	private final ObjectProvider<DashboardFeed> feeds;

	/**
	 * The live events as SSE frames, each encoded once by the thread that published it;
	 * every watcher of a batch writes the same bytes.
	 */
	private final Sinks.Many<SseFrame> frames = Sinks.many().multicast().directBestEffort();

	BatchEventStreams(BatchJournal journal, BatchEventBus bus, JsonMapper json, BatchProperties properties,
			ObjectProvider<DashboardFeed> feeds) {
		this.journal = journal;
		this.bus = bus;
		this.json = json;
		this.heartbeat = Duration.ofSeconds(properties.heartbeatSeconds());
		this.feeds = feeds;
		// The bus emits serially, so the frames do too; with no watcher, nothing is
		// encoded. An event that cannot be encoded is skipped (its watchers read it
		// from the journal when they resume), never the end of this subscription.
		bus.all().subscribe((event) -> {
			if (this.frames.currentSubscriberCount() == 0) {
				return;
			}
			try {
				this.frames.tryEmitNext(frame(event));
			}
			catch (RuntimeException ex) {
				logger.warn("Event " + event.seq() + " of batch " + event.batchId() + " not sent live: " + ex);
			}
		}, (ex) -> logger.error("Live batch events stopped; watchers read them from the journal when they resume", ex));
	}

	/** The batch's log after {@code afterSeq}, then live, until its final status. */
	Flux<SseFrame> batch(Batch batch, long afterSeq) {
		Flux<SseFrame> events = batch.status().isFinal() ? this.journal.events(batch.id(), afterSeq).map(this::frame)
				: events(batch.id(), afterSeq);
		return withHeartbeat(events);
	}

	/** An event of a batch's stream, encoded. */
	SseFrame frame(BatchEvent event) {
		return new SseFrame(event, SseFrame.encode(Long.toString(event.seq()), event.type(), event.data()),
				isFinalStatus(event));
	}

	/** Progress and status of every batch, live, for dashboards; never ends by itself. */
	Flux<ServerSentEvent<String>> all() {
		return all(SubscriptionScope.ALL);
	}

	/**
	 * The global stream as {@code scope} may see it: the batch events of its
	 * subscriptions only. The monitoring feeds speak of every subscription at once, so a
	 * scoped token does not get them (issue 14, item 9).
	 */
	Flux<ServerSentEvent<String>> all(SubscriptionScope scope) {
		Flux<ServerSentEvent<String>> events = this.bus.all()
			.filter((event) -> !BatchEvent.RECORD.equals(event.type()))
			.filter((event) -> scope.allows(event.subscriptionId()))
			.onBackpressureBuffer(WATCHER_BUFFER, BufferOverflowStrategy.ERROR)
			.publishOn(Schedulers.parallel())
			.map((event) -> ServerSentEvent.builder(event.data()).event(event.type()).build());
		Flux<ServerSentEvent<String>> feeds = scope.isAll()
				? Flux.fromStream(this.feeds::orderedStream).flatMap(DashboardFeed::events) : Flux.empty();
		return Flux.merge(events, feeds, heartbeats());
	}

	Flux<SseFrame> events(String batchId, long afterSeq) {
		return Flux.defer(() -> {
			// Follow the bus first, then read the journal: an event stored while the
			// replay runs is then seen live, and the replayed ones are not repeated.
			Sinks.Many<SseFrame> live = Sinks.many().unicast().onBackpressureBuffer();
			var subscription = this.frames.asFlux()
				.filter((frame) -> frame.event().batchId().equals(batchId))
				.subscribe((frame) -> live.tryEmitNext(frame));
			AtomicLong last = new AtomicLong(afterSeq);
			Flux<SseFrame> replay = this.journal.events(batchId, afterSeq)
				.doOnNext((event) -> last.set(event.seq()))
				.map(this::frame);
			// The bus emits on the thread that stored the event: the hop to a worker
			// keeps the writing to hundreds of watchers off that thread, whose next
			// group of outcomes would otherwise wait for them.
			return replay
				.concatWith(Flux.defer(() -> live.asFlux()
					.publishOn(Schedulers.parallel())
					.filter((frame) -> frame.event().seq() > last.get())))
				.takeUntil(SseFrame::finalStatus)
				.onBackpressureBuffer(WATCHER_BUFFER, BufferOverflowStrategy.ERROR)
				.doFinally((signal) -> subscription.dispose());
		});
	}

	/** {@code frames} with heartbeat comments between them while they last. */
	Flux<SseFrame> withHeartbeat(Flux<SseFrame> frames) {
		return frames.publish((shared) -> Flux.merge(shared,
				Flux.interval(this.heartbeat).map((tick) -> SseFrame.heartbeat()).takeUntilOther(shared.then())));
	}

	private Flux<ServerSentEvent<String>> heartbeats() {
		// Comment lines keep proxies and load balancers from closing an idle stream.
		return Flux.interval(this.heartbeat)
			.map((tick) -> ServerSentEvent.<String>builder().comment("heartbeat").build());
	}

	boolean isFinalStatus(BatchEvent event) {
		if (!BatchEvent.STATUS.equals(event.type())) {
			return false;
		}
		JsonNode status = this.json.readTree(event.data()).get("status");
		return status != null && BatchStatus.fromTag(status.asString()).isFinal();
	}

}

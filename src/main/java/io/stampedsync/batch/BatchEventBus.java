package io.stampedsync.batch;

import java.util.Queue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.stampedsync.LongLived;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Sinks;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;
import reactor.util.concurrent.Queues;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.stereotype.Component;

/**
 * Live fan-out of batch events to SSE watchers in this process. Events are published only
 * after the journal holds them, so a watcher that replays the journal and then follows
 * this bus misses nothing.
 *
 * <p>
 * A publisher only queues its event: one thread of the bus ({@link #scheduler()}) hands
 * the events to the subscribers, one at a time and in the order they were published. The
 * publishers (a Netty event loop at the end of an intake, the journal's threads after a
 * group commit) never run subscriber code nor wait for each other, and the subscribers
 * never see two events at once.
 */
@Component
public class BatchEventBus implements DisposableBean, AutoCloseable {

	private static final Log logger = LogFactory.getLog(BatchEventBus.class);

	// Best effort per subscriber: a watcher that cannot keep up is cut off on its own
	// (see BatchFeeds) and resumes from the journal with Last-Event-ID; it never slows a
	// batch.
	private final Sinks.Many<BatchEvent> sink = Sinks.many().multicast().directBestEffort();

	private final Sinks.Many<BatchEvent> storedHere = Sinks.many().multicast().directBestEffort();

	private final Scheduler thread = Schedulers.newSingle("batch-events", true);

	private final Queue<Emission> queue = Queues.<Emission>unboundedMultiproducer().get();

	/** Events queued and not yet handed out, for the one-drainer protocol. */
	private final AtomicInteger pending = new AtomicInteger();

	/** Publishes events this process has just written to the journal. */
	public void publish(BatchEvent event) {
		enqueue(new Emission(event, true));
	}

	/**
	 * Publishes events another process wrote to the shared journal (distributed mode), to
	 * the watchers of this one only.
	 */
	public void publishFromElsewhere(BatchEvent event) {
		enqueue(new Emission(event, false));
	}

	private void enqueue(Emission emission) {
		this.queue.offer(emission);
		if (this.pending.getAndIncrement() == 0) {
			try {
				this.thread.schedule(this::drain);
			}
			catch (RejectedExecutionException ex) {
				// Shutting down: the events stay in the journal for whoever resumes.
				this.queue.clear();
				this.pending.set(0);
			}
		}
	}

	// Only one drain runs at a time: the publisher that finds nothing pending starts it,
	// and it runs until the queue is empty.
	private void drain() {
		int missed = 1;
		do {
			Emission emission;
			while ((emission = this.queue.poll()) != null) {
				deliver(emission);
			}
			missed = this.pending.addAndGet(-missed);
		}
		while (missed != 0);
	}

	// tryEmitNext, not emitNext: emitNext ends the whole sink with an error when no
	// subscriber has demand at that moment (an overflow), and the bus must outlive any
	// one watcher. No subscriber, or none ready: the event stays in the journal for them.
	// Whatever a subscriber throws stops here, with that event: an escape would end this
	// drain with events still counted as pending, and no drain would ever start again.
	private void deliver(Emission emission) {
		try {
			this.sink.tryEmitNext(emission.event());
		}
		catch (Throwable ex) {
			notHanded(emission, "live subscribers", ex);
		}
		if (emission.storedHere()) {
			try {
				this.storedHere.tryEmitNext(emission.event());
			}
			catch (Throwable ex) {
				notHanded(emission, "announcers to other processes", ex);
			}
		}
	}

	private static void notHanded(Emission emission, String to, Throwable ex) {
		logger.warn("Event " + emission.event().seq() + " of batch " + emission.event().batchId()
				+ " not handed to every one of its " + to + ": " + ex, ex);
	}

	/**
	 * The bus's one thread, on which every subscriber receives its events: work that must
	 * be serial with them (the SSE feeds) runs there too.
	 */
	Scheduler scheduler() {
		return this.thread;
	}

	/** Events this process writes from now on, to be announced to other processes. */
	public Flux<BatchEvent> storedHere() {
		return this.storedHere.asFlux();
	}

	/** Every event from now on, on the bus's thread. */
	public Flux<BatchEvent> all() {
		return this.sink.asFlux();
	}

	/**
	 * Counts the live events a subscriber of the bus could not handle
	 * ({@code stamped_sync.live_events.failed}, tagged with the subscriber).
	 */
	public static Counter failures(MeterRegistry meters, String subscriber) {
		return Counter.builder("stamped_sync.live_events.failed")
			.description("Live events a subscriber of the batch event bus could not handle (its watchers "
					+ "read them from the journal or reload)")
			.tag("subscriber", subscriber)
			.register(meters);
	}

	/**
	 * Keeps a long-lived subscriber of the bus going: an error that still ends its
	 * pipeline (an item's own failure does not) is logged and counted
	 * ({@code stamped_sync.live_events.restarts}), and the pipeline is subscribed again
	 * after a short back-off. A closed bus is the end of the process (or of a test), not
	 * a failure.
	 */
	public Disposable follow(Flux<?> pipeline, String what, MeterRegistry meters, String subscriber) {
		Counter restarts = Counter.builder("stamped_sync.live_events.restarts")
			.description("Pipelines of subscribers of the batch event bus that failed and were subscribed again")
			.tag("subscriber", subscriber)
			.register(meters);
		return pipeline
			.retryWhen(
					LongLived.backoff(what).filter((ex) -> !isClosed()).doBeforeRetry((signal) -> restarts.increment()))
			.subscribe(null, (ex) -> {
				if (!isClosed()) {
					logger.error(what + " stopped", ex);
				}
			});
	}

	/** Whether the bus is closed: it hands out nothing more. */
	public boolean isClosed() {
		return this.thread.isDisposed();
	}

	/** Stops the bus's thread; events published from now on stay in the journal. */
	@Override
	public void close() {
		this.thread.dispose();
	}

	@Override
	public void destroy() {
		close();
	}

	private record Emission(BatchEvent event, boolean storedHere) {
	}

}

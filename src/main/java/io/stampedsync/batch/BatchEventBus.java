package io.stampedsync.batch;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Sinks;

import org.springframework.stereotype.Component;

/**
 * Live fan-out of batch events to SSE watchers in this process. Events are published only
 * after the journal holds them, so a watcher that replays the journal and then follows
 * this bus misses nothing.
 */
@Component
public class BatchEventBus {

	// Best effort per subscriber: a watcher that cannot keep up is cut off on its own
	// (see
	// BatchEventStreams) and resumes from the journal with Last-Event-ID; it never slows
	// a batch.
	private final Sinks.Many<BatchEvent> sink = Sinks.many().multicast().directBestEffort();

	private final Sinks.Many<BatchEvent> storedHere = Sinks.many().multicast().directBestEffort();

	/**
	 * Publishes events this process has just written to the journal. Callers on many
	 * threads (intake, the dispatchers' journal writes) are taken one at a time: a sink
	 * refuses an emission that overlaps another, and a retry for a while is not enough on
	 * a busy machine, where the thread emitting before can be descheduled for longer (the
	 * caller then failed, a batch POST answered 500). Subscribers only hand events on, so
	 * the hold is short.
	 */
	public void publish(BatchEvent event) {
		synchronized (this.sink) {
			offer(this.sink, event);
			offer(this.storedHere, event);
		}
	}

	/**
	 * Publishes events another process wrote to the shared journal (distributed mode), to
	 * the watchers of this one only.
	 */
	public void publishFromElsewhere(BatchEvent event) {
		synchronized (this.sink) {
			offer(this.sink, event);
		}
	}

	// tryEmitNext, not emitNext: emitNext ends the whole sink with an error when no
	// subscriber has demand at that moment (an overflow), and the bus must outlive any
	// one watcher. No subscriber, or none ready: the event stays in the journal for them.
	private static void offer(Sinks.Many<BatchEvent> sink, BatchEvent event) {
		sink.tryEmitNext(event);
	}

	/** Events this process writes from now on, to be announced to other processes. */
	public Flux<BatchEvent> storedHere() {
		return this.storedHere.asFlux();
	}

	/** Every event from now on. */
	public Flux<BatchEvent> all() {
		return this.sink.asFlux();
	}

}

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

	/** Publishes events this process has just written to the journal. */
	public void publish(BatchEvent event) {
		this.sink.emitNext(event, Sinks.EmitFailureHandler.busyLooping(java.time.Duration.ofMillis(50)));
		this.storedHere.emitNext(event, Sinks.EmitFailureHandler.busyLooping(java.time.Duration.ofMillis(50)));
	}

	/**
	 * Publishes events another process wrote to the shared journal (distributed mode), to
	 * the watchers of this one only.
	 */
	public void publishFromElsewhere(BatchEvent event) {
		this.sink.emitNext(event, Sinks.EmitFailureHandler.busyLooping(java.time.Duration.ofMillis(50)));
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

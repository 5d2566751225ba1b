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

	/** Publishes events already written to the journal. */
	public void publish(BatchEvent event) {
		this.sink.emitNext(event, Sinks.EmitFailureHandler.busyLooping(java.time.Duration.ofMillis(50)));
	}

	/** Every event from now on. */
	public Flux<BatchEvent> all() {
		return this.sink.asFlux();
	}

}

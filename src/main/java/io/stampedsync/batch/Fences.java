package io.stampedsync.batch;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Sinks;

import org.springframework.stereotype.Component;

/** Where the writers report a fence that refused a write, for the dispatchers to stop. */
@Component
class Fences {

	private final Sinks.Many<Fence> refused = Sinks.many().multicast().directBestEffort();

	// Writers on several threads: one emission at a time, as a sink wants (see
	// BatchEventBus); tryEmitNext so that a listener without demand never ends the sink.
	synchronized void refused(Fence fence) {
		this.refused.tryEmitNext(fence);
	}

	/** Fences that refused a write, as they are found. */
	Flux<Fence> refusals() {
		return this.refused.asFlux();
	}

}

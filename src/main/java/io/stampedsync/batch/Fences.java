package io.stampedsync.batch;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Sinks;

import org.springframework.stereotype.Component;

/** Where the writers report a fence that refused a write, for the dispatchers to stop. */
@Component
class Fences {

	private final Sinks.Many<Fence> refused = Sinks.many().multicast().directBestEffort();

	void refused(Fence fence) {
		this.refused.emitNext(fence, Sinks.EmitFailureHandler.busyLooping(java.time.Duration.ofSeconds(1)));
	}

	/** Fences that refused a write, as they are found. */
	Flux<Fence> refusals() {
		return this.refused.asFlux();
	}

}

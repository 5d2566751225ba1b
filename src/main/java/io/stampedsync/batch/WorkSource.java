package io.stampedsync.batch;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

import reactor.core.publisher.Flux;
import reactor.core.publisher.FluxSink;

/**
 * Turns a plan's "what next" into a Flux that honours demand: it emits only what its
 * subscriber asked for, asks {@code next} for each (null: nothing now), and is told with
 * {@link #wake()} when the plan may have more. One source per subscription of the
 * dispatcher's pipeline; {@link #complete()} ends it once the subscriber has taken what
 * it is given, so the pipeline can finish the work it holds and end.
 *
 * @param <T> what is emitted
 */
final class WorkSource<T> {

	private final Supplier<T> next;

	// The classic work-in-progress guard: one thread emits at a time, a wake-up that
	// arrives meanwhile makes it look again.
	private final AtomicInteger wip = new AtomicInteger();

	private volatile FluxSink<T> sink;

	private volatile boolean completing;

	WorkSource(Supplier<T> next) {
		this.next = next;
	}

	Flux<T> flux() {
		return Flux.create((sink) -> {
			this.sink = sink;
			sink.onRequest((n) -> wake());
		});
	}

	/** Emits what the plan has while the subscriber wants it. */
	void wake() {
		if (this.wip.getAndIncrement() != 0) {
			return;
		}
		do {
			FluxSink<T> current = this.sink;
			if (current != null && !current.isCancelled()) {
				if (this.completing) {
					current.complete();
				}
				else {
					emit(current);
				}
			}
		}
		while (this.wip.decrementAndGet() != 0);
	}

	private void emit(FluxSink<T> current) {
		while (current.requestedFromDownstream() > 0 && !this.completing && !current.isCancelled()) {
			T item = this.next.get();
			if (item == null) {
				return;
			}
			current.next(item);
		}
	}

	/** Emits nothing more and completes. */
	void complete() {
		this.completing = true;
		wake();
	}

}

package io.stampedsync.outbound;

import java.util.ArrayDeque;
import java.util.Queue;
import java.util.concurrent.atomic.AtomicInteger;

import reactor.core.publisher.Mono;
import reactor.core.publisher.MonoSink;

/**
 * A first-come-first-served gate of as many slots as the pool has connections, around
 * permit and call together. Without it a permit taken while every connection is busy
 * waits in the pool's queue, and when the calls ahead end (a slow remote, a stalled
 * machine) the queued ones leave in a burst that a strict sliding window counts in one
 * window. With it a caller takes its permit only once a connection is free, so the calls
 * leave as the permits were spaced. Non-blocking: a caller waits as a subscription, never
 * as a thread.
 */
final class ConnectionSlots {

	private final int size;

	private final Queue<Waiter> waiting = new ArrayDeque<>();

	private int used;

	ConnectionSlots(int size) {
		this.size = size;
	}

	/**
	 * Runs {@code work} once a slot is free, and frees it when the work ends. A caller
	 * that finds a slot free runs at once, with no gate to pass.
	 */
	<T> Mono<T> around(Mono<T> work) {
		return Mono.defer(() -> {
			Waiter waiter = new Waiter();
			Mono<T> gated = enter(waiter) ? work : Mono.<Void>create((sink) -> {
				waiter.sink = sink;
				// Granted before its sink was known: the hand-over could not wake it.
				if (waiter.state.get() != Waiter.WAITING) {
					sink.success();
				}
			}).then(work);
			return gated.doFinally((signal) -> leave(waiter));
		});
	}

	/** Slots taken now (for tests). */
	synchronized int used() {
		return this.used;
	}

	private synchronized boolean enter(Waiter waiter) {
		if (this.used < this.size) {
			this.used++;
			waiter.state.set(Waiter.GRANTED);
			return true;
		}
		this.waiting.add(waiter);
		return false;
	}

	private void leave(Waiter waiter) {
		if (waiter.state.compareAndSet(Waiter.WAITING, Waiter.CANCELLED)) {
			// Cancelled before its turn: it is skipped when it comes up.
			return;
		}
		if (!waiter.state.compareAndSet(Waiter.GRANTED, Waiter.DONE)) {
			return;
		}
		Waiter next = handOver();
		MonoSink<Void> sink = (next != null) ? next.sink : null;
		if (sink != null) {
			sink.success();
		}
	}

	/** Gives the freed slot to the next live waiter, or frees it. */
	private synchronized Waiter handOver() {
		Waiter next;
		while ((next = this.waiting.poll()) != null) {
			if (next.state.compareAndSet(Waiter.WAITING, Waiter.GRANTED)) {
				return next;
			}
		}
		this.used--;
		return null;
	}

	private static final class Waiter {

		static final int WAITING = 0;

		static final int GRANTED = 1;

		static final int DONE = 2;

		static final int CANCELLED = 3;

		final AtomicInteger state = new AtomicInteger(WAITING);

		volatile MonoSink<Void> sink;

	}

}

package io.stampedsync.batch;

import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.Function;

import reactor.core.publisher.Mono;
import reactor.core.publisher.MonoSink;

/**
 * Group commit: items go out in groups, one group in flight at a time, in the order they
 * were submitted. While a group is being written, what arrives queues up and goes out as
 * the next group; an idle writer writes at once. There is no timer, so no item waits for
 * another one to arrive (Reactor's {@code bufferTimeout} with fair backpressure could
 * strand a residual group until the next item came).
 *
 * @param <T> the items
 */
public final class GroupCommit<T> {

	private final int maxGroup;

	private final Function<List<T>, Mono<Void>> writer;

	private final Consumer<Throwable> failed;

	private final Queue<Entry<T>> queue = new ConcurrentLinkedQueue<>();

	private final AtomicInteger waiting = new AtomicInteger();

	private final AtomicBoolean writing = new AtomicBoolean();

	/**
	 * @param maxGroup most items in one group
	 * @param writer writes one group; it should handle its own retries
	 * @param failed told when a group could not be written (the next group goes on)
	 */
	public GroupCommit(int maxGroup, Function<List<T>, Mono<Void>> writer, Consumer<Throwable> failed) {
		if (maxGroup < 1) {
			throw new IllegalArgumentException("maxGroup must be positive");
		}
		this.maxGroup = maxGroup;
		this.writer = writer;
		this.failed = failed;
	}

	/** Queues an item; never blocks. */
	public void submit(T item) {
		enqueue(new Entry<>(item, null));
	}

	/**
	 * Queues an item; completes once the group holding it is written, or fails with it.
	 */
	public Mono<Void> write(T item) {
		return Mono.create((sink) -> enqueue(new Entry<>(item, sink)));
	}

	/** Completes once everything submitted before it is written (or failed). */
	public Mono<Void> flush() {
		return Mono.create((sink) -> enqueue(new Entry<>(null, sink)));
	}

	/** Items queued and not yet in a group being written. */
	public int waiting() {
		return this.waiting.get();
	}

	private void enqueue(Entry<T> entry) {
		this.queue.add(entry);
		this.waiting.incrementAndGet();
		drain();
	}

	private void drain() {
		while (this.writing.compareAndSet(false, true)) {
			List<Entry<T>> group = new ArrayList<>();
			List<T> items = new ArrayList<>();
			Entry<T> entry;
			while (items.size() < this.maxGroup && (entry = this.queue.poll()) != null) {
				this.waiting.decrementAndGet();
				group.add(entry);
				if (entry.item() != null) {
					items.add(entry.item());
				}
			}
			if (!group.isEmpty()) {
				write(group, items);
				return;
			}
			this.writing.set(false);
			// An item queued after the poll above but before the flag was cleared found
			// the writer busy: take it now rather than leave it stranded.
			if (this.queue.isEmpty()) {
				return;
			}
		}
	}

	private void write(List<Entry<T>> group, List<T> items) {
		Mono<Void> written = items.isEmpty() ? Mono.empty() : Mono.defer(() -> this.writer.apply(items));
		written.subscribe(null, (error) -> {
			this.failed.accept(error);
			group.stream().filter((e) -> e.done() != null).forEach((e) -> e.done().error(error));
			next();
		}, () -> {
			group.stream().filter((e) -> e.done() != null).forEach((e) -> e.done().success());
			next();
		});
	}

	private void next() {
		this.writing.set(false);
		drain();
	}

	private record Entry<T>(T item, MonoSink<Void> done) {
	}

}

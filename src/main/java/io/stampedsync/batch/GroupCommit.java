package io.stampedsync.batch;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.Function;

import reactor.core.publisher.Mono;
import reactor.core.publisher.MonoSink;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

/**
 * Group commit: items go out in groups, one group in flight at a time, in the order they
 * were submitted. While a group is being written, what arrives queues up and goes out as
 * the next group; an idle writer writes at once. No item waits for another one to arrive
 * (Reactor's {@code bufferTimeout} with fair backpressure could strand a residual group
 * until the next item came).
 * <p>
 * With a spacing, a group starts no sooner than that long after the previous one started,
 * unless a whole group waits: under a steady flow the groups grow with the spacing, so a
 * writer whose every write has a fixed cost (a commit) pays it less often per item. An
 * item that comes after a quiet spell still goes at once.
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

	private final long spacingNanos;

	private final Scheduler timer;

	/** When the next group may start (timer's nanoseconds); used only under the flag. */
	private long nextStart;

	/**
	 * @param maxGroup most items in one group
	 * @param writer writes one group; it should handle its own retries
	 * @param failed told when a group could not be written (the next group goes on)
	 */
	public GroupCommit(int maxGroup, Function<List<T>, Mono<Void>> writer, Consumer<Throwable> failed) {
		this(maxGroup, Duration.ZERO, Schedulers.immediate(), writer, failed);
	}

	/**
	 * @param maxGroup most items in one group
	 * @param spacing least time from the start of a group to the start of the next,
	 * unless {@code maxGroup} items wait
	 * @param timer the clock of the spacing, and where a group held back by it starts
	 * @param writer writes one group; it should handle its own retries
	 * @param failed told when a group could not be written (the next group goes on)
	 */
	public GroupCommit(int maxGroup, Duration spacing, Scheduler timer, Function<List<T>, Mono<Void>> writer,
			Consumer<Throwable> failed) {
		if (maxGroup < 1) {
			throw new IllegalArgumentException("maxGroup must be positive");
		}
		if (spacing.isNegative()) {
			throw new IllegalArgumentException("spacing must not be negative");
		}
		this.maxGroup = maxGroup;
		this.spacingNanos = spacing.toNanos();
		this.timer = timer;
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
			if (!this.queue.isEmpty()) {
				long wait = (this.spacingNanos > 0 && this.waiting.get() < this.maxGroup)
						? this.nextStart - this.timer.now(TimeUnit.NANOSECONDS) : 0;
				if (wait > 0) {
					// Held back by the spacing: what arrives meanwhile joins this group.
					startLater(wait);
				}
				else {
					startGroup();
				}
				return;
			}
			this.writing.set(false);
			// An item queued after the check above but before the flag was cleared found
			// the writer busy: take it now rather than leave it stranded.
			if (this.queue.isEmpty()) {
				return;
			}
		}
	}

	private void startLater(long nanos) {
		try {
			this.timer.schedule(this::startGroup, nanos, TimeUnit.NANOSECONDS);
		}
		catch (RejectedExecutionException ex) {
			// The timer is gone (shutting down): nothing is left waiting for it.
			startGroup();
		}
	}

	// Only the writer (the holder of the flag) polls, so what drain saw queued is still
	// there.
	private void startGroup() {
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
		if (this.spacingNanos > 0) {
			this.nextStart = this.timer.now(TimeUnit.NANOSECONDS) + this.spacingNanos;
		}
		write(group, items);
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

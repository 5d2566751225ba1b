package io.stampedsync.batch;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiFunction;

import reactor.core.Exceptions;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.core.scheduler.Scheduler;

/**
 * The live SSE chunks of each batch this process sees events of, and their watchers:
 * every chunk goes to the batch's watchers and into a bounded tail of the batch's latest
 * chunks. A watcher that connects (from the start or with {@code Last-Event-ID}) takes
 * what it missed from the tail, and reads the journal only for what the tail no longer
 * holds: hundreds of watchers connecting at once cost no journal query.
 *
 * <p>
 * Everything here happens on one thread, the bus's (chunks arrive there, in the order
 * their events were published): a watcher joins between two chunks, takes the tail as it
 * is then, and every later chunk live, so there is neither a gap nor a repeat at the
 * seam. The journal covers the rest: an event is published only once stored, and a
 * batch's events are published in the order of their numbers, so when a batch's first
 * chunk arrives here every event numbered before it is already in the journal.
 */
final class BatchFeeds {

	/** A feed without watchers, quiet for this long, is dropped with its tail. */
	private static final Duration IDLE = Duration.ofMinutes(10);

	private final Scheduler thread;

	private final ReplayTailProperties limits;

	private final int watcherBuffer;

	private final Map<String, Feed> feeds = new HashMap<>();

	/** Bytes held by every tail. */
	private long totalBytes;

	/** Counts appends, to find the feed quiet the longest. */
	private long appends;

	/**
	 * @param thread the one thread every method but {@link #watch} runs on
	 * @param limits bounds of the tails
	 * @param watcherBuffer events a watcher may lag behind before it is cut off (it
	 * resumes with {@code Last-Event-ID})
	 * @param heartbeat interval of the heartbeat comments to every watcher
	 */
	BatchFeeds(Scheduler thread, ReplayTailProperties limits, int watcherBuffer, Duration heartbeat) {
		this.thread = thread;
		this.limits = limits;
		this.watcherBuffer = watcherBuffer;
		thread.schedulePeriodically(this::heartbeat, heartbeat.toMillis(), heartbeat.toMillis(), TimeUnit.MILLISECONDS);
	}

	/**
	 * Whether the events of this batch are to be encoded: always while tails are kept,
	 * otherwise only while the batch has watchers.
	 */
	boolean wanted(String batchId) {
		return this.limits.enabled() || this.feeds.containsKey(batchId);
	}

	/**
	 * A live chunk: into the tail and to every watcher of its batch. A chunk ending the
	 * batch's stream ends its watchers; the tail, that chunk included, stays for the
	 * watchers that come later ({@link #finished}).
	 */
	void append(SseChunk chunk) {
		Feed feed = this.feeds.computeIfAbsent(chunk.batchId(), Feed::new);
		if (feed.ended) {
			// Nothing follows a final status: a replica's events read again.
			return;
		}
		SseChunk fresh = feed.covering ? chunk.after(feed.lastSeq) : chunk;
		if (fresh == null) {
			// Seen already (a replica's events read twice).
			return;
		}
		if (!feed.covering && fresh.firstSeq() > feed.unknownThrough) {
			feed.covering = true;
			feed.coveredAfter = fresh.firstSeq() - 1;
		}
		feed.lastSeq = Math.max(feed.lastSeq, fresh.lastSeq());
		feed.lastAppend = ++this.appends;
		feed.lastAppendNanos = System.nanoTime();
		feed.watchers.removeIf((watcher) -> !watcher.offer(fresh, this.watcherBuffer));
		if (fresh.endsStream()) {
			feed.watchers.forEach(Watcher::complete);
			feed.watchers.clear();
			if (feed.covering && this.limits.enabled()) {
				// Kept, final status included, for the watchers that come once the batch
				// has ended (a page opened on it, a late or resumed stream): each would
				// otherwise read and encode every event again from the journal. It goes
				// when the tails' bytes need room (the quietest first) or once idle.
				feed.ended = true;
				keep(feed, fresh);
			}
			else {
				drop(feed);
			}
			return;
		}
		if (feed.covering && this.limits.enabled()) {
			keep(feed, fresh);
		}
		else if (feed.covering) {
			feed.coveredAfter = feed.lastSeq;
		}
	}

	private void keep(Feed feed, SseChunk chunk) {
		feed.tail.add(chunk);
		feed.events += chunk.size();
		feed.bytes += chunk.byteCount();
		this.totalBytes += chunk.byteCount();
		while (!feed.tail.isEmpty() && (feed.events > this.limits.events() || feed.bytes > this.limits.bytes())) {
			dropOldest(feed);
		}
		while (this.totalBytes > this.limits.totalBytes()) {
			dropOldest(quietest());
		}
	}

	/**
	 * An event of the batch that could not be encoded: no tail of it can be trusted until
	 * a chunk of events after it, so a watcher that joins reads the journal up to then,
	 * and every watcher following it now reads the journal for it (see {@link #gap}).
	 */
	void skipped(BatchEvent event) {
		gap(event.batchId(), event.seq());
	}

	/**
	 * Events of the batch through {@code throughSeq} that may not have come, or not
	 * whole, as live chunks (one could not be made or appended): the tail is dropped, a
	 * watcher that joins reads the journal up to the next chunk, and every watcher of the
	 * batch reads from the journal what it has not had through {@code throughSeq} before
	 * its next live chunk. The journal holds them all: an event is published once stored.
	 */
	void gap(String batchId, long throughSeq) {
		Feed feed = this.feeds.computeIfAbsent(batchId, Feed::new);
		clear(feed);
		feed.covering = false;
		feed.unknownThrough = Math.max(feed.unknownThrough, throughSeq);
		feed.watchers.forEach((watcher) -> fill(watcher, throughSeq));
	}

	/**
	 * The live chunks start again after a stop of unknown length (their pipeline failed
	 * and was subscribed again): any event may be missing from every feed. Each tail is
	 * dropped, and each watcher reads the journal to its end before its next live chunk.
	 * Runs before any chunk of the new subscription, so that those journal reads start
	 * only once the new chunks are on their way.
	 */
	void resumed() {
		for (Feed feed : this.feeds.values()) {
			clear(feed);
			feed.covering = false;
			feed.watchers.forEach((watcher) -> fill(watcher, Long.MAX_VALUE));
		}
	}

	/**
	 * Has the watcher read from the journal what it has not had through
	 * {@code throughSeq}, before any later live chunk: those are held meanwhile, and the
	 * events it had already are skipped when read again (its response's last event). A
	 * gap while one is read widens the read that follows it. A failed read ends the
	 * watcher's stream: it resumes with {@code Last-Event-ID}.
	 */
	private void fill(Watcher watcher, long throughSeq) {
		if (watcher.holdThrough(throughSeq)) {
			read(watcher);
		}
	}

	private void read(Watcher watcher) {
		long through = watcher.fillThrough;
		watcher.journal.apply(watcher.last.get(), through)
			.collectList()
			.subscribe((chunks) -> onThread(() -> filled(watcher, chunks, through)),
					(ex) -> onThread(() -> watcher.cutOff(ex)));
	}

	private void filled(Watcher watcher, List<SseChunk> chunks, long through) {
		chunks.forEach(watcher::emit);
		if (watcher.fillThrough > through) {
			// Another gap came while this one was read.
			read(watcher);
			return;
		}
		watcher.release(this.watcherBuffer);
	}

	/**
	 * The batch's events after {@code afterSeq}, then live, until its final status: from
	 * the tail where it holds them, else from {@code journal} (events after the first
	 * argument through the second), then the tail.
	 */
	Flux<SseChunk> watch(String batchId, long afterSeq, BiFunction<Long, Long, Flux<SseChunk>> journal) {
		return Flux.defer(() -> {
			// The last event sent: a live chunk may repeat some when the tail did not
			// cover the journal's end (see join), or after a gap read from the journal.
			AtomicLong last = new AtomicLong(afterSeq);
			Watcher watcher = new Watcher(last, journal);
			return Mono.fromCallable(() -> join(batchId, afterSeq, watcher))
				.subscribeOn(this.thread)
				.flatMapMany((through) -> {
					Flux<SseChunk> replay = (through > afterSeq)
							? journal.apply(afterSeq, through).doOnNext((chunk) -> last.set(chunk.lastSeq()))
							: Flux.empty();
					return replay.concatWith(watcher.chunks());
				})
				.takeUntil(SseChunk::endsStream)
				.doFinally((signal) -> onThread(() -> leave(batchId, watcher)));
		});
	}

	/**
	 * The events of an ended batch after {@code afterSeq}, through its final status: from
	 * its kept tail where it holds them, the journal ({@code journal}: events after the
	 * first argument through the second) for the rest.
	 */
	Flux<SseChunk> finished(String batchId, long afterSeq, BiFunction<Long, Long, Flux<SseChunk>> journal) {
		return Mono.fromCallable(() -> {
			Feed feed = this.feeds.get(batchId);
			Ended ended = (feed != null && feed.ended) ? ended(feed, afterSeq) : null;
			return (ended != null) ? ended : new Ended(Long.MAX_VALUE, List.of());
		}).subscribeOn(this.thread).flatMapMany((ended) -> {
			Flux<SseChunk> read = (ended.through() > afterSeq) ? journal.apply(afterSeq, ended.through())
					: Flux.empty();
			return read.concatWith(Flux.fromIterable(ended.parts()));
		});
	}

	/**
	 * What an ended feed's tail holds after {@code afterSeq}, and through which event the
	 * journal is to be read first; {@code null} when its tail cannot be trusted (a gap).
	 */
	private static Ended ended(Feed feed, long afterSeq) {
		if (!feed.covering) {
			return null;
		}
		List<SseChunk> parts = new ArrayList<>();
		for (SseChunk chunk : feed.tail) {
			SseChunk part = chunk.after(afterSeq);
			if (part != null) {
				parts.add(part);
			}
		}
		return new Ended(Math.max(afterSeq, feed.coveredAfter), parts);
	}

	/**
	 * Adds the watcher to its batch's feed and hands it the tail after {@code afterSeq};
	 * answers up to which event it must read the journal first ({@code afterSeq} when not
	 * at all, {@link Long#MAX_VALUE} when the feed does not know: it then reads the
	 * journal to its end and skips what it reads again live).
	 */
	private long join(String batchId, long afterSeq, Watcher watcher) {
		Feed feed = this.feeds.computeIfAbsent(batchId, Feed::new);
		if (feed.ended) {
			// Ended since the batch was looked up: no live chunk follows. Its tail, then
			// the end; without a tail, the journal to its end, whose final status ends
			// the stream.
			Ended ended = ended(feed, afterSeq);
			if (ended == null) {
				return Long.MAX_VALUE;
			}
			for (SseChunk part : ended.parts()) {
				watcher.offer(part, this.watcherBuffer);
			}
			watcher.complete();
			return ended.through();
		}
		feed.watchers.add(watcher);
		if (!feed.covering) {
			return Long.MAX_VALUE;
		}
		for (SseChunk chunk : feed.tail) {
			SseChunk part = chunk.after(afterSeq);
			if (part != null && !watcher.offer(part, this.watcherBuffer)) {
				feed.watchers.remove(watcher);
				break;
			}
		}
		return Math.max(afterSeq, feed.coveredAfter);
	}

	private void leave(String batchId, Watcher watcher) {
		Feed feed = this.feeds.get(batchId);
		if (feed != null && feed.watchers.remove(watcher) && feed.watchers.isEmpty() && feed.tail.isEmpty()) {
			this.feeds.remove(batchId);
		}
	}

	private void heartbeat() {
		long now = System.nanoTime();
		Iterator<Feed> all = this.feeds.values().iterator();
		while (all.hasNext()) {
			Feed feed = all.next();
			feed.watchers.removeIf((watcher) -> !watcher.offer(SseChunk.heartbeat(), this.watcherBuffer));
			if (feed.watchers.isEmpty() && now - feed.lastAppendNanos > IDLE.toNanos()) {
				this.totalBytes -= feed.bytes;
				all.remove();
			}
		}
	}

	private Feed quietest() {
		Feed quietest = null;
		for (Feed feed : this.feeds.values()) {
			if (!feed.tail.isEmpty() && (quietest == null || feed.lastAppend < quietest.lastAppend)) {
				quietest = feed;
			}
		}
		return quietest;
	}

	private void dropOldest(Feed feed) {
		SseChunk oldest = feed.tail.poll();
		feed.events -= oldest.size();
		feed.bytes -= oldest.byteCount();
		this.totalBytes -= oldest.byteCount();
		feed.coveredAfter = oldest.lastSeq();
	}

	private void clear(Feed feed) {
		this.totalBytes -= feed.bytes;
		feed.tail.clear();
		feed.events = 0;
		feed.bytes = 0;
		feed.coveredAfter = feed.lastSeq;
	}

	private void drop(Feed feed) {
		clear(feed);
		this.feeds.remove(feed.batchId);
	}

	private void onThread(Runnable task) {
		try {
			this.thread.schedule(task);
		}
		catch (RejectedExecutionException ex) {
			// Shutting down: the feeds go with the process.
		}
	}

	/** Events held by the batch's tail (for tests). */
	Mono<List<Long>> tailSeqs(String batchId) {
		return Mono.fromCallable(() -> {
			List<Long> seqs = new ArrayList<>();
			Feed feed = this.feeds.get(batchId);
			if (feed != null) {
				for (SseChunk chunk : feed.tail) {
					for (long seq : chunk.seqs()) {
						seqs.add(seq);
					}
				}
			}
			return seqs;
		}).subscribeOn(this.thread);
	}

	/** Bytes held by every tail (for tests). */
	Mono<Long> totalBytes() {
		return Mono.fromCallable(() -> this.totalBytes).subscribeOn(this.thread);
	}

	/**
	 * An ended batch's events: the journal's through {@code through}, then {@code parts}.
	 */
	private record Ended(long through, List<SseChunk> parts) {
	}

	private static final class Feed {

		private final String batchId;

		/**
		 * Whether its final status came: it has no watchers, and its tail, final status
		 * included, serves those that come later.
		 */
		private boolean ended;

		private final ArrayDeque<SseChunk> tail = new ArrayDeque<>();

		private final List<Watcher> watchers = new ArrayList<>();

		/**
		 * Whether every stored event after {@link #coveredAfter} is in the tail or still
		 * to come live.
		 */
		private boolean covering;

		private long coveredAfter;

		/** Events up to this one are known to the journal only (see skipped). */
		private long unknownThrough;

		private long lastSeq;

		private int events;

		private long bytes;

		private long lastAppend;

		private long lastAppendNanos = System.nanoTime();

		Feed(String batchId) {
			this.batchId = batchId;
		}

	}

	/** One watcher's queue of chunks, filled on the feeds' thread. */
	private static final class Watcher {

		private final Sinks.Many<SseChunk> sink = Sinks.many().unicast().onBackpressureBuffer();

		/** Events handed to the watcher and not yet taken by its response. */
		private final AtomicLong waiting = new AtomicLong();

		/** The last event its response took. */
		private final AtomicLong last;

		/** Events after the first argument through the second, from the journal. */
		private final BiFunction<Long, Long, Flux<SseChunk>> journal;

		/**
		 * Live chunks held while a gap is read from the journal (feeds' thread); null
		 * while none is.
		 */
		private List<SseChunk> held;

		/** Through which event the gap being read reaches (feeds' thread). */
		private long fillThrough;

		/** Whether its stream ends once the held chunks went (feeds' thread). */
		private boolean completeOnRelease;

		Watcher(AtomicLong last, BiFunction<Long, Long, Flux<SseChunk>> journal) {
			this.last = last;
			this.journal = journal;
		}

		/** Whether the watcher still takes chunks; false once it is cut off or gone. */
		boolean offer(SseChunk chunk, int limit) {
			if (this.waiting.addAndGet(chunk.size()) > limit) {
				cutOff(Exceptions.failWithOverflow(
						"Watcher over " + limit + " events behind; it resumes from the journal with Last-Event-ID"));
				return false;
			}
			if (this.held != null && chunk.size() > 0) {
				this.held.add(chunk);
				return true;
			}
			return this.sink.tryEmitNext(chunk).isSuccess();
		}

		/**
		 * Holds live chunks until the journal was read through {@code throughSeq};
		 * answers whether a read is to start (none is under way).
		 */
		boolean holdThrough(long throughSeq) {
			boolean start = this.held == null;
			if (start) {
				this.held = new ArrayList<>();
			}
			this.fillThrough = Math.max(this.fillThrough, throughSeq);
			return start;
		}

		/** The gap is read: the held chunks go, and later ones go at once. */
		void release(int limit) {
			List<SseChunk> chunks = this.held;
			if (chunks == null) {
				return;
			}
			this.held = null;
			for (SseChunk chunk : chunks) {
				this.waiting.addAndGet(-chunk.size());
				if (!offer(chunk, limit)) {
					return;
				}
			}
			if (this.completeOnRelease) {
				this.sink.tryEmitComplete();
			}
		}

		/** A chunk read from the journal for a gap: before every held one. */
		void emit(SseChunk chunk) {
			this.waiting.addAndGet(chunk.size());
			this.sink.tryEmitNext(chunk);
		}

		void cutOff(Throwable reason) {
			this.held = null;
			this.sink.tryEmitError(reason);
		}

		/** The batch's stream ended: once what is held went, if a gap is being read. */
		void complete() {
			if (this.held != null) {
				this.completeOnRelease = true;
				return;
			}
			this.sink.tryEmitComplete();
		}

		/**
		 * The chunks as they come, without what {@link #last} says was sent already (a
		 * chunk may repeat events read from the journal).
		 */
		Flux<SseChunk> chunks() {
			return this.sink.asFlux().handle((chunk, out) -> {
				this.waiting.addAndGet(-chunk.size());
				if (chunk.size() == 0) {
					out.next(chunk);
					return;
				}
				SseChunk part = chunk.after(this.last.get());
				if (part != null) {
					this.last.set(part.lastSeq());
					out.next(part);
				}
			});
		}

	}

}

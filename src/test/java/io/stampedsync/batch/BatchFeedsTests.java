package io.stampedsync.batch;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The replay tail of a batch's live SSE chunks: what a watcher takes from it, what it
 * reads from the journal instead, and its bounds. The feeds' thread is driven step by
 * step, so each case is one exact interleaving of chunks and watchers.
 */
class BatchFeedsTests {

	private final Scheduler thread = Schedulers.newSingle("feeds-test");

	/** The journal's reads, as (after, through) pairs. */
	private final List<long[]> reads = new CopyOnWriteArrayList<>();

	/** Events the journal holds, one per number. */
	private final List<Long> stored = new CopyOnWriteArrayList<>();

	@AfterEach
	void stop() {
		this.thread.dispose();
	}

	@Test
	void watchersFromTheStartOrResumingInTheTailReadNoJournal() throws Exception {
		BatchFeeds feeds = feeds(100, 1 << 20, 1 << 20);
		append(feeds, chunk("a", 1, 2, 3), chunk("a", 4, 5, 6));

		// Each joins on the feeds' thread before the chunks appended after it.
		CompletableFuture<List<Long>> fromStart = seqs(feeds.watch("a", 0, this::journal));
		CompletableFuture<List<Long>> resumed = seqs(feeds.watch("a", 4, this::journal));
		append(feeds, chunk("a", 7), last("a", 8));

		assertThat(fromStart.get(10, TimeUnit.SECONDS)).containsExactly(1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L);
		assertThat(resumed.get(10, TimeUnit.SECONDS)).containsExactly(5L, 6L, 7L, 8L);
		assertThat(this.reads).isEmpty();
	}

	@Test
	void aResumeBeforeTheTailReadsTheJournalOnlyForWhatTheTailNoLongerHolds() throws Exception {
		BatchFeeds feeds = feeds(3, 1 << 20, 1 << 20);
		append(feeds, chunk("a", 1, 2, 3), chunk("a", 4, 5), chunk("a", 6));
		assertThat(feeds.tailSeqs("a").block()).containsExactly(4L, 5L, 6L);

		CompletableFuture<List<Long>> resumed = seqs(feeds.watch("a", 1, this::journal));
		CompletableFuture<List<Long>> fromStart = seqs(feeds.watch("a", 0, this::journal));
		append(feeds, chunk("a", 7), last("a", 8));

		assertThat(resumed.get(10, TimeUnit.SECONDS)).containsExactly(2L, 3L, 4L, 5L, 6L, 7L, 8L);
		assertThat(fromStart.get(10, TimeUnit.SECONDS)).containsExactly(1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L);
		assertThat(this.reads).extracting(Arrays::toString).containsExactlyInAnyOrder("[1, 3]", "[0, 3]");
	}

	@Test
	void aResumeInsideAChunkTakesOnlyItsEventsAfterTheId() throws Exception {
		BatchFeeds feeds = feeds(100, 1 << 20, 1 << 20);
		append(feeds, chunk("a", 1, 2, 3, 4));

		CompletableFuture<List<Long>> resumed = seqs(feeds.watch("a", 2, this::journal));
		append(feeds, last("a", 5));

		assertThat(resumed.get(10, TimeUnit.SECONDS)).containsExactly(3L, 4L, 5L);
		assertThat(this.reads).isEmpty();
	}

	@Test
	void aWatcherBeforeTheFirstChunkReadsTheJournalToItsEndAndSkipsWhatComesAgainLive() throws Exception {
		BatchFeeds feeds = feeds(100, 1 << 20, 1 << 20);
		// Stored, not yet gathered into a chunk: the journal has them, the feed not yet.
		this.stored.addAll(List.of(1L, 2L, 3L, 4L));

		CompletableFuture<List<Long>> watched = seqs(feeds.watch("a", 0, this::journal));
		// The journal read runs after the join: wait for it before the chunks go out,
		// so that they repeat what it read.
		await().atMost(Duration.ofSeconds(10)).until(() -> !this.reads.isEmpty());
		append(feeds, chunk("a", 3, 4, 5), last("a", 6));

		assertThat(watched.get(10, TimeUnit.SECONDS)).containsExactly(1L, 2L, 3L, 4L, 5L, 6L);
		assertThat(this.reads).extracting(Arrays::toString).containsExactly("[0, " + Long.MAX_VALUE + "]");
	}

	@Test
	void aTailIsBoundedByEventsAndBytesAndAllTailsTogetherByBytes() {
		int bytesOfOne = chunk("a", 1).byteCount();
		BatchFeeds byEvents = feeds(5, 1 << 20, 1 << 20);
		for (long seq = 1; seq <= 20; seq++) {
			append(byEvents, chunk("a", seq));
		}
		assertThat(byEvents.tailSeqs("a").block()).containsExactly(16L, 17L, 18L, 19L, 20L);

		// Two-digit numbers: every event the same length.
		int bytesOfTen = chunk("a", 10).byteCount();
		BatchFeeds byBytes = feeds(100, 3L * bytesOfTen, 1 << 20);
		for (long seq = 10; seq <= 29; seq++) {
			append(byBytes, chunk("a", seq));
		}
		assertThat(byBytes.tailSeqs("a").block()).containsExactly(27L, 28L, 29L);

		// Past the bytes of all tails, the batch quiet the longest gives up its oldest.
		BatchFeeds byTotal = feeds(100, 1 << 20, 4L * bytesOfOne);
		append(byTotal, chunk("a", 1), chunk("a", 2), chunk("b", 1), chunk("b", 2), chunk("b", 3));
		assertThat(byTotal.tailSeqs("a").block()).containsExactly(2L);
		assertThat(byTotal.tailSeqs("b").block()).containsExactly(1L, 2L, 3L);
		assertThat(byTotal.totalBytes().block()).isLessThanOrEqualTo(4L * bytesOfOne);
	}

	@Test
	void aFinalStatusEndsTheWatchersAndKeepsTheTailForTheWatchersThatComeLater() throws Exception {
		BatchFeeds feeds = feeds(100, 1 << 20, 1 << 20);
		append(feeds, chunk("a", 1, 2));
		CompletableFuture<List<Long>> watched = seqs(feeds.watch("a", 0, this::journal));
		append(feeds, last("a", 3));

		assertThat(watched.get(10, TimeUnit.SECONDS)).containsExactly(1L, 2L, 3L);
		assertThat(feeds.tailSeqs("a").block()).containsExactly(1L, 2L, 3L);
		// Ended: a watcher from the start, or resuming, takes the tail and its stream
		// ends with the final status; none reads the journal.
		assertThat(seqs(feeds.finished("a", 0, this::journal)).get(10, TimeUnit.SECONDS)).containsExactly(1L, 2L, 3L);
		assertThat(seqs(feeds.finished("a", 1, this::journal)).get(10, TimeUnit.SECONDS)).containsExactly(2L, 3L);
		assertThat(seqs(feeds.finished("a", 3, this::journal)).get(10, TimeUnit.SECONDS)).isEmpty();
		// One that looked the batch up as running, and joins once it ended, too.
		assertThat(seqs(feeds.watch("a", 0, this::journal)).get(10, TimeUnit.SECONDS)).containsExactly(1L, 2L, 3L);
		assertThat(this.reads).isEmpty();
	}

	@Test
	void anEndedBatchsWatcherReadsTheJournalForWhatItsTailNoLongerHolds() throws Exception {
		BatchFeeds feeds = feeds(2, 1 << 20, 1 << 20);
		append(feeds, chunk("a", 1), chunk("a", 2), chunk("a", 3), last("a", 4));
		assertThat(feeds.tailSeqs("a").block()).containsExactly(3L, 4L);

		assertThat(seqs(feeds.finished("a", 0, this::journal)).get(10, TimeUnit.SECONDS)).containsExactly(1L, 2L, 3L,
				4L);
		assertThat(this.reads).extracting(Arrays::toString).containsExactly("[0, 2]");
	}

	@Test
	void withoutATailAnEndedBatchsWatcherReadsTheJournalToItsEnd() throws Exception {
		BatchFeeds none = feeds(0, 1 << 20, 1 << 20);
		append(none, chunk("a", 1, 2), last("a", 3));
		assertThat(none.totalBytes().block()).isZero();
		assertThat(seqs(none.finished("a", 0, this::journal)).get(10, TimeUnit.SECONDS)).containsExactly(1L, 2L, 3L);
		// A batch that ended before this process saw it, or whose tail had a gap.
		BatchFeeds feeds = feeds(100, 1 << 20, 1 << 20);
		assertThat(seqs(feeds.finished("b", 1, this::journal)).get(10, TimeUnit.SECONDS)).containsExactly(2L, 3L);
		assertThat(this.reads).extracting(Arrays::toString)
			.containsExactly("[0, " + Long.MAX_VALUE + "]", "[1, " + Long.MAX_VALUE + "]");
	}

	@Test
	void aWatcherFollowingLiveReadsASkippedEventFromTheJournalBeforeTheNextChunk() throws Exception {
		BatchFeeds feeds = feeds(100, 1 << 20, 1 << 20);
		append(feeds, chunk("a", 1, 2));
		CompletableFuture<List<Long>> watched = seqs(feeds.watch("a", 0, this::journal));
		// Stored, but its chunk never came: the watcher must not go on without it.
		this.stored.addAll(List.of(3L, 4L));
		BatchEvent skipped = new BatchEvent("a", "s", 4, BatchEvent.RECORD, "{}", Instant.EPOCH);
		Mono.fromRunnable(() -> feeds.skipped(skipped)).subscribeOn(this.thread).block(Duration.ofSeconds(10));
		append(feeds, chunk("a", 5), last("a", 6));

		assertThat(watched.get(10, TimeUnit.SECONDS)).containsExactly(1L, 2L, 3L, 4L, 5L, 6L);
		assertThat(this.reads).extracting(Arrays::toString).containsExactly("[2, 4]");
	}

	@Test
	void chunksThatComeWhileAGapIsReadWaitForItAndAFinalStatusEndsTheStreamOnlyAfterThem() throws Exception {
		BatchFeeds feeds = feeds(100, 1 << 20, 1 << 20);
		append(feeds, chunk("a", 1, 2));
		Sinks.Empty<Void> readEnds = Sinks.empty();
		CompletableFuture<List<Long>> watched = seqs(
				feeds.watch("a", 0, (after, through) -> readEnds.asMono().thenMany(journal(after, through))));
		this.stored.addAll(List.of(3L, 4L));
		BatchEvent skipped = new BatchEvent("a", "s", 4, BatchEvent.RECORD, "{}", Instant.EPOCH);
		Mono.fromRunnable(() -> feeds.skipped(skipped)).subscribeOn(this.thread).block(Duration.ofSeconds(10));
		// The gap's read has not ended: these are held, the final status included.
		append(feeds, chunk("a", 5), last("a", 6));
		assertThat(watched).isNotDone();

		readEnds.tryEmitEmpty();

		assertThat(watched.get(10, TimeUnit.SECONDS)).containsExactly(1L, 2L, 3L, 4L, 5L, 6L);
	}

	@Test
	void afterTheLiveChunksStartAgainEveryWatcherReadsTheJournalToItsEndOnce() throws Exception {
		BatchFeeds feeds = feeds(100, 1 << 20, 1 << 20);
		append(feeds, chunk("a", 1));
		CompletableFuture<List<Long>> watched = seqs(feeds.watch("a", 0, this::journal));
		this.stored.addAll(List.of(2L, 3L));
		Mono.fromRunnable(feeds::resumed).subscribeOn(this.thread).block(Duration.ofSeconds(10));
		// The journal read may run before or after this chunk arrives: either way 3 comes
		// once.
		append(feeds, chunk("a", 3, 4), last("a", 5));

		assertThat(watched.get(10, TimeUnit.SECONDS)).containsExactly(1L, 2L, 3L, 4L, 5L);
		// The tail starts again with the first chunk after the stop; the journal has what
		// came before.
		assertThat(feeds.tailSeqs("a").block()).containsExactly(3L, 4L, 5L);
	}

	private static CompletableFuture<List<Long>> seqs(Flux<SseChunk> chunks) {
		return chunks.filter((chunk) -> chunk.size() > 0)
			.concatMapIterable((chunk) -> Arrays.stream(chunk.seqs()).boxed().toList())
			.collectList()
			.toFuture();
	}

	private BatchFeeds feeds(int events, long bytes, long totalBytes) {
		return new BatchFeeds(this.thread, new ReplayTailProperties(events, bytes, totalBytes), 10_000,
				Duration.ofSeconds(15));
	}

	private void append(BatchFeeds feeds, SseChunk... chunks) {
		for (SseChunk chunk : chunks) {
			for (long seq : chunk.seqs()) {
				if (!this.stored.contains(seq)) {
					this.stored.add(seq);
				}
			}
			Mono.fromRunnable(() -> feeds.append(chunk)).subscribeOn(this.thread).block(Duration.ofSeconds(10));
		}
	}

	private Flux<SseChunk> journal(long after, long through) {
		this.reads.add(new long[] { after, through });
		return Flux.fromIterable(new ArrayList<>(this.stored))
			.filter((seq) -> seq > after && seq <= through)
			.sort()
			.map((seq) -> chunk("a", seq));
	}

	static SseChunk chunk(String batchId, long... seqs) {
		return SseChunk.of(LongStream.of(seqs).mapToObj((seq) -> frame(batchId, seq, false)).toList()).get(0);
	}

	static SseChunk last(String batchId, long seq) {
		return SseChunk.of(List.of(frame(batchId, seq, true))).get(0);
	}

	private static SseFrame frame(String batchId, long seq, boolean finalStatus) {
		String type = finalStatus ? BatchEvent.STATUS : BatchEvent.RECORD;
		BatchEvent event = new BatchEvent(batchId, "s", seq, type, "{}", Instant.EPOCH);
		return new SseFrame(event, SseFrame.encode(Long.toString(seq), type, "{}"), finalStatus);
	}

}

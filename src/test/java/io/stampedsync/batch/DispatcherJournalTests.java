package io.stampedsync.batch;

import java.time.Instant;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

import io.stampedsync.transfer.Outcome;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;
import reactor.util.function.Tuple3;
import reactor.util.function.Tuples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.BDDMockito.given;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;

/**
 * A dispatcher starts a batch that never ran from the counts its intake kept, and counts
 * the records of any other.
 */
class DispatcherJournalTests {

	private final BatchJournal journal = mock(BatchJournal.class);

	private final DispatcherJournal dispatcherJournal = new DispatcherJournal(this.journal);

	@Test
	void shouldStartABatchThatNeverRanFromItsIntakeCountsWithoutReadingItsRecords() {
		given(this.journal.lastSeq("b1")).willReturn(Mono.just(3L));
		given(this.journal.intakeCounts("b1")).willReturn(Mono.just(new RecordCounts(7, Map.of(Outcome.REJECTED, 3L))));

		assertThat(start()).isEqualTo(Tuples.of(3L, 7L, Map.of(Outcome.REJECTED, 3L)));
		verify(this.journal, never()).countRecords(any());
		verify(this.journal, never()).countPending(any());
		verify(this.journal, never()).countOutcomes(any());
	}

	@Test
	void shouldCountTheRecordsOfABatchWithoutIntakeCounts() {
		given(this.journal.lastSeq("b1")).willReturn(Mono.just(40L));
		given(this.journal.intakeCounts("b1")).willReturn(Mono.empty());
		given(this.journal.countRecords("b1"))
			.willReturn(Mono.just(new RecordCounts(2, Map.of(Outcome.CREATED, 5L, Outcome.REJECTED, 3L))));

		assertThat(start()).isEqualTo(Tuples.of(40L, 2L, Map.of(Outcome.CREATED, 5L, Outcome.REJECTED, 3L)));
	}

	// Synchronous by construction: every read above answers at once.
	private Tuple3<Long, Long, Map<Outcome, Long>> start() {
		AtomicReference<Tuple3<Long, Long, Map<Outcome, Long>>> loaded = new AtomicReference<>();
		Instant at = Instant.parse("2026-12-01T00:00:00Z");
		this.dispatcherJournal.start(new Batch("b1", 1, "acme", BatchSource.BULK, BatchStatus.QUEUED, null, 0, false,
				false, false, 10, null, null, null, at, null, null), loaded::set);
		return loaded.get();
	}

}

package io.stampedsync.batch;

import java.time.Instant;
import java.util.Map;

import io.stampedsync.transfer.Outcome;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.BDDMockito.given;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.times;
import static org.mockito.Mockito.verify;

/** A batch run here is viewed from memory; others from the journal's counts. */
class BatchViewsTests {

	private final BatchJournal journal = mock(BatchJournal.class);

	private final DispatcherManager dispatchers = mock(DispatcherManager.class);

	private final BatchViews views = new BatchViews(this.journal, this.dispatchers, JsonMapper.builder().build(),
			new FinalCounts());

	@Test
	void shouldViewABatchRunHereFromItsCountsInMemoryWithoutCountingTheJournal() {
		Batch batch = batch(BatchStatus.RUNNING);
		given(this.dispatchers.progress(batch))
			.willReturn(new Progress(Map.of(Outcome.CREATED, 7L, Outcome.FAILED, 2L), 9, 120.0, 4L));

		BatchView view = this.views.view(batch).block();

		assertThat(view.done()).isEqualTo(9);
		assertThat(view.counts()).containsEntry("created", 7L).containsEntry("failed", 2L).containsEntry("updated", 0L);
		assertThat(view.etaSeconds()).isEqualTo(4L);
		verify(this.journal, never()).countOutcomes(any());
	}

	@Test
	void shouldCountTheJournalForABatchNotRunHere() {
		Batch batch = batch(BatchStatus.COMPLETED);
		given(this.journal.countOutcomes("b1")).willReturn(Mono.just(Map.of(Outcome.UPDATED, 3L)));

		BatchView view = this.views.view(batch).block();

		assertThat(view.done()).isEqualTo(3);
		assertThat(view.counts()).containsEntry("updated", 3L);
	}

	@Test
	void shouldAnswerAnIntakeWithItsOwnCountsWithoutCountingTheJournal() {
		Batch batch = batch(BatchStatus.QUEUED);

		BatchView view = this.views.view(new AcceptedBatch(batch, new RecordCounts(8, Map.of(Outcome.REJECTED, 2L))))
			.block();

		assertThat(view.done()).isEqualTo(2);
		assertThat(view.counts()).containsEntry("rejected", 2L).containsEntry("created", 0L);
		verify(this.journal, never()).countOutcomes(any());
		verify(this.journal, never()).countRecords(any());
	}

	@Test
	void shouldAnswerAnIntakeOfABatchRunHereAlreadyFromMemory() {
		Batch batch = batch(BatchStatus.RUNNING);
		given(this.dispatchers.progress(batch))
			.willReturn(new Progress(Map.of(Outcome.REJECTED, 2L, Outcome.CREATED, 1L), 3, 60.0, 9L));

		BatchView view = this.views.view(new AcceptedBatch(batch, new RecordCounts(8, Map.of(Outcome.REJECTED, 2L))))
			.block();

		assertThat(view.done()).isEqualTo(3);
		assertThat(view.counts()).containsEntry("created", 1L);
		verify(this.journal, never()).countOutcomes(any());
	}

	@Test
	void shouldCountTheJournalForARepeatedIntakeOfAnEarlierBatch() {
		Batch batch = batch(BatchStatus.COMPLETED);
		given(this.journal.countOutcomes("b1")).willReturn(Mono.just(Map.of(Outcome.CREATED, 10L)));

		BatchView view = this.views.view(new AcceptedBatch(batch, null)).block();

		assertThat(view.done()).isEqualTo(10);
	}

	@Test
	void shouldViewAQueuedBatchThatNeverStartedFromItsIntakeCounts() {
		Batch batch = batch(BatchStatus.QUEUED);
		given(this.journal.intakeCounts("b1")).willReturn(Mono.just(new RecordCounts(9, Map.of(Outcome.REJECTED, 1L))));

		BatchView view = this.views.view(batch).block();

		assertThat(view.done()).isEqualTo(1);
		assertThat(view.counts()).containsEntry("rejected", 1L);
		verify(this.journal, never()).countOutcomes(any());
	}

	@Test
	void shouldCountAQueuedBatchWithoutIntakeCounts() {
		Batch batch = batch(BatchStatus.QUEUED);
		given(this.journal.intakeCounts("b1")).willReturn(Mono.empty());
		given(this.journal.countOutcomes("b1")).willReturn(Mono.just(Map.of(Outcome.CANCELLED, 4L)));

		BatchView view = this.views.view(batch).block();

		assertThat(view.counts()).containsEntry("cancelled", 4L);
	}

	@Test
	void shouldCountAFinishedBatchOnceAndAnswerLaterViewsFromThoseCounts() {
		Batch batch = batch(BatchStatus.COMPLETED_WITH_ERRORS);
		given(this.journal.countOutcomes("b1")).willReturn(Mono.just(Map.of(Outcome.CREATED, 6L, Outcome.FAILED, 4L)));

		for (int i = 0; i < 3; i++) {
			BatchView view = this.views.view(batch).block();
			assertThat(view.done()).isEqualTo(10);
			assertThat(view.counts()).containsEntry("created", 6L).containsEntry("failed", 4L);
		}
		verify(this.journal, times(1)).countOutcomes("b1");
	}

	@Test
	void shouldCountARunningBatchOfAnotherReplicaOnEveryView() {
		Batch batch = batch(BatchStatus.RUNNING);
		given(this.journal.countOutcomes("b1")).willReturn(Mono.just(Map.of(Outcome.CREATED, 1L)),
				Mono.just(Map.of(Outcome.CREATED, 2L)));
		given(this.journal.lastEvent("b1", BatchEvent.PROGRESS)).willReturn(Mono.empty());

		assertThat(this.views.view(batch).block().done()).isEqualTo(1);
		assertThat(this.views.view(batch).block().done()).isEqualTo(2);
	}

	private static Batch batch(BatchStatus status) {
		Instant at = Instant.parse("2026-12-01T00:00:00Z");
		return new Batch("b1", 1, "acme", BatchSource.BULK, status, null, 0, false, false, false, 10, null, null, null,
				at, at, null);
	}

}

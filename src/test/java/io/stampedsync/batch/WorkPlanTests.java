package io.stampedsync.batch;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.IntStream;

import io.stampedsync.batch.WorkPlan.Work;
import io.stampedsync.transfer.CustomerLink;
import io.stampedsync.transfer.Outcome;
import io.stampedsync.transfer.PrefetchedLink;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The dispatcher's decisions alone: admission, fairness, per-customer order, cancel. */
class WorkPlanTests {

	private long acceptSeq;

	@Test
	void admitsQueuedBatchesFifoUpToConcurrentBatchExecutions() {
		WorkPlan plan = new WorkPlan(2);
		Batch a = batch("a", 0);
		Batch b = batch("b", 0);
		Batch c = batch("c", 0);
		plan.offer(a);
		plan.offer(b);
		plan.offer(c);

		assertThat(plan.admit()).containsExactly(a, b);
		assertThat(plan.admit()).isEmpty();
		plan.started(running(a, "x", "y"));
		plan.started(running(b, "z"));
		drainAndFinish(plan);

		assertThat(plan.takeFinished()).extracting((batch) -> batch.batch.id()).containsExactly("a", "b");
		assertThat(plan.admit()).containsExactly(c);
	}

	@Test
	void aQueuedBatchIsAdmittedAtOnceWhenToldItHasNothingLeft() {
		WorkPlan plan = new WorkPlan(1);
		Batch a = batch("a", 0);
		Batch b = batch("b", 0);
		Batch c = batch("c", 0);
		List.of(a, b, c).forEach(plan::offer);
		assertThat(plan.admit()).containsExactly(a);

		assertThat(plan.admitNow("c")).isTrue();

		assertThat(plan.starting()).containsExactly(a, c);
		assertThat(plan.admitNow("c")).isFalse();
		assertThat(plan.admitNow("a")).isFalse();
		plan.started(running(c));
		assertThat(plan.queuedTotals()).hasSize(1);
	}

	@Test
	void raisingConcurrentBatchExecutionsAdmitsQueuedBatches() {
		WorkPlan plan = new WorkPlan(1);
		Batch a = batch("a", 0);
		Batch b = batch("b", 0);
		Batch c = batch("c", 0);
		List.of(a, b, c).forEach(plan::offer);
		assertThat(plan.admit()).containsExactly(a);

		plan.concurrentBatchExecutions(3);

		assertThat(plan.admit()).containsExactly(b, c);
	}

	@Test
	void aDebugBatchJumpsTheQueueAndIsServedFirst() {
		WorkPlan plan = new WorkPlan(1);
		Batch normal = batch("normal", 0);
		Batch waiting = batch("waiting", 0);
		Batch debug = batch("debug", 1);
		plan.offer(normal);
		plan.offer(waiting);
		assertThat(plan.admit()).containsExactly(normal);
		plan.started(running(normal, "n1", "n2"));

		plan.offer(debug);
		assertThat(plan.admit()).containsExactly(debug);
		plan.started(running(debug, "d1", "d2"));

		assertThat(customers(takeAll(plan))).containsExactly("d1", "d2", "n1", "n2");
	}

	@Test
	void runningBatchesTakeTurnsOneRecordEach() {
		WorkPlan plan = new WorkPlan(3);
		Batch a = batch("a", 0);
		Batch b = batch("b", 0);
		Batch c = batch("c", 0);
		List.of(a, b, c).forEach(plan::offer);
		plan.admit();
		plan.started(running(a, "a1", "a2", "a3"));
		plan.started(running(b, "b1"));
		plan.started(running(c, "c1", "c2"));

		assertThat(customers(takeAll(plan))).containsExactly("a1", "b1", "c1", "a2", "c2", "a3");
	}

	@Test
	void aBatchJoiningOneThatRunsAloneGetsTheNextTurn() {
		WorkPlan plan = new WorkPlan(2);
		Batch a = batch("a", 0);
		plan.offer(a);
		plan.admit();
		plan.started(running(a, "a1", "a2", "a3"));
		Work first = plan.next();
		assertThat(first.record().ipaasCustomerId()).isEqualTo("a1");
		plan.done(first, Outcome.CREATED, 1);

		Batch b = batch("b", 0);
		plan.offer(b);
		plan.admit();
		plan.started(running(b, "b1", "b2"));

		// a just had its turn: b is next, not a again.
		assertThat(customers(takeAll(plan))).containsExactly("b1", "a2", "b2", "a3");
	}

	@Test
	void aBatchEndingBeforeTheTurnKeepsTheRotationOnTheNextBatch() {
		WorkPlan plan = new WorkPlan(3);
		Batch a = batch("a", 0);
		Batch b = batch("b", 0);
		Batch c = batch("c", 0);
		List.of(a, b, c).forEach(plan::offer);
		plan.admit();
		plan.started(running(a, "a1"));
		plan.started(running(b, "b1", "b2"));
		plan.started(running(c, "c1", "c2"));
		Work a1 = plan.next();
		Work b1 = plan.next();
		plan.done(a1, Outcome.CREATED, 1);
		plan.done(b1, Outcome.CREATED, 1);

		assertThat(plan.takeFinished()).extracting((batch) -> batch.batch.id()).containsExactly("a");

		// b just had its turn: c is next.
		assertThat(customers(takeAll(plan))).containsExactly("c1", "b2", "c2");
	}

	@Test
	void atMostOneRecordOfACustomerIsOutAndTheOlderGoesFirst() {
		WorkPlan plan = new WorkPlan(2);
		Batch older = batch("older", 0);
		Batch newer = batch("newer", 0);
		plan.offer(older);
		plan.offer(newer);
		plan.admit();
		plan.started(running(older, "same", "other"));
		plan.started(running(newer, "same", "third"));

		List<Work> first = takeAll(plan);
		assertThat(first).extracting((work) -> work.batch().batch.id() + ":" + work.record().ipaasCustomerId())
			.containsExactly("older:same", "newer:third", "older:other");
		assertThat(plan.next()).as("the newer record of 'same' waits").isNull();

		plan.done(first.get(0), Outcome.CREATED, 1);

		Work released = plan.next();
		assertThat(released.batch().batch.id()).isEqualTo("newer");
		assertThat(released.record().ipaasCustomerId()).isEqualTo("same");
	}

	@Test
	void aRecordPutBackGoesAgainFirstAndItsCustomerStaysBusy() {
		WorkPlan plan = new WorkPlan(1);
		Batch a = batch("a", 0);
		plan.offer(a);
		plan.admit();
		plan.started(running(a, "c1", "c1", "c2"));
		Work first = plan.next();

		plan.putBack(first);
		plan.pause("credentials rejected");
		assertThat(plan.next()).isNull();
		assertThat(plan.resume()).hasSize(1);

		assertThat(plan.next()).isEqualTo(first);
		assertThat(plan.next().record().ipaasCustomerId()).isEqualTo("c2");
		assertThat(plan.next()).as("the second record of c1 waits for the first").isNull();
	}

	@Test
	void aBatchIsHeldOnceAndAFinishedOneIsNotRunAgain() {
		WorkPlan plan = new WorkPlan(5);
		Batch a = batch("a", 0);
		assertThat(plan.offer(a)).isTrue();
		assertThat(plan.offer(a)).isFalse();
		plan.admit();
		assertThat(plan.offer(a)).isFalse();
		plan.started(running(a, "x"));
		drainAndFinish(plan);
		plan.takeFinished();

		assertThat(plan.offer(a)).isFalse();
		assertThat(plan.hasWork()).isFalse();
	}

	@Test
	void remembersABoundedNumberOfFinishedBatches() {
		WorkPlan plan = new WorkPlan(1);
		for (int i = 0; i < WorkPlan.RECENTLY_FINISHED + 10; i++) {
			Batch batch = batch("b" + i, 0);
			plan.offer(batch);
			plan.admit();
			plan.started(running(batch));
			plan.takeFinished();
		}
		assertThat(plan.offer(batch("b0", 0))).as("forgotten long ago").isTrue();
		assertThat(plan.offer(batch("b" + (WorkPlan.RECENTLY_FINISHED + 9), 0))).isFalse();
	}

	@Test
	void aFailedStartGoesBackToItsPlaceInTheQueue() {
		WorkPlan plan = new WorkPlan(1);
		Batch a = batch("a", 0);
		Batch b = batch("b", 0);
		plan.offer(a);
		plan.offer(b);
		assertThat(plan.admit()).containsExactly(a);

		plan.startFailed(a);

		assertThat(plan.started(running(a, "x"))).as("the given-up start").isEqualTo(WorkPlan.Start.STALE);
		assertThat(plan.admit()).containsExactly(a);
	}

	@Test
	void cancelFindsQueuedStartingAndRunningBatches() {
		WorkPlan plan = new WorkPlan(1);
		Batch running = batch("running", 0);
		Batch starting = batch("starting", 1);
		Batch queued = batch("queued", 0);
		plan.offer(running);
		plan.admit();
		RunningBatch state = running(running, "r1", "r2");
		plan.started(state);
		plan.offer(starting);
		plan.admit();
		plan.offer(queued);
		Work out = plan.next();

		assertThat(plan.cancel("nowhere")).isInstanceOf(WorkPlan.Cancel.NotHeld.class);
		assertThat(plan.cancel("queued")).isEqualTo(new WorkPlan.Cancel.Queued(queued));
		assertThat(plan.cancel("starting")).isInstanceOf(WorkPlan.Cancel.Noted.class);
		assertThat(plan.started(running(starting, "s1"))).as("cancelled as soon as started")
			.isEqualTo(WorkPlan.Start.CANCEL);
		WorkPlan.Cancel cancel = plan.cancel("running");
		assertThat(cancel).isEqualTo(new WorkPlan.Cancel.Running(state, Set.of(out.record().index())));
		assertThat(plan.next()).as("nothing more leaves a cancelled batch").isNull();
	}

	@Test
	void readsAheadOnlyBelowTheLowWaterMarkAndIgnoresAForgottenRead() {
		WorkPlan plan = new WorkPlan(1);
		Batch a = batch("a", 0);
		plan.offer(a);
		plan.admit();
		RunningBatch state = new RunningBatch(a, 0, 3, Map.of());
		plan.started(state);

		List<WorkPlan.Load> loads = plan.toLoad(1);
		assertThat(loads).singleElement().satisfies((load) -> assertThat(load.afterIndex()).isEqualTo(-1));
		assertThat(plan.toLoad(1)).as("one read at a time").isEmpty();

		plan.resetLoads();
		List<WorkPlan.Load> again = plan.toLoad(1);
		plan.loaded(loads.get(0), records(a, "late"), false);
		assertThat(plan.next()).as("the forgotten read's answer is dropped").isNull();
		plan.loaded(again.get(0), records(a, "x", "y", "z"), true);

		assertThat(customers(takeAll(plan))).containsExactly("x", "y", "z");
		assertThat(plan.toLoad(1)).as("the journal has no more").isEmpty();
	}

	@Test
	void aRecordGoesOutWithTheLinkItsPageReadAndKeepsItWhenPutBack() {
		WorkPlan plan = new WorkPlan(1);
		Batch a = batch("a", 0);
		plan.offer(a);
		plan.admit();
		plan.started(new RunningBatch(a, 0, 2, Map.of()));
		WorkPlan.Load load = plan.toLoad(1).get(0);
		PrefetchedLink none = new PrefetchedLink("acme", "x", null, 7);
		PrefetchedLink linked = new PrefetchedLink("acme", "y",
				new CustomerLink("acme", "y", "s-y", "fp", null, 1, 0, Instant.EPOCH), 7);
		plan.loaded(load, List.of(new PendingRecord(BatchRecord.pending("a", 0, "x", "x@example.com", "{}"), none),
				new PendingRecord(BatchRecord.pending("a", 1, "y", "y@example.com", "{}"), linked)), true);

		Work first = plan.next();
		plan.putBack(first);

		assertThat(plan.next().link()).isSameAs(none);
		assertThat(plan.next().link()).isSameAs(linked);
	}

	private void drainAndFinish(WorkPlan plan) {
		Work work;
		while ((work = plan.next()) != null) {
			plan.done(work, Outcome.CREATED, 1);
		}
	}

	private static List<Work> takeAll(WorkPlan plan) {
		List<Work> all = new ArrayList<>();
		Work work;
		while ((work = plan.next()) != null) {
			all.add(work);
		}
		return all;
	}

	private static List<String> customers(List<Work> works) {
		return works.stream().map((work) -> work.record().ipaasCustomerId()).toList();
	}

	private Batch batch(String id, int priority) {
		return new Batch(id, ++this.acceptSeq, "acme", BatchSource.BULK, BatchStatus.QUEUED, null, priority, false,
				false, priority > 0, 0, null, null, null, Instant.EPOCH, null, null);
	}

	private static RunningBatch running(Batch batch, String... customers) {
		RunningBatch state = new RunningBatch(batch, 0, customers.length, Map.of());
		state.startLoading();
		state.loaded(records(batch, customers), true, 1);
		return state;
	}

	private static List<PendingRecord> records(Batch batch, String... customers) {
		return IntStream.range(0, customers.length)
			.mapToObj((i) -> BatchRecord.pending(batch.id(), i, customers[i], customers[i] + "@example.com", "{}"))
			.map(PendingRecord::withoutLink)
			.toList();
	}

}

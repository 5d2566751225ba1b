package io.stampedsync.batch;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import io.stampedsync.transfer.JournalRetry;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;
import reactor.util.retry.Retry;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.stereotype.Component;

/**
 * Writes outcomes, status changes and events to the journal in groups (one round trip for
 * up to a few hundred records), in the order they were submitted, and publishes each
 * event to the live bus once it is stored.
 */
@Component
class JournalWriter implements DisposableBean {

	private static final Log logger = LogFactory.getLog(JournalWriter.class);

	private static final int GROUP_SIZE = 512;

	/**
	 * Least time between the starts of two groups while outcomes keep coming. Each group
	 * is a commit, and an H2 commit writes every page the group changed, whole (and
	 * compressed): its cost hardly depends on how many records the group holds. Without a
	 * spacing a group took what came during the last write, and the faster the write the
	 * smaller the group: 2 to 36 records at 2,500 and 4,500 outcomes/s, 45 to 206 µs of
	 * journal CPU per outcome; spaced, 50 to 160 records and 32 to 43 µs
	 * (docs/performance.md). An outcome that comes after a quiet spell still goes at
	 * once, and nothing on a transfer's path waits for the commit.
	 */
	private static final Duration GROUP_SPACING = Duration.ofMillis(20);

	private static final Retry JOURNAL_RETRY = JournalRetry.forever(logger, "Journal write");

	private final BatchJournal journal;

	private final BatchEventBus bus;

	private final Fences fences;

	private final GroupCommit<Op> groups;

	/**
	 * Where a group's write is put together (its rows built) and subscribed: an idle
	 * writer writes a group as it is submitted, and the submitter is the dispatcher on
	 * the event loop that has just had a call's answer, before that connection's next
	 * call goes out. One thread: one group is written at a time anyway.
	 */
	private final Scheduler assembly = Schedulers.newSingle("journal-writer", true);

	@Autowired
	JournalWriter(BatchJournal journal, BatchEventBus bus, Fences fences) {
		this(journal, bus, fences, GROUP_SPACING);
	}

	/**
	 * A writer whose groups start at least {@code spacing} apart while outcomes keep
	 * coming (zero: each as soon as the last is written, as tests on virtual time need:
	 * the spacing's timer would be virtual too).
	 */
	JournalWriter(BatchJournal journal, BatchEventBus bus, Fences fences, Duration spacing) {
		this.journal = journal;
		this.bus = bus;
		this.fences = fences;
		this.groups = new GroupCommit<>(GROUP_SIZE, spacing, Schedulers.parallel(),
				(ops) -> Mono.defer(() -> write(ops)).subscribeOn(this.assembly),
				(error) -> logger.error("Journal group not written", error));
	}

	@Override
	public void destroy() {
		this.assembly.dispose();
	}

	/** A record ended, with its {@code record} event; lands only under {@code fence}. */
	void recordDone(Fence fence, BatchRecord record, BatchEvent event) {
		submit(new Op(fence, record, null, event));
	}

	/**
	 * The batch changed status, with its {@code status} event; {@code landed}, if any,
	 * runs once the status is stored under {@code fence} (before its event is published),
	 * never when the fence refused it.
	 */
	void statusChanged(Fence fence, String batchId, BatchStatus status, String reason, BatchEvent event,
			Runnable landed) {
		submit(new Op(fence, null, new StatusChange(batchId, status, reason, landed), event));
	}

	/** An event on its own ({@code progress}). */
	void event(Fence fence, BatchEvent event) {
		submit(new Op(fence, null, null, event));
	}

	/** Completes once everything submitted before it is stored (or refused). */
	Mono<Void> flush() {
		return this.groups.flush();
	}

	// Group commit (GroupCommit): while one group is being written, what arrives queues
	// up and goes out as the next group, in order, GROUP_SPACING after the last one
	// started; an idle writer writes at once.
	private void submit(Op op) {
		this.groups.submit(op);
	}

	// Each fence's share of the group is written in its own check of the lease (one
	// transaction in distributed mode); a refused share is dropped whole: its events are
	// not published and its dispatcher is told to stop.
	private Mono<Void> write(List<Op> ops) {
		Map<Fence, List<Op>> byFence = new LinkedHashMap<>();
		for (Op op : ops) {
			if (op.fence() != null) {
				byFence.computeIfAbsent(op.fence(), (fence) -> new ArrayList<>()).add(op);
			}
		}
		return Flux.fromIterable(byFence.entrySet())
			.concatMap((share) -> writeUnder(share.getKey(), share.getValue()))
			.then();
	}

	private Mono<Void> writeUnder(Fence fence, List<Op> ops) {
		List<BatchRecord> records = new ArrayList<>();
		List<BatchEvent> events = new ArrayList<>();
		List<StatusChange> statuses = new ArrayList<>();
		for (Op op : ops) {
			if (op.record() != null) {
				records.add(op.record());
			}
			if (op.status() != null) {
				statuses.add(op.status());
			}
			if (op.event() != null) {
				events.add(op.event());
			}
		}
		Mono<Void> writes = this.journal.complete(records, events)
			// An event number already taken (a lost race) can never succeed on retry:
			// store the group's events one by one, skipping the taken. (A record event's
			// taken number is skipped by its MERGE, and PostgreSQL skips any other in
			// its insert: mostly H2 raises it, or PostgreSQL when two replicas insert
			// the same number at once.)
			.onErrorResume(DuplicateKeyException.class,
					(ex) -> this.journal.complete(records, List.of())
						.thenMany(Flux.fromIterable(events)
							.concatMap((event) -> this.journal.appendEvents(List.of(event))
								.onErrorResume(DuplicateKeyException.class, (duplicate) -> {
									logger.warn("Event " + event.seq() + " of batch " + event.batchId()
											+ " was already stored");
									return Mono.empty();
								})))
						.then())
			.thenMany(Flux.fromIterable(statuses)
				.concatMap((change) -> this.journal.updateStatus(change.batchId(), change.status(), change.reason())))
			.then();
		return Mono.defer(() -> this.journal.underFence(fence, writes))
			// The journal is the source of truth: keep trying rather than lose an
			// outcome.
			.retryWhen(JOURNAL_RETRY)
			.doOnNext((landed) -> {
				if (landed) {
					statuses.stream().map(StatusChange::landed).filter(Objects::nonNull).forEach(Runnable::run);
					events.forEach(this.bus::publish);
				}
				else {
					logger.warn("Subscription " + fence.subscriptionId() + " passed to another replica: "
							+ records.size() + " outcomes and " + events.size() + " events of fencing token "
							+ fence.token() + " were not stored");
					this.fences.refused(fence);
				}
			})
			.then();
	}

	private record StatusChange(String batchId, BatchStatus status, String reason, Runnable landed) {
	}

	private record Op(Fence fence, BatchRecord record, StatusChange status, BatchEvent event) {
	}

}

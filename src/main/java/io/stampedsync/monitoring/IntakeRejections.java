package io.stampedsync.monitoring;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import io.stampedsync.batch.BatchEvent;
import io.stampedsync.batch.BatchJournal;
import io.stampedsync.batch.BatchRecord;
import io.stampedsync.transfer.Outcome;
import reactor.core.publisher.Mono;

import org.springframework.stereotype.Component;

/**
 * Logs the records a batch rejected at intake: they are stored with their outcome before
 * the batch runs and never get a live event.
 */
@Component
class IntakeRejections {

	/** Rejected records read from the journal per round trip. */
	private static final int REJECTIONS_PAGE = 500;

	private final BatchJournal journal;

	private final ErrorRecorder errors;

	private final GatewayMetrics metrics;

	IntakeRejections(BatchJournal journal, ErrorRecorder errors, GatewayMetrics metrics) {
		this.journal = journal;
		this.errors = errors;
		this.metrics = metrics;
	}

	/**
	 * Records rejected at intake (no id, bad email, refused references) have no live
	 * event: they are read from the journal once the batch is accepted, a page at a time,
	 * each page written before the next is read. Rejections the dispatcher adds meanwhile
	 * have their own live events: only records that ended before the batch was queued are
	 * taken here, each index once even if a page shifts.
	 */
	Mono<Void> log(BatchEvent queued) {
		AtomicInteger last = new AtomicInteger(-1);
		return page(queued, 0).expand((page) -> (page.size() < REJECTIONS_PAGE) ? Mono.empty()
				: page(queued, page.offset() + REJECTIONS_PAGE))
			.concatMap((page) -> {
				List<ErrorEntry> entries = new ArrayList<>();
				for (BatchRecord record : page.records()) {
					boolean atIntake = record.finishedAt() != null && !record.finishedAt().isAfter(queued.createdAt());
					if (atIntake && record.index() > last.get()) {
						last.set(record.index());
						String code = (record.errorCode() != null) ? record.errorCode().name() : null;
						this.metrics.transfer(queued.subscriptionId(), Outcome.REJECTED.tag(), code);
						entries.add(ErrorEntries.fromRecord(queued.subscriptionId(), record));
					}
				}
				return this.errors.recordAll(entries);
			})
			.then();
	}

	private Mono<Page> page(BatchEvent queued, long offset) {
		return this.journal.records(queued.batchId(), Outcome.REJECTED, offset, REJECTIONS_PAGE)
			.collectList()
			.map((records) -> new Page(offset, records));
	}

	private record Page(long offset, List<BatchRecord> records) {

		int size() {
			return this.records.size();
		}

	}

}

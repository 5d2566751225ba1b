package io.stampedsync.monitoring;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

import io.stampedsync.batch.BatchEvent;
import io.stampedsync.batch.BatchJournal;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import reactor.core.Disposable;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * Keeps the {@link ThroughputHistory} from the record events: live ones as the
 * {@link BatchEventTap} sees them, and after a restart the last 24 hours of them read
 * back from the journal. Events created before this process started count through the
 * journal only and later ones live only, so none counts twice.
 */
@Component
class ThroughputRecorder implements SmartLifecycle {

	private static final Log logger = LogFactory.getLog(ThroughputRecorder.class);

	private final ThroughputHistory history;

	private final BatchJournal journal;

	private final JsonMapper json;

	private final Clock clock;

	private volatile Instant cutoff = Instant.MIN;

	private volatile Disposable rebuild;

	ThroughputRecorder(BatchJournal journal, JsonMapper json, Clock clock) {
		this.history = new ThroughputHistory(clock);
		this.journal = journal;
		this.json = json;
		this.clock = clock;
	}

	ThroughputHistory history() {
		return this.history;
	}

	/** A record event of a batch that is not a dry run, as it happens. */
	void live(BatchEvent event, RecordOutcome record) {
		if (!event.createdAt().isBefore(this.cutoff)) {
			add(event, record);
		}
	}

	private void add(BatchEvent event, RecordOutcome record) {
		String outcome = record.outcome();
		if ("cancelled".equals(outcome)) {
			return;
		}
		boolean error = "failed".equals(outcome) || "rejected".equals(outcome);
		this.history.add(event.subscriptionId(), event.createdAt(),
				new ThroughputHistory.Work(record.stampedCalls(), record.ipaasCalls(), error));
	}

	@Override
	public void start() {
		Instant now = this.clock.instant();
		this.cutoff = now;
		// Read in the background: a large journal must not hold up readiness.
		this.rebuild = this.journal
			.eventsBetween(BatchEvent.RECORD, now.minus(Duration.ofMinutes(ThroughputHistory.MINUTES)), now)
			.subscribe((event) -> add(event, RecordOutcome.of(event, this.json)),
					(ex) -> logger.warn("Throughput history not rebuilt from the journal: " + ex.getMessage()));
	}

	@Override
	public void stop() {
		Disposable current = this.rebuild;
		if (current != null) {
			current.dispose();
		}
		this.rebuild = null;
	}

	@Override
	public boolean isRunning() {
		return this.rebuild != null;
	}

	@Override
	public int getPhase() {
		// Before the dispatchers and the event tap start: the cutoff is set first.
		return SmartLifecycle.DEFAULT_PHASE - 8193;
	}

}

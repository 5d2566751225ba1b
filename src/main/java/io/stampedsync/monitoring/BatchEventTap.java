package io.stampedsync.monitoring;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.stampedsync.web.LogSafe;
import io.stampedsync.batch.Batch;
import io.stampedsync.batch.BatchEvent;
import io.stampedsync.batch.BatchEventBus;
import io.stampedsync.batch.BatchJournal;
import io.stampedsync.batch.BatchStatus;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import reactor.core.Disposable;
import reactor.core.publisher.BufferOverflowStrategy;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * Follows the live batch events, without touching the dispatcher: record events feed the
 * transfer metrics and (failed, rejected) the error log, progress events the records
 * waiting, final status events the batch duration. Dry runs call nothing and are left
 * out; whether a batch is one is read from the journal once per batch.
 */
@Component
class BatchEventTap implements SmartLifecycle {

	private static final Log logger = LogFactory.getLog(BatchEventTap.class);

	/** Batches whose kind is remembered; beyond it the memory starts over. */
	private static final int KNOWN_BATCHES = 10_000;

	private final BatchEventBus bus;

	private final BatchJournal journal;

	private final JsonMapper json;

	private final ErrorRecorder errors;

	private final GatewayMetrics metrics;

	private final WaitingRecords waiting;

	private final IntakeRejections rejections;

	private final ThroughputRecorder throughput;

	private final int buffer;

	private final Counter dropped;

	private final Counter failed;

	private final MeterRegistry meters;

	/** Batch id → whether it is a dry run. */
	private final Map<String, Boolean> dryRuns = new ConcurrentHashMap<>();

	private volatile Disposable subscription;

	BatchEventTap(BatchEventBus bus, BatchJournal journal, JsonMapper json, ErrorRecorder errors,
			GatewayMetrics metrics, WaitingRecords waiting, IntakeRejections rejections,
			MonitoringProperties properties, MeterRegistry meters, ThroughputRecorder throughput) {
		this.throughput = throughput;
		this.bus = bus;
		this.journal = journal;
		this.json = json;
		this.errors = errors;
		this.metrics = metrics;
		this.waiting = waiting;
		this.rejections = rejections;
		this.buffer = properties.errorBuffer();
		this.dropped = Counter.builder("stamped_sync.events.dropped")
			.description("Batch events the monitoring could not follow because it fell behind")
			.register(meters);
		this.failed = BatchEventBus.failures(meters, "monitoring");
		this.meters = meters;
	}

	@Override
	public void start() {
		// The bus is best effort per subscriber: an unbounded demand here, bounded by
		// the buffer, keeps a slow journal lookup from losing events unnoticed. An event
		// that cannot be followed is logged, counted and passed over; if the pipeline
		// still fails, it follows the bus again.
		this.subscription = this.bus.follow(Flux.defer(() -> this.bus.all()
			.onBackpressureBuffer(this.buffer, (event) -> this.dropped.increment(), BufferOverflowStrategy.DROP_LATEST)
			.concatMap((event) -> Mono.defer(() -> handle(event)).onErrorResume((ex) -> {
				this.failed.increment();
				logger.warn("Monitoring skipped event " + event.seq() + " (" + LogSafe.escape(event.type())
						+ ") of batch " + event.batchId() + ": " + LogSafe.escape(String.valueOf(ex)));
				return Mono.empty();
			}), 1)), "Monitoring of batch events", this.meters, "monitoring");
	}

	private Mono<Void> handle(BatchEvent event) {
		return switch (event.type()) {
			case BatchEvent.RECORD ->
				dryRun(event.batchId()).filter((dry) -> !dry).doOnNext((real) -> record(event)).then();
			case BatchEvent.PROGRESS -> Mono.fromRunnable(() -> progress(event));
			case BatchEvent.STATUS -> status(event);
			default -> Mono.empty();
		};
	}

	private void record(BatchEvent event) {
		RecordOutcome outcome = RecordOutcome.of(event, this.json);
		// Every record counts in the throughput history, successes too: the streamed
		// outcome and attempts are all it needs.
		this.throughput.live(event, outcome);
		if (!outcome.needsTree()) {
			// A success without error: counted without building the event's tree.
			this.metrics.transfer(event.subscriptionId(), outcome.outcome(), null);
			return;
		}
		JsonNode record = this.json.readTree(event.data());
		JsonNode error = record.get("error");
		String code = (error != null && error.get("code") != null) ? error.get("code").asString() : null;
		this.metrics.transfer(event.subscriptionId(), record.get("outcome").asString(), code);
		ErrorEntry entry = ErrorEntries.fromRecord(event, record);
		if (entry != null) {
			this.errors.record(entry);
		}
	}

	private void progress(BatchEvent event) {
		JsonNode progress = this.json.readTree(event.data());
		this.waiting.progress(event.batchId(), progress.get("total").asLong() - progress.get("done").asLong());
	}

	private Mono<Void> status(BatchEvent event) {
		BatchStatus status = BatchStatus.fromTag(this.json.readTree(event.data()).get("status").asString());
		if (status == BatchStatus.QUEUED) {
			return dryRun(event.batchId()).filter((dry) -> !dry).flatMap((real) -> {
				// Read apart from the live events: a batch may hold many rejections.
				this.rejections.log(event)
					.subscribe(null, (ex) -> logger
						.warn("Rejections of batch " + event.batchId() + " not logged: " + ex.getMessage()));
				return Mono.<Void>empty();
			});
		}
		if (!status.isFinal()) {
			return dryRun(event.batchId()).then();
		}
		this.dryRuns.remove(event.batchId());
		this.waiting.ended(event.batchId());
		// The journal holds the start and end times: also right for a batch resumed
		// after a restart, whose running status this process never saw.
		return this.journal.find(event.batchId())
			.filter((batch) -> !batch.dryRun() && batch.startedAt() != null && batch.finishedAt() != null)
			.doOnNext((batch) -> this.metrics.batchEnded(batch.subscriptionId(), status.tag(),
					Duration.between(batch.startedAt(), batch.finishedAt())))
			.then();
	}

	private Mono<Boolean> dryRun(String batchId) {
		Boolean known = this.dryRuns.get(batchId);
		if (known != null) {
			return Mono.just(known);
		}
		return this.journal.find(batchId).map(Batch::dryRun).defaultIfEmpty(false).doOnNext((dry) -> {
			if (this.dryRuns.size() >= KNOWN_BATCHES) {
				this.dryRuns.clear();
			}
			this.dryRuns.put(batchId, dry);
		});
	}

	@Override
	public void stop() {
		Disposable current = this.subscription;
		if (current != null) {
			current.dispose();
			this.subscription = null;
		}
	}

	@Override
	public boolean isRunning() {
		return this.subscription != null;
	}

	@Override
	public int getPhase() {
		// Before the dispatchers start and after they stop, like the error recorder.
		return SmartLifecycle.DEFAULT_PHASE - 8192;
	}

}

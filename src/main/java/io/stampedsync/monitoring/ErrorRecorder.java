package io.stampedsync.monitoring;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.stampedsync.batch.GroupCommit;
import io.stampedsync.outbound.CallObserver;
import io.stampedsync.outbound.OutboundCall;
import io.stampedsync.subscription.SubscriptionRegistry;
import io.stampedsync.web.LogSafe;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import reactor.core.publisher.Mono;
import reactor.util.context.ContextView;
import reactor.util.retry.Retry;

import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * Feeds the error log: failed calls (as a {@link CallObserver}) and failed or rejected
 * transfers (handed in by {@link BatchEventTap}) go through one bounded queue and are
 * written in groups (group commit: one group in flight, the next gathering meanwhile).
 * Observers run on I/O threads, so taking an entry never blocks: past
 * {@code error-buffer} waiting entries new ones are dropped and counted.
 */
@Component
class ErrorRecorder implements CallObserver, SmartLifecycle {

	private static final Log logger = LogFactory.getLog(ErrorRecorder.class);

	private final ErrorLog log;

	private final SubscriptionRegistry registry;

	private final Clock clock;

	private final MonitoringProperties properties;

	private final Counter dropped;

	private final Map<String, ErrorEntry> latest = new ConcurrentHashMap<>();

	private final GroupCommit<ErrorEntry> groups;

	private volatile boolean running;

	ErrorRecorder(ErrorLog log, SubscriptionRegistry registry, Clock clock, MonitoringProperties properties,
			MeterRegistry meters) {
		this.log = log;
		this.registry = registry;
		this.clock = clock;
		this.properties = properties;
		this.dropped = Counter.builder("stamped_sync.errors.dropped")
			.description("Error log entries dropped because the writer could not keep up")
			.register(meters);
		this.groups = new GroupCommit<>(properties.errorGroup(), this::write,
				(ex) -> logger.warn("Error log group not written: " + LogSafe.escape(ex.getMessage())));
	}

	@Override
	public void start() {
		// The newest stored error of each subscription, for the monitoring view: one
		// indexed look-up per subscription, in the background (start-up stays fast).
		this.registry.findAll()
			.concatMap((settings) -> this.log.find(ErrorQuery.ofSubscription(settings.id()), 0, 1))
			.subscribe((entry) -> this.latest.merge(entry.subscriptionId(), entry, ErrorRecorder::newer),
					(ex) -> logger.warn("Last errors not loaded: " + ex.getMessage()));
		this.running = true;
	}

	private Mono<Void> write(List<ErrorEntry> entries) {
		return this.log.append(entries).retryWhen(Retry.backoff(3, Duration.ofMillis(200))).onErrorResume((ex) -> {
			// The error log is a by-stander: losing a group is logged, never fatal.
			logger.warn("Dropped " + entries.size() + " error log entries: " + LogSafe.escape(ex.getMessage()));
			this.dropped.increment(entries.size());
			return Mono.empty();
		});
	}

	@Override
	public void onCall(OutboundCall call, ContextView context) {
		if (call.error() != null) {
			record(ErrorEntries.fromCall(call, this.clock.instant()));
		}
	}

	/** Takes one entry for the log; never blocks. */
	void record(ErrorEntry entry) {
		// Past error-buffer waiting entries the writer cannot keep up: drop rather than
		// hold an I/O thread or grow without bound.
		if (!this.running || this.groups.waiting() >= this.properties.errorBuffer()) {
			this.dropped.increment();
			return;
		}
		this.latest.merge(entry.subscriptionId(), entry, ErrorRecorder::newer);
		this.groups.submit(entry);
	}

	/**
	 * Writes entries read in bulk (rejections at intake) directly, so a large batch is
	 * paced by the writes instead of overflowing the buffer.
	 */
	Mono<Void> recordAll(List<ErrorEntry> entries) {
		entries.forEach((entry) -> this.latest.merge(entry.subscriptionId(), entry, ErrorRecorder::newer));
		return write(entries);
	}

	/** The newest error of a subscription seen by this process or stored before. */
	Optional<ErrorEntry> latest(String subscriptionId) {
		return Optional.ofNullable(this.latest.get(subscriptionId));
	}

	/** Forgets the newest error of subscriptions removed since. */
	void retain(Set<String> subscriptionIds) {
		this.latest.keySet().retainAll(subscriptionIds);
	}

	private static ErrorEntry newer(ErrorEntry a, ErrorEntry b) {
		return b.occurredAt().isBefore(a.occurredAt()) ? a : b;
	}

	@Override
	public void stop() {
		if (this.running) {
			this.running = false;
			// Writes what is still waiting before the journal's connections close.
			this.groups.flush().block(Duration.ofSeconds(10));
		}
	}

	@Override
	public boolean isRunning() {
		return this.running;
	}

	@Override
	public int getPhase() {
		// Stops after the dispatchers (DispatcherManager's phase), so the errors of the
		// calls they let finish are still taken.
		return SmartLifecycle.DEFAULT_PHASE - 8192;
	}

}

package io.stampedsync.monitoring;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

import io.stampedsync.batch.DashboardFeed;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import reactor.core.Disposable;
import reactor.core.publisher.BufferOverflowStrategy;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.context.SmartLifecycle;
import org.springframework.http.codec.ServerSentEvent;
import org.springframework.stereotype.Component;

/**
 * Refreshes the monitoring snapshot every {@code snapshot-interval}: sends a
 * {@code subscription} event on the dashboard stream for each subscription whose health
 * changed, and updates the records-waiting gauges. A new watcher first gets the current
 * health of every subscription.
 */
@Component
class MonitoringFeed implements DashboardFeed, SmartLifecycle {

	static final String EVENT = "subscription";

	private static final Log logger = LogFactory.getLog(MonitoringFeed.class);

	/** Changes a slow watcher may lag behind; older ones are dropped first. */
	private static final int WATCHER_BUFFER = 1024;

	private final HealthSnapshots snapshots;

	private final GatewayMetrics metrics;

	private final CallWindows windows;

	private final ErrorRecorder errors;

	private final ThroughputHistory throughput;

	private final JsonMapper json;

	private final Duration interval;

	private final Map<String, SubscriptionHealth> last = new ConcurrentHashMap<>();

	private final Sinks.Many<SubscriptionHealth> changes = Sinks.many().multicast().directBestEffort();

	private volatile Disposable poll;

	MonitoringFeed(HealthSnapshots snapshots, GatewayMetrics metrics, CallWindows windows, ErrorRecorder errors,
			JsonMapper json, MonitoringProperties properties, ThroughputRecorder throughput) {
		this.throughput = throughput.history();
		this.snapshots = snapshots;
		this.metrics = metrics;
		this.windows = windows;
		this.errors = errors;
		this.json = json;
		this.interval = properties.snapshotInterval();
	}

	@Override
	public void start() {
		this.poll = Flux.interval(this.interval)
			.onBackpressureDrop()
			// Deferred: a snapshot that fails before it is even a Mono is a failed tick
			// too, not the end of the polling.
			.concatMap((tick) -> Mono.defer(this.snapshots::snapshot).doOnNext(this::refresh).onErrorResume((ex) -> {
				logger.warn("Monitoring snapshot failed: " + ex.getMessage());
				return Mono.empty();
			}), 1)
			.subscribe();
	}

	/** Publishes what changed since the last snapshot (runs on one poll at a time). */
	void refresh(List<SubscriptionHealth> current) {
		Set<String> ids = current.stream().map(SubscriptionHealth::subscriptionId).collect(Collectors.toSet());
		this.last.keySet().retainAll(ids);
		this.windows.retain(ids);
		this.errors.retain(ids);
		this.throughput.retain(ids);
		for (SubscriptionHealth health : current) {
			SubscriptionHealth previous = this.last.put(health.subscriptionId(), health);
			if (!health.equals(previous)) {
				this.changes.tryEmitNext(health);
			}
		}
		this.metrics.recordsWaiting(current.stream()
			.collect(Collectors.toMap(SubscriptionHealth::subscriptionId, SubscriptionHealth::recordsWaiting)));
	}

	@Override
	public Flux<ServerSentEvent<String>> events() {
		return Flux.defer(() -> Flux.fromIterable(List.copyOf(this.last.values())))
			.concatWith(this.changes.asFlux())
			.onBackpressureBuffer(WATCHER_BUFFER, (dropped) -> {
			}, BufferOverflowStrategy.DROP_OLDEST)
			.map((health) -> ServerSentEvent.builder(this.json.writeValueAsString(health)).event(EVENT).build());
	}

	@Override
	public void stop() {
		Disposable current = this.poll;
		if (current != null) {
			current.dispose();
			this.poll = null;
		}
	}

	@Override
	public boolean isRunning() {
		return this.poll != null;
	}

}

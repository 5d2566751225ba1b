package io.stampedsync.monitoring;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.stampedsync.batch.DispatcherObserver;
import io.stampedsync.outbound.CallObserver;
import io.stampedsync.outbound.Direction;
import io.stampedsync.outbound.OutboundCall;
import io.stampedsync.throttle.PermitObserver;
import reactor.util.context.ContextView;

import org.springframework.stereotype.Component;

/**
 * The gateway's Micrometer meters (Prometheus at {@code /actuator/prometheus}), per
 * subscription and direction, with bounded tag values: subscription ids are capped by
 * {@link SubscriptionTags}, the others are enums or status classes.
 */
@Component
class GatewayMetrics implements CallObserver, PermitObserver, DispatcherObserver {

	static final String CALLS = "stamped_sync.calls";

	static final String RETRIES = "stamped_sync.call.retries";

	static final String CALL_DURATION = "stamped_sync.call.duration";

	static final String PERMIT_WAIT = "stamped_sync.permit.wait";

	static final String TRANSFERS = "stamped_sync.transfers";

	static final String BATCH_DURATION = "stamped_sync.batch.duration";

	static final String RECORDS_WAITING = "stamped_sync.records.waiting";

	static final String DISPATCHER_RESTARTS = "stamped_sync.dispatcher.restarts";

	static final String DISPATCHER_STALLS = "stamped_sync.dispatcher.stalls";

	private final MeterRegistry meters;

	private final SubscriptionTags tags;

	private final Map<String, AtomicLong> waiting = new ConcurrentHashMap<>();

	// Meters by their tags, looked up once: a builder and a registry look-up per call
	// cost more than the increment itself. The keys are bounded like the tag values.
	private final Map<CallKey, CallMeters> callMeters = new ConcurrentHashMap<>();

	private final Map<LaneKey, Counter> retries = new ConcurrentHashMap<>();

	private final Map<LaneKey, Timer> permitWaits = new ConcurrentHashMap<>();

	private final Map<TransferKey, Counter> transfers = new ConcurrentHashMap<>();

	GatewayMetrics(MeterRegistry meters, SubscriptionTags tags) {
		this.meters = meters;
		this.tags = tags;
	}

	/** Every attempt: counted by status class, timed, and counted again if a retry. */
	@Override
	public void onCall(OutboundCall call, ContextView context) {
		String subscription = this.tags.of(call.subscriptionId());
		String direction = call.direction().tag();
		String status = SubscriptionTags.statusClass(call.status());
		CallMeters meters = this.callMeters.computeIfAbsent(new CallKey(subscription, direction, status),
				this::callMeters);
		meters.calls().increment();
		meters.duration().record(call.duration());
		if (call.attempt() > 1) {
			this.retries
				.computeIfAbsent(new LaneKey(subscription, direction),
						(key) -> Counter.builder(RETRIES)
							.description("Outbound call attempts after the first")
							.tags("subscription", key.subscription(), "direction", key.direction())
							.register(this.meters))
				.increment();
		}
	}

	@Override
	public void waited(String subscriptionId, Direction direction, Duration wait) {
		this.permitWaits
			.computeIfAbsent(new LaneKey(this.tags.of(subscriptionId), direction.tag()),
					(key) -> Timer.builder(PERMIT_WAIT)
						.description("Time calls waited for a permit of the rate limiter, cool-down included")
						.tags("subscription", key.subscription(), "direction", key.direction())
						.register(this.meters))
			.record(wait);
	}

	@Override
	public void restarted(String subscriptionId) {
		Counter.builder(DISPATCHER_RESTARTS)
			.description("Dispatcher pipelines that failed and were restarted")
			.tags("subscription", this.tags.of(subscriptionId))
			.register(this.meters)
			.increment();
	}

	@Override
	public void stalled(String subscriptionId) {
		Counter.builder(DISPATCHER_STALLS)
			.description("Times the watchdog found a subscription with work but no call nor outcome, and restarted it")
			.tags("subscription", this.tags.of(subscriptionId))
			.register(this.meters)
			.increment();
	}

	/** A transfer ended with {@code outcome} ({@code code} is "none" without error). */
	void transfer(String subscriptionId, String outcome, String code) {
		this.transfers
			.computeIfAbsent(new TransferKey(this.tags.of(subscriptionId), outcome, (code != null) ? code : "none"),
					(key) -> Counter.builder(TRANSFERS)
						.description("Transfers by outcome and error code")
						.tags("subscription", key.subscription(), "outcome", key.outcome(), "code", key.code())
						.register(this.meters))
			.increment();
	}

	private CallMeters callMeters(CallKey key) {
		Counter calls = Counter.builder(CALLS)
			.description("Outbound calls (every attempt) by status class")
			.tags("subscription", key.subscription(), "direction", key.direction(), "status", key.status())
			.register(this.meters);
		Timer duration = Timer.builder(CALL_DURATION)
			.description("Duration of outbound calls, from request to the end of the response")
			.tags("subscription", key.subscription(), "direction", key.direction(), "status", key.status())
			.register(this.meters);
		return new CallMeters(calls, duration);
	}

	/** A batch reached its final {@code status} after running for {@code duration}. */
	void batchEnded(String subscriptionId, String status, Duration duration) {
		Timer.builder(BATCH_DURATION)
			.description("Time from a batch's start to its final status")
			.tags("subscription", this.tags.of(subscriptionId), "status", status)
			.register(this.meters)
			.record(duration);
	}

	/**
	 * Records without an outcome in unfinished batches, per subscription; subscriptions
	 * not named go to 0.
	 */
	void recordsWaiting(Map<String, Long> bySubscription) {
		Map<String, Long> byTag = new HashMap<>();
		bySubscription.forEach((id, count) -> byTag.merge(this.tags.of(id), count, Long::sum));
		this.waiting.forEach((tag, gauge) -> gauge.set(byTag.getOrDefault(tag, 0L)));
		byTag.forEach((tag, count) -> gauge(tag).set(count));
	}

	private AtomicLong gauge(String tag) {
		return this.waiting.computeIfAbsent(tag, (key) -> {
			AtomicLong value = new AtomicLong();
			Gauge.builder(RECORDS_WAITING, value, AtomicLong::get)
				.description("Records of unfinished batches without an outcome yet")
				.tags("subscription", key)
				.register(this.meters);
			return value;
		});
	}

	private record CallKey(String subscription, String direction, String status) {
	}

	private record CallMeters(Counter calls, Timer duration) {
	}

	private record LaneKey(String subscription, String direction) {
	}

	private record TransferKey(String subscription, String outcome, String code) {
	}

}

package io.stampedsync.monitoring;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

import io.stampedsync.batch.BatchStatus;
import io.stampedsync.batch.DispatcherManager;
import io.stampedsync.outbound.Direction;
import io.stampedsync.subscription.SubscriptionRegistry;
import io.stampedsync.subscription.SubscriptionSettings;
import io.stampedsync.throttle.ThrottleRegistry;
import reactor.core.publisher.Mono;

import org.springframework.stereotype.Component;

/**
 * Builds the {@link SubscriptionHealth} of every subscription from the state the gateway
 * already keeps: throttles (cool-down, credentials, spacing), the dispatchers (pause
 * reason), the journal (unfinished batches, records waiting), the call windows and the
 * error log.
 */
@Component
class HealthSnapshots {

	private final SubscriptionRegistry registry;

	private final ThrottleRegistry throttles;

	private final DispatcherManager dispatchers;

	private final UnfinishedBatches unfinished;

	private final CallWindows windows;

	private final WaitingRecords waiting;

	private final ErrorRecorder errors;

	HealthSnapshots(SubscriptionRegistry registry, ThrottleRegistry throttles, DispatcherManager dispatchers,
			UnfinishedBatches unfinished, CallWindows windows, WaitingRecords waiting, ErrorRecorder errors) {
		this.registry = registry;
		this.throttles = throttles;
		this.dispatchers = dispatchers;
		this.unfinished = unfinished;
		this.windows = windows;
		this.waiting = waiting;
		this.errors = errors;
	}

	/** Every subscription, ordered by id. */
	Mono<List<SubscriptionHealth>> snapshot() {
		return Mono.zip(this.registry.findAll().collectList(), batches()).map((loaded) -> {
			List<SubscriptionHealth> all = new ArrayList<>();
			for (SubscriptionSettings settings : loaded.getT1()) {
				all.add(health(settings, loaded.getT2().getOrDefault(settings.id(), Load.NONE)));
			}
			return all;
		});
	}

	/** Unfinished batches and their waiting records, per subscription. */
	private Mono<Map<String, Load>> batches() {
		return this.unfinished.all()
			.concatMap((batch) -> this.waiting.of(batch.id()).map((count) -> new Waiting(batch, count)))
			.collectList()
			.map((list) -> {
				this.waiting.retain(list.stream().map((entry) -> entry.batch().id()).collect(Collectors.toSet()));
				Map<String, Load> loads = new HashMap<>();
				for (Waiting entry : list) {
					loads.merge(entry.batch().subscriptionId(), Load.of(entry), Load::plus);
				}
				return loads;
			});
	}

	private SubscriptionHealth health(SubscriptionSettings settings, Load load) {
		String id = settings.id();
		Map<String, SubscriptionHealth.DirectionLoad> directions = new LinkedHashMap<>();
		Instant coolDown = null;
		boolean rejected = false;
		for (Direction direction : Direction.values()) {
			Optional<Instant> until = this.throttles.coolDownUntil(id, direction);
			boolean directionRejected = this.throttles.credentialsRejected(id, direction);
			rejected |= directionRejected;
			if (until.isPresent() && (coolDown == null || until.get().isAfter(coolDown))) {
				coolDown = until.get();
			}
			int limit = (direction == Direction.STAMPED) ? settings.apiThrottleLimit() : settings.ipaasThrottleLimit();
			int window = (direction == Direction.STAMPED) ? settings.apiThrottleSeconds()
					: settings.ipaasThrottleSeconds();
			Double spacing = this.throttles.spacing(id, direction).map((d) -> d.toNanos() / 1_000_000.0).orElse(null);
			directions.put(direction.tag(),
					new SubscriptionHealth.DirectionLoad(this.windows.count(id, direction, window),
							this.windows.perMinute(id, direction), limit, window, spacing, until.orElse(null),
							directionRejected));
		}
		String pause = this.dispatchers.pauseReason(id);
		String stalled = this.dispatchers.stalled(id);
		String health = SubscriptionHealth.HEALTHY;
		String reason = null;
		String detail = pause;
		if (pause != null || rejected) {
			health = SubscriptionHealth.PAUSED;
			reason = SubscriptionHealth.CREDENTIALS_REJECTED;
		}
		else if (coolDown != null) {
			health = SubscriptionHealth.COOL_DOWN;
		}
		else if (stalled != null) {
			health = SubscriptionHealth.STALLED;
			reason = SubscriptionHealth.NO_PROGRESS;
			detail = stalled;
		}
		long restarts = this.dispatchers.restarts(id);
		return new SubscriptionHealth(id, health, SubscriptionHealth.COOL_DOWN.equals(health) ? coolDown : null, reason,
				detail, directions, load.queued(), load.running(), load.paused(), load.waiting(),
				this.errors.latest(id).orElse(null), (restarts > 0) ? restarts : null,
				this.dispatchers.lastFailure(id));
	}

	private record Waiting(UnfinishedBatches.Unfinished batch, long count) {
	}

	/** Batches and records waiting of one subscription. */
	record Load(int queued, int running, int paused, long waiting) {

		static final Load NONE = new Load(0, 0, 0, 0);

		static Load of(Waiting entry) {
			String status = entry.batch().status();
			return new Load(BatchStatus.QUEUED.tag().equals(status) ? 1 : 0,
					BatchStatus.RUNNING.tag().equals(status) ? 1 : 0, BatchStatus.PAUSED.tag().equals(status) ? 1 : 0,
					entry.count());
		}

		Load plus(Load other) {
			return new Load(this.queued + other.queued, this.running + other.running, this.paused + other.paused,
					this.waiting + other.waiting);
		}

	}

}

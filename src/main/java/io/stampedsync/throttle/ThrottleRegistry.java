package io.stampedsync.throttle;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.function.LongSupplier;

import io.github.resilience4j.ratelimiter.RateLimiter;
import io.stampedsync.LongLived;
import io.stampedsync.outbound.Direction;
import io.stampedsync.subscription.SubscriptionRegistry;
import io.stampedsync.subscription.SubscriptionRegistry.SubscriptionChange;
import io.stampedsync.subscription.SubscriptionSettings;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.InitializingBean;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;

/**
 * The {@link Throttles} of the gateway: per subscription and direction a Resilience4j
 * limiter keeping a sliding-window log ({@link SlidingLogLimiter}), a cool-down and a
 * credentials breaker.
 * <p>
 * L and W come from the latest settings known here: those the client factories pass to
 * {@link #track} and those {@link SubscriptionRegistry#changes()} announces; an unknown
 * subscription is looked up in the registry on first use. A change of L or W applies to
 * the limiter in place, any settings change accepts rejected credentials again, a delete
 * drops the state.
 */
@Component
public class ThrottleRegistry implements Throttles, InitializingBean, DisposableBean {

	private static final Logger logger = LoggerFactory.getLogger(ThrottleRegistry.class);

	private final SubscriptionRegistry registry;

	private final Clock clock;

	private final LongSupplier nanoTime;

	private final ThrottleProperties pacing;

	private final ConcurrentMap<String, SubscriptionSettings> settings = new ConcurrentHashMap<>();

	private final ConcurrentMap<LaneKey, Lane> lanes = new ConcurrentHashMap<>();

	private final Sinks.Many<String> accepted = Sinks.many().multicast().directBestEffort();

	private volatile Disposable changes;

	private PermitObserver permits = PermitObserver.NONE;

	@Autowired
	ThrottleRegistry(ObjectProvider<SubscriptionRegistry> registry, ObjectProvider<PermitObserver> permits,
			ThrottleProperties properties) {
		this(registry.getIfAvailable(), Clock.systemUTC(), System::nanoTime, properties);
		this.permits = PermitObserver.all(permits.orderedStream().toList());
	}

	/**
	 * With chosen time sources: the limiter's nano time and the cool-down's clock.
	 * @param registry where unknown subscriptions are looked up and changes come from, or
	 * {@code null}: only settings passed to {@link #track} are known
	 * @param clock the clock of cool-downs
	 * @param nanoTime the time source of the limiters
	 */
	public ThrottleRegistry(SubscriptionRegistry registry, Clock clock, LongSupplier nanoTime) {
		this(registry, clock, nanoTime, ThrottleProperties.defaults());
	}

	/**
	 * With chosen time sources and pacing settings.
	 * @param registry where unknown subscriptions are looked up, or {@code null}
	 * @param clock the clock of cool-downs
	 * @param nanoTime the time source of the limiters
	 * @param pacing the margin, arrival lag and round-trip slack of every limiter
	 */
	public ThrottleRegistry(SubscriptionRegistry registry, Clock clock, LongSupplier nanoTime,
			ThrottleProperties pacing) {
		this.registry = registry;
		this.clock = clock;
		this.nanoTime = nanoTime;
		this.pacing = pacing;
	}

	@Override
	public void afterPropertiesSet() {
		if (this.registry == null) {
			logger.warn("No SubscriptionRegistry: throttles follow only the settings the clients pass");
			return;
		}
		// A change that cannot be applied is logged; the later ones still reach the
		// limiters.
		this.changes = LongLived.forEach("Applying subscription changes to the throttles", this.registry.changes(),
				this::apply, (change) -> "Change of subscription " + change.id());
	}

	@Override
	public void destroy() {
		Disposable subscription = this.changes;
		if (subscription != null) {
			subscription.dispose();
		}
	}

	/**
	 * Makes these settings the current ones of their subscription unless newer ones are
	 * known (by {@link SubscriptionSettings#version()}).
	 */
	public void track(SubscriptionSettings latest) {
		SubscriptionSettings previous = this.settings.get(latest.id());
		SubscriptionSettings current = this.settings.merge(latest.id(), latest,
				(old, candidate) -> (candidate.version() > old.version()) ? candidate : old);
		if (current == latest && previous != null && previous.version() < latest.version()) {
			for (Direction direction : Direction.values()) {
				changed(latest, direction);
			}
		}
	}

	private void apply(SubscriptionChange change) {
		if (change.deleted()) {
			this.settings.remove(change.id());
			this.lanes.keySet().removeIf((key) -> key.subscriptionId().equals(change.id()));
		}
		else {
			track(change.settings());
		}
	}

	private void changed(SubscriptionSettings latest, Direction direction) {
		Lane lane = this.lanes.get(new LaneKey(latest.id(), direction));
		if (lane == null) {
			return;
		}
		if (lane.limiter() != null) {
			lane.limiter(Lane.limit(latest, direction), Lane.window(latest, direction));
		}
		acceptCredentials(latest.id(), direction);
	}

	@Override
	public <T> Mono<T> withPermit(String subscriptionId, Direction direction, Mono<T> call) {
		return permit(subscriptionId, direction, true, call);
	}

	/**
	 * Like {@link #withPermit} but past the credentials breaker: waits out the cool-down,
	 * takes a permit, then calls. For verify, the one call allowed while credentials are
	 * rejected.
	 */
	public <T> Mono<T> withPermitIgnoringCredentials(String subscriptionId, Direction direction, Mono<T> call) {
		return permit(subscriptionId, direction, false, call);
	}

	private <T> Mono<T> permit(String subscriptionId, Direction direction, boolean checkCredentials, Mono<T> call) {
		PermitObserver observer = this.permits;
		if (observer == PermitObserver.NONE) {
			return settingsOf(subscriptionId).flatMap((current) -> lane(subscriptionId, direction)
				.permitted(() -> latest(current), checkCredentials, call));
		}
		return Mono.defer(() -> {
			long start = this.nanoTime.getAsLong();
			Mono<T> observed = Mono.defer(() -> {
				observer.waited(subscriptionId, direction, Duration.ofNanos(this.nanoTime.getAsLong() - start));
				return call;
			});
			return settingsOf(subscriptionId).flatMap((current) -> lane(subscriptionId, direction)
				.permitted(() -> latest(current), checkCredentials, observed));
		});
	}

	private Mono<SubscriptionSettings> settingsOf(String subscriptionId) {
		SubscriptionSettings known = this.settings.get(subscriptionId);
		if (known != null) {
			return Mono.just(known);
		}
		if (this.registry == null) {
			return Mono.error(() -> new IllegalStateException("Unknown subscription " + subscriptionId));
		}
		return this.registry.find(subscriptionId)
			.doOnNext(this::track)
			.map((found) -> this.settings.getOrDefault(found.id(), found))
			.switchIfEmpty(Mono.error(() -> new IllegalStateException("Unknown subscription " + subscriptionId)));
	}

	private Lane lane(String subscriptionId, Direction direction) {
		return this.lanes.computeIfAbsent(new LaneKey(subscriptionId, direction),
				(key) -> new Lane(subscriptionId, direction, this.clock, this.nanoTime, this.pacing));
	}

	@Override
	public void coolDown(String subscriptionId, Direction direction, Duration delay) {
		lane(subscriptionId, direction).coolDown(this.clock.instant().plus(delay));
	}

	@Override
	public Optional<Instant> coolDownUntil(String subscriptionId, Direction direction) {
		Lane lane = this.lanes.get(new LaneKey(subscriptionId, direction));
		if (lane == null || !lane.coolDownUntil().isAfter(this.clock.instant())) {
			return Optional.empty();
		}
		return Optional.of(lane.coolDownUntil());
	}

	@Override
	public void rejectCredentials(String subscriptionId, Direction direction) {
		lane(subscriptionId, direction).reject(() -> true);
	}

	/**
	 * Checked and rejected under the lane's lock, while {@link #track} publishes a newer
	 * version before it accepts under that lock: either the newer version is seen here
	 * and nothing is rejected, or the rejection comes first and the newer version's
	 * accept clears it.
	 */
	@Override
	public boolean rejectCredentials(String subscriptionId, Direction direction, long settingsVersion) {
		return lane(subscriptionId, direction).reject(() -> isCurrent(subscriptionId, settingsVersion));
	}

	@Override
	public boolean isCurrent(String subscriptionId, long settingsVersion) {
		SubscriptionSettings known = this.settings.get(subscriptionId);
		return known == null || known.version() <= settingsVersion;
	}

	/** The newest settings known here for the subscription of {@code settings}. */
	public SubscriptionSettings latest(SubscriptionSettings settings) {
		SubscriptionSettings known = this.settings.get(settings.id());
		return (known != null && known.version() > settings.version()) ? known : settings;
	}

	@Override
	public boolean credentialsRejected(String subscriptionId, Direction direction) {
		Lane lane = this.lanes.get(new LaneKey(subscriptionId, direction));
		return lane != null && lane.rejected();
	}

	@Override
	public void acceptCredentials(String subscriptionId, Direction direction) {
		Lane lane = this.lanes.get(new LaneKey(subscriptionId, direction));
		if (lane != null && lane.accept()) {
			synchronized (this.accepted) {
				// Serialised: a sink rejects concurrent emissions (FAIL_NON_SERIALIZED).
				this.accepted.tryEmitNext(subscriptionId);
			}
		}
	}

	@Override
	public Flux<String> credentialsAccepted() {
		return this.accepted.asFlux();
	}

	/**
	 * The mean interval between two calls of a lane that uses its whole quota, for the
	 * current settings: W / L (a busy lane's calls go in bursts, each call W plus about
	 * the round-trip slack after the call L places before it).
	 */
	public Optional<Duration> spacing(String subscriptionId, Direction direction) {
		SubscriptionSettings current = this.settings.get(subscriptionId);
		if (current == null) {
			return Optional.empty();
		}
		return Optional
			.of(Duration.ofSeconds(Lane.window(current, direction)).dividedBy(Lane.limit(current, direction)));
	}

	/** The limiter of a lane, once it has paced a call (names, events, metrics). */
	public Optional<RateLimiter> limiter(String subscriptionId, Direction direction) {
		Lane lane = this.lanes.get(new LaneKey(subscriptionId, direction));
		return Optional.ofNullable((lane != null) ? lane.limiter() : null);
	}

	private record LaneKey(String subscriptionId, Direction direction) {
	}

}

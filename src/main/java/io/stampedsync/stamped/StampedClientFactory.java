package io.stampedsync.stamped;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Base64;
import java.util.Objects;

import io.stampedsync.outbound.CallObserver;
import io.stampedsync.outbound.OutboundProperties;
import io.stampedsync.outbound.SubscriptionClients;
import io.stampedsync.outbound.TransientRetry;
import io.stampedsync.subscription.SubscriptionRegistry;
import io.stampedsync.subscription.SubscriptionSettings;
import io.stampedsync.throttle.ThrottleRegistry;
import reactor.netty.http.client.HttpClient;
import reactor.netty.resources.LoopResources;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.InitializingBean;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.client.ReactorResourceFactory;
import org.springframework.stereotype.Component;

/**
 * Builds one {@link StampedClient} per subscription and settings version, each with a
 * connection pool of its own ({@link SubscriptionClients}), authenticated by HTTP Basic
 * with the store's public and private key.
 */
@Component
public class StampedClientFactory implements StampedClients, InitializingBean, DisposableBean {

	private final OutboundProperties properties;

	private final ThrottleRegistry throttles;

	private final SubscriptionRegistry registry;

	private final StampedWire wire;

	private final CallObserver observer;

	private final Clock clock;

	private final SubscriptionClients<StampedClient> clients;

	@Autowired
	StampedClientFactory(OutboundProperties properties, ThrottleRegistry throttles,
			ObjectProvider<SubscriptionRegistry> registry, JsonMapper json, ObjectProvider<CallObserver> observers,
			ObjectProvider<ReactorResourceFactory> resources) {
		this(properties, throttles, registry.getIfAvailable(), json,
				CallObserver.all(observers.orderedStream().toList()), Clock.systemUTC(),
				SubscriptionClients.contextLoops(resources));
	}

	/**
	 * With one observer and a chosen clock (for Retry-After dates).
	 * @param properties timeouts, retries and pool settings
	 * @param throttles pacing, cool-down and credentials of every subscription
	 * @param registry whose deletes close pools, or {@code null}
	 * @param json the mapper of request and response bodies
	 * @param observer told of every attempt
	 * @param clock the clock Retry-After dates are read against
	 * @param loops the event loops to run on, or {@code null} for the global ones
	 */
	public StampedClientFactory(OutboundProperties properties, ThrottleRegistry throttles,
			SubscriptionRegistry registry, JsonMapper json, CallObserver observer, Clock clock, LoopResources loops) {
		this.properties = properties;
		this.throttles = throttles;
		this.registry = registry;
		this.wire = new StampedWire(json);
		this.observer = observer;
		this.clock = clock;
		this.clients = new SubscriptionClients<>("stamped", properties, loops, this::build);
	}

	@Override
	public void afterPropertiesSet() {
		if (this.registry != null) {
			this.clients.retireDeleted(this.registry);
		}
	}

	@Override
	public StampedClient forSubscription(SubscriptionSettings settings) {
		this.throttles.track(settings);
		return this.clients.get(settings);
	}

	@Override
	public SubscriptionSettings latest(SubscriptionSettings settings) {
		return this.throttles.latest(settings);
	}

	private StampedClient build(SubscriptionSettings settings, HttpClient http) {
		Objects.requireNonNull(settings.apiPrivateKey(), "API Private Key is required");
		// The one place a key is revealed: the Authorization header, which is never
		// logged. Encoded once per client, as the bytes that go out on every call.
		String authorization = "Basic " + Base64.getEncoder()
			.encodeToString((settings.apiPublicKey() + ":" + settings.apiPrivateKey().reveal())
				.getBytes(StandardCharsets.UTF_8));
		StampedFailures failures = new StampedFailures(settings, this.throttles, this.properties, this.wire,
				this.clock);
		return new WebStampedClient(settings.id(), settings.version(), StampedWire.baseUrl(settings),
				SubscriptionClients.authorized(http, authorization), this.throttles, TransientRetry.of(this.properties),
				this.wire, failures, this.observer, SubscriptionClients.maxResponseBytes(this.properties),
				settings.concurrentConnections());
	}

	@Override
	public void destroy() {
		this.clients.dispose();
	}

}

package io.stampedsync.ipaas;

import java.time.Clock;

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
 * Builds one {@link IpaasClient} per subscription and settings version, each with a
 * connection pool of its own ({@link SubscriptionClients}, like the Stamped.io clients),
 * authenticated by the subscription's iPaaS.com Bearer token.
 */
@Component
public class IpaasClientFactory implements IpaasClients, InitializingBean, DisposableBean {

	private final OutboundProperties properties;

	private final ThrottleRegistry throttles;

	private final SubscriptionRegistry registry;

	private final JsonMapper json;

	private final CallObserver observer;

	private final Clock clock;

	private final SubscriptionClients<IpaasClient> clients;

	@Autowired
	IpaasClientFactory(OutboundProperties properties, ThrottleRegistry throttles,
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
	public IpaasClientFactory(OutboundProperties properties, ThrottleRegistry throttles, SubscriptionRegistry registry,
			JsonMapper json, CallObserver observer, Clock clock, LoopResources loops) {
		this.properties = properties;
		this.throttles = throttles;
		this.registry = registry;
		this.json = json;
		this.observer = observer;
		this.clock = clock;
		this.clients = new SubscriptionClients<>("ipaas", properties, loops, this::build);
	}

	@Override
	public void afterPropertiesSet() {
		if (this.registry != null) {
			this.clients.retireDeleted(this.registry);
		}
	}

	@Override
	public IpaasClient forSubscription(SubscriptionSettings settings) {
		if (!settings.hasIpaasSide()) {
			throw new IllegalArgumentException("Subscription " + settings.id() + " has no iPaaS.com side");
		}
		this.throttles.track(settings);
		return this.clients.get(settings);
	}

	private IpaasClient build(SubscriptionSettings settings, HttpClient http) {
		// The one place the token is revealed: the Authorization header, which is never
		// logged nor traced.
		IpaasFailures failures = new IpaasFailures(settings, this.throttles, this.properties, this.json, this.clock);
		return new WebIpaasClient(settings,
				SubscriptionClients.authorized(http, "Bearer " + settings.ipaasApiToken().reveal()), this.throttles,
				TransientRetry.of(this.properties), failures, this.observer, this.json,
				SubscriptionClients.maxResponseBytes(this.properties));
	}

	@Override
	public void destroy() {
		this.clients.dispose();
	}

}

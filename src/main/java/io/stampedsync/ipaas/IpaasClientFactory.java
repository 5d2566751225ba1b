package io.stampedsync.ipaas;

import java.time.Clock;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

import io.netty.channel.ChannelOption;
import io.stampedsync.outbound.CallObserver;
import io.stampedsync.outbound.OutboundProperties;
import io.stampedsync.outbound.TransientRetry;
import io.stampedsync.subscription.SubscriptionRegistry;
import io.stampedsync.subscription.SubscriptionSettings;
import io.stampedsync.throttle.ThrottleRegistry;
import reactor.core.Disposable;
import reactor.core.publisher.Mono;
import reactor.netty.http.client.HttpClient;
import reactor.netty.resources.ConnectionProvider;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.InitializingBean;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.MediaType;
import org.springframework.http.client.reactive.ReactorClientHttpConnector;
import org.springframework.stereotype.Component;
import org.springframework.web.reactive.function.client.WebClient;

/**
 * Builds one {@link IpaasClient} per subscription and settings version, each with a
 * connection pool of its own (at most Concurrent Connections connections, idle ones
 * evicted in the background, PITFALLS 2.4), like the Stamped.io clients. The pool of
 * replaced or deleted settings is closed after {@code pool-dispose-delay}.
 */
@Component
public class IpaasClientFactory implements IpaasClients, InitializingBean, DisposableBean {

	private final OutboundProperties properties;

	private final ThrottleRegistry throttles;

	private final SubscriptionRegistry registry;

	private final JsonMapper json;

	private final CallObserver observer;

	private final Clock clock;

	private final ConcurrentMap<String, Built> clients = new ConcurrentHashMap<>();

	private volatile Disposable changes;

	@Autowired
	IpaasClientFactory(OutboundProperties properties, ThrottleRegistry throttles,
			ObjectProvider<SubscriptionRegistry> registry, JsonMapper json, ObjectProvider<CallObserver> observers) {
		this(properties, throttles, registry.getIfAvailable(), json,
				CallObserver.all(observers.orderedStream().toList()), Clock.systemUTC());
	}

	/**
	 * With one observer and a chosen clock (for Retry-After dates).
	 * @param properties timeouts, retries and pool settings
	 * @param throttles pacing, cool-down and credentials of every subscription
	 * @param registry whose deletes close pools, or {@code null}
	 * @param json the mapper of request and response bodies
	 * @param observer told of every attempt
	 * @param clock the clock Retry-After dates are read against
	 */
	public IpaasClientFactory(OutboundProperties properties, ThrottleRegistry throttles, SubscriptionRegistry registry,
			JsonMapper json, CallObserver observer, Clock clock) {
		this.properties = properties;
		this.throttles = throttles;
		this.registry = registry;
		this.json = json;
		this.observer = observer;
		this.clock = clock;
	}

	@Override
	public void afterPropertiesSet() {
		if (this.registry == null) {
			return;
		}
		this.changes = this.registry.changes()
			.filter(SubscriptionRegistry.SubscriptionChange::deleted)
			.subscribe((change) -> retire(this.clients.remove(change.id())));
	}

	@Override
	public IpaasClient forSubscription(SubscriptionSettings settings) {
		if (!settings.hasIpaasSide()) {
			throw new IllegalArgumentException("Subscription " + settings.id() + " has no iPaaS.com side");
		}
		this.throttles.track(settings);
		Built current = this.clients.get(settings.id());
		if (current != null && current.version() >= settings.version()) {
			return current.client();
		}
		Built fresh = build(settings);
		Built[] replaced = new Built[1];
		Built winner = this.clients.compute(settings.id(), (id, existing) -> {
			if (existing != null && existing.version() >= settings.version()) {
				return existing;
			}
			replaced[0] = existing;
			return fresh;
		});
		if (winner != fresh) {
			fresh.provider().dispose();
		}
		retire(replaced[0]);
		return winner.client();
	}

	private void retire(Built old) {
		if (old != null) {
			Mono.delay(this.properties.poolDisposeDelay()).then(old.provider().disposeLater()).subscribe();
		}
	}

	private Built build(SubscriptionSettings settings) {
		ConnectionProvider provider = ConnectionProvider.builder("ipaas-" + settings.id())
			.maxConnections(settings.concurrentConnections())
			.pendingAcquireMaxCount(this.properties.pendingAcquireMaxCount())
			.pendingAcquireTimeout(this.properties.pendingAcquireTimeout())
			.maxIdleTime(this.properties.maxIdleTime())
			.evictInBackground(this.properties.maxIdleTime().dividedBy(2))
			.build();
		HttpClient http = HttpClient.create(provider)
			.option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) this.properties.connectTimeout().toMillis())
			.responseTimeout(this.properties.responseTimeout());
		WebClient web = WebClient.builder()
			.clientConnector(new ReactorClientHttpConnector(http))
			.defaultHeaders((headers) -> {
				// The one place the token is revealed: the Authorization header, which is
				// never logged nor traced.
				headers.setBearerAuth(settings.ipaasApiToken().reveal());
				headers.setAccept(List.of(MediaType.APPLICATION_JSON));
			})
			.build();
		IpaasFailures failures = new IpaasFailures(settings, this.throttles, this.properties, this.json, this.clock);
		IpaasClient client = new WebIpaasClient(settings, web, this.throttles, TransientRetry.of(this.properties),
				failures, this.observer, this.json,
				(int) Math.min(Integer.MAX_VALUE, this.properties.maxResponseSize().toBytes()));
		return new Built(settings.version(), client, provider);
	}

	@Override
	public void destroy() {
		Disposable subscription = this.changes;
		if (subscription != null) {
			subscription.dispose();
		}
		this.clients.values().forEach((built) -> built.provider().dispose());
		this.clients.clear();
	}

	private record Built(long version, IpaasClient client, ConnectionProvider provider) {
	}

}

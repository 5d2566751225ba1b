package io.stampedsync.outbound;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

import io.netty.channel.ChannelOption;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.util.AsciiString;
import io.stampedsync.LongLived;
import io.stampedsync.subscription.SubscriptionRegistry;
import io.stampedsync.subscription.SubscriptionSettings;
import reactor.core.Disposable;
import reactor.core.publisher.Mono;
import reactor.netty.http.client.HttpClient;
import reactor.netty.resources.ConnectionProvider;
import reactor.netty.resources.LoopResources;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.http.client.ReactorResourceFactory;

/**
 * One client per subscription and settings version, each on a connection pool of its own:
 * at most Concurrent Connections connections, idle ones evicted in the background
 * (PITFALLS 2.4). The pool of replaced or deleted settings is closed after
 * {@code pool-dispose-delay}, so calls still running on it can finish. Shared by the
 * Stamped.io and iPaaS.com directions, which differ only in how they authenticate and
 * what they build on the {@link HttpClient}.
 *
 * @param <C> the client type of one direction
 */
public final class SubscriptionClients<C> {

	private final String poolPrefix;

	private final OutboundProperties properties;

	private final LoopResources loops;

	private final ClientBuilder<C> builder;

	private final ConcurrentMap<String, Built<C>> clients = new ConcurrentHashMap<>();

	private volatile Disposable deletes;

	/**
	 * Creates the cache of one direction.
	 * @param poolPrefix the name of the pools (with the subscription id), for metrics
	 * @param properties timeouts and pool settings
	 * @param loops the event loops of the application context, or {@code null} for
	 * reactor-netty's global ones
	 * @param builder builds a client on an HttpClient whose pool is ready
	 */
	public SubscriptionClients(String poolPrefix, OutboundProperties properties, LoopResources loops,
			ClientBuilder<C> builder) {
		this.poolPrefix = poolPrefix;
		this.properties = properties;
		this.loops = loops;
		this.builder = builder;
	}

	/** Closes the pool of every subscription {@code registry} deletes. */
	public void retireDeleted(SubscriptionRegistry registry) {
		this.deletes = LongLived.forEach("Closing the pools of deleted subscriptions (" + this.poolPrefix + ")",
				registry.changes().filter(SubscriptionRegistry.SubscriptionChange::deleted),
				(change) -> retire(this.clients.remove(change.id())),
				(change) -> "Delete of subscription " + change.id());
	}

	/** The client of these settings' version, built the first time it is asked for. */
	public C get(SubscriptionSettings settings) {
		Built<C> current = this.clients.get(settings.id());
		if (current != null && current.version() >= settings.version()) {
			return current.client();
		}
		Built<C> fresh = build(settings);
		Object[] replaced = new Object[1];
		Built<C> winner = this.clients.compute(settings.id(), (id, existing) -> {
			if (existing != null && existing.version() >= settings.version()) {
				return existing;
			}
			replaced[0] = existing;
			return fresh;
		});
		if (winner != fresh) {
			fresh.provider().dispose();
		}
		if (replaced[0] instanceof Built<?> old) {
			retire(old);
		}
		return winner.client();
	}

	/** Closes every pool at once (the application is stopping). */
	public void dispose() {
		Disposable subscription = this.deletes;
		if (subscription != null) {
			subscription.dispose();
		}
		this.clients.values().forEach((built) -> built.provider().dispose());
		this.clients.clear();
	}

	private void retire(Built<?> old) {
		if (old != null) {
			Mono.delay(this.properties.poolDisposeDelay()).then(old.provider().disposeLater()).subscribe();
		}
	}

	private Built<C> build(SubscriptionSettings settings) {
		ConnectionProvider provider = ConnectionProvider.builder(this.poolPrefix + "-" + settings.id())
			.maxConnections(settings.concurrentConnections())
			.pendingAcquireMaxCount(this.properties.pendingAcquireMaxCount())
			.pendingAcquireTimeout(this.properties.pendingAcquireTimeout())
			.maxIdleTime(this.properties.maxIdleTime())
			.evictInBackground(this.properties.maxIdleTime().dividedBy(2))
			.build();
		HttpClient http = HttpClient.create(provider)
			.option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) this.properties.connectTimeout().toMillis())
			.responseTimeout(this.properties.responseTimeout())
			.headers((headers) -> headers.set(HttpHeaderNames.ACCEPT, HttpHeaderValues.APPLICATION_JSON));
		if (this.loops != null) {
			http = http.runOn(this.loops);
		}
		try {
			return new Built<>(settings.version(), this.builder.build(settings, http), provider);
		}
		catch (RuntimeException ex) {
			provider.dispose();
			throw ex;
		}
	}

	/**
	 * The event loops of the application context, where it has its own (see
	 * {@code NettyResourcesConfiguration}), else {@code null} for the global ones.
	 */
	public static LoopResources contextLoops(ObjectProvider<ReactorResourceFactory> resources) {
		ReactorResourceFactory factory = resources.getIfAvailable();
		return (factory != null && !factory.isUseGlobalResources()) ? factory.getLoopResources() : null;
	}

	/**
	 * {@code http} sending {@code authorization} as the Authorization header of every
	 * call, encoded once. The one place a direction's credentials meet the wire; the
	 * header is never logged.
	 */
	public static HttpClient authorized(HttpClient http, String authorization) {
		AsciiString value = AsciiString.of(authorization);
		return http.headers((headers) -> headers.set(HttpHeaderNames.AUTHORIZATION, value));
	}

	/** Maximum size of a response body a client buffers, as the codecs want it. */
	public static int maxResponseBytes(OutboundProperties properties) {
		return (int) Math.min(Integer.MAX_VALUE, properties.maxResponseSize().toBytes());
	}

	/**
	 * Builds the client of one subscription.
	 *
	 * @param <C> the client type
	 */
	@FunctionalInterface
	public interface ClientBuilder<C> {

		/**
		 * Builds the client.
		 * @param settings the subscription's settings of this version
		 * @param http a client already on the subscription's own pool, with its timeouts,
		 * accepting JSON; the client adds its credentials
		 * @return the client
		 */
		C build(SubscriptionSettings settings, HttpClient http);

	}

	private record Built<C>(long version, C client, ConnectionProvider provider) {
	}

}

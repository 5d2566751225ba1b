package io.stampedsync.throttle;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import io.stampedsync.subscription.Secret;
import io.stampedsync.subscription.SubscriptionRegistry;
import io.stampedsync.subscription.SubscriptionSettings;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;

/** A registry held in memory, for tests of the clients and throttles. */
public class InMemorySubscriptionRegistry implements SubscriptionRegistry {

	private final Map<String, SubscriptionSettings> settings = new ConcurrentHashMap<>();

	private final Sinks.Many<SubscriptionChange> changes = Sinks.many().multicast().directBestEffort();

	/** Stores the settings and announces the change. */
	public synchronized void put(SubscriptionSettings value) {
		this.settings.put(value.id(), value);
		this.changes.tryEmitNext(new SubscriptionChange(value.id(), value));
	}

	/** Removes the settings and announces the delete. */
	public synchronized void delete(String id) {
		this.settings.remove(id);
		this.changes.tryEmitNext(new SubscriptionChange(id, null));
	}

	@Override
	public Mono<SubscriptionSettings> find(String id) {
		return Mono.justOrEmpty(this.settings.get(id));
	}

	@Override
	public Flux<SubscriptionSettings> findAll() {
		return Flux.fromIterable(this.settings.values());
	}

	@Override
	public Flux<SubscriptionChange> changes() {
		return this.changes.asFlux();
	}

	/** Settings for tests: Stamped.io at {@code apiUrl}, L per W both ways. */
	public static SubscriptionSettings settings(String id, String apiUrl, int limit, int windowSeconds, long version) {
		return new SubscriptionSettings(id, apiUrl, "pubkey-test-1234", Secret.of("key-very-secret-private-9876"),
				"store-1", limit, windowSeconds, limit, windowSeconds, 2, 10, null, null, null, null, null, version);
	}

	/** The same settings with other limits and a higher version. */
	public static SubscriptionSettings withLimits(SubscriptionSettings s, int apiLimit, int apiSeconds, int ipaasLimit,
			int ipaasSeconds) {
		return new SubscriptionSettings(s.id(), s.apiUrl(), s.apiPublicKey(), s.apiPrivateKey(), s.apiStoreHash(),
				apiLimit, apiSeconds, ipaasLimit, ipaasSeconds, s.concurrentConnections(),
				s.concurrentBatchExecutions(), s.ipaasApiUrl(), s.ipaasApiToken(), s.ipaasSystemId(), s.webhookApiKey(),
				s.subscriptionStateField(), s.version() + 1);
	}

}

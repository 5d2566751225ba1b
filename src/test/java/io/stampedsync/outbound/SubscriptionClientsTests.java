package io.stampedsync.outbound;

import io.stampedsync.subscription.SubscriptionRegistry;
import io.stampedsync.subscription.SubscriptionRegistry.SubscriptionChange;
import io.stampedsync.subscription.SubscriptionSettings;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;

import static io.stampedsync.throttle.InMemorySubscriptionRegistry.settings;
import static org.assertj.core.api.Assertions.assertThat;

/** The cache of clients follows the deletes of the registry for its whole life. */
class SubscriptionClientsTests {

	private final Sinks.Many<SubscriptionChange> changes = Sinks.many().multicast().directBestEffort();

	private final SubscriptionClients<Object> clients = new SubscriptionClients<>("test", OutboundProperties.defaults(),
			null, (settings, web) -> new Object());

	@AfterEach
	void tearDown() {
		this.clients.dispose();
	}

	@Test
	void deleteThatCannotBeHandledLeavesTheNextDeletesHandled() {
		this.clients.retireDeleted(registry());
		SubscriptionSettings acme = settings("acme", "http://localhost", 5, 10, 1);
		Object first = this.clients.get(acme);
		assertThat(this.clients.get(acme)).isSameAs(first);
		// A delete without an id fails to retire anything (the cache has no null key).
		this.changes.tryEmitNext(new SubscriptionChange(null, null));
		this.changes.tryEmitNext(new SubscriptionChange("acme", null));
		assertThat(this.clients.get(acme)).as("a client built again after the delete").isNotSameAs(first);
	}

	private SubscriptionRegistry registry() {
		return new SubscriptionRegistry() {

			@Override
			public Mono<SubscriptionSettings> find(String id) {
				return Mono.empty();
			}

			@Override
			public Flux<SubscriptionSettings> findAll() {
				return Flux.empty();
			}

			@Override
			public Flux<SubscriptionChange> changes() {
				return SubscriptionClientsTests.this.changes.asFlux();
			}

		};
	}

}

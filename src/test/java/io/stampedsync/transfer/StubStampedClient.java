package io.stampedsync.transfer;

import java.util.List;
import java.util.Map;

import io.stampedsync.stamped.StampedClient;
import io.stampedsync.stamped.StampedCustomer;
import reactor.core.publisher.Mono;

/**
 * A Stamped.io client that answers every call at once: a create with {@code stamped-1},
 * an update with the id it was given, the rest with nothing. Tests override the calls
 * they watch.
 */
class StubStampedClient implements StampedClient {

	@Override
	public Mono<String> create(StampedCustomer customer) {
		return Mono.just("stamped-1");
	}

	@Override
	public Mono<String> update(String stampedCustomerId, StampedCustomer customer) {
		return Mono.just(stampedCustomerId);
	}

	@Override
	public Mono<Map<String, Object>> get(String stampedCustomerId) {
		return Mono.empty();
	}

	@Override
	public Mono<List<Map<String, Object>>> list(int page, int take) {
		return Mono.just(List.of());
	}

	@Override
	public Mono<Void> subscribe(String email) {
		return Mono.empty();
	}

	@Override
	public Mono<Void> unsubscribe(String email) {
		return Mono.empty();
	}

	@Override
	public Mono<Void> verify() {
		return Mono.empty();
	}

}

package io.stampedsync.transfer;

import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;
import java.util.function.Function;

import io.stampedsync.stamped.StampedClient;
import io.stampedsync.stamped.StampedCustomer;
import reactor.core.publisher.Mono;

/**
 * A Stamped.io client for tests of the transfer and the dispatcher: create and update
 * answer what the test scripts; get, list, subscribe, unsubscribe and verify answer at
 * once with nothing.
 */
public final class ScriptedStampedClient implements StampedClient {

	private final Function<StampedCustomer, Mono<String>> create;

	private final BiFunction<String, StampedCustomer, Mono<String>> update;

	private ScriptedStampedClient(Function<StampedCustomer, Mono<String>> create,
			BiFunction<String, StampedCustomer, Mono<String>> update) {
		this.create = create;
		this.update = update;
	}

	/** Creates answer {@code create}; an update fails the test. */
	public static StampedClient creating(Function<StampedCustomer, Mono<String>> create) {
		return new ScriptedStampedClient(create,
				(stampedCustomerId, customer) -> Mono.error(new AssertionError("no update expected")));
	}

	/** Creates and updates alike answer {@code call} of the customer sent. */
	public static StampedClient answering(Function<StampedCustomer, Mono<String>> call) {
		return new ScriptedStampedClient(call, (stampedCustomerId, customer) -> call.apply(customer));
	}

	@Override
	public Mono<String> create(StampedCustomer customer) {
		return Mono.defer(() -> this.create.apply(customer));
	}

	@Override
	public Mono<String> update(String stampedCustomerId, StampedCustomer customer) {
		return Mono.defer(() -> this.update.apply(stampedCustomerId, customer));
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

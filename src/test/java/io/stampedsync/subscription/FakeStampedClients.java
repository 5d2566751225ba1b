package io.stampedsync.subscription;

import java.util.List;
import java.util.Map;

import io.stampedsync.outbound.ErrorCode;
import io.stampedsync.outbound.OutboundCallException;
import io.stampedsync.stamped.StampedClient;
import io.stampedsync.stamped.StampedClients;
import io.stampedsync.stamped.StampedCustomer;
import reactor.core.publisher.Mono;

/**
 * A Stamped.io stand-in whose {@code verify} answers by store hash: {@code bad-keys} →
 * 401, {@code bad-store} → 404, {@code down} → connection refused, {@code busy} → 429,
 * anything else → accepted.
 */
class FakeStampedClients implements StampedClients {

	@Override
	public StampedClient forSubscription(SubscriptionSettings settings) {
		return new Client(settings.apiStoreHash());
	}

	private record Client(String storeHash) implements StampedClient {

		@Override
		public Mono<Void> verify() {
			return switch (this.storeHash) {
				case "bad-keys" -> fail(ErrorCode.STAMPED_AUTH, 401);
				case "bad-store" -> fail(ErrorCode.STAMPED_AUTH, 404);
				case "down" -> fail(ErrorCode.NETWORK, 0);
				case "busy" -> fail(ErrorCode.STAMPED_RATE_LIMITED, 429);
				default -> Mono.empty();
			};
		}

		private static Mono<Void> fail(ErrorCode code, int status) {
			return Mono.error(new OutboundCallException(code, status,
					code.prefix() + ": HTTP " + status + " from Stamped.io", null, null));
		}

		@Override
		public Mono<String> create(StampedCustomer customer) {
			return Mono.error(new UnsupportedOperationException());
		}

		@Override
		public Mono<String> update(String stampedCustomerId, StampedCustomer customer) {
			return Mono.error(new UnsupportedOperationException());
		}

		@Override
		public Mono<Map<String, Object>> get(String stampedCustomerId) {
			return Mono.error(new UnsupportedOperationException());
		}

		@Override
		public Mono<List<Map<String, Object>>> list(int page, int take) {
			return Mono.error(new UnsupportedOperationException());
		}

		@Override
		public Mono<Void> subscribe(String email) {
			return Mono.error(new UnsupportedOperationException());
		}

		@Override
		public Mono<Void> unsubscribe(String email) {
			return Mono.error(new UnsupportedOperationException());
		}

	}

}

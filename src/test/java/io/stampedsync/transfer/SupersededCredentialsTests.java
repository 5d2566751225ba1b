package io.stampedsync.transfer;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import io.stampedsync.outbound.ErrorCode;
import io.stampedsync.outbound.OutboundCallException;
import io.stampedsync.stamped.StampedClient;
import io.stampedsync.stamped.StampedClients;
import io.stampedsync.subscription.Secret;
import io.stampedsync.subscription.SubscriptionSettings;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A transfer whose keys are refused after newer settings were saved runs again with the
 * newest settings instead of ending paused or failed; a refusal of the current keys ends
 * {@code STAMPED_AUTH} with the version used, for the dispatcher to pause on.
 */
class SupersededCredentialsTests {

	private static final IpaasCustomer ADA = new IpaasCustomer("c-1", null, "Ada", "Lovelace", "ada@example.com", null,
			null, List.of(), List.of(), List.of());

	private final SubscriptionSettings old = TestSettings.withoutSystemId();

	private final SubscriptionSettings current = withVersion(this.old, 2);

	private final AtomicInteger creates = new AtomicInteger();

	@Test
	void refusalOfSupersededKeysRunsAgainWithTheCurrentKeys() {
		TransferResult result = service(this.current).transfer(this.old, request()).block(Duration.ofSeconds(10));

		assertThat(result.outcome()).isEqualTo(Outcome.CREATED);
		assertThat(result.settingsVersion()).isEqualTo(2);
		assertThat(this.creates).hasValue(1);
	}

	@Test
	void refusalOfTheCurrentKeysEndsWithTheirVersion() {
		TransferResult result = service(this.old).transfer(this.old, request()).block(Duration.ofSeconds(10));

		assertThat(result.errorCode()).isEqualTo(ErrorCode.STAMPED_AUTH);
		assertThat(result.credentialsRejected()).isTrue();
		assertThat(result.settingsVersion()).isEqualTo(1);
		assertThat(this.creates).hasValue(0);
	}

	private TransferService service(SubscriptionSettings newest) {
		StampedClients clients = new StampedClients() {

			@Override
			public StampedClient forSubscription(SubscriptionSettings settings) {
				boolean keysAccepted = settings.version() == 2;
				return ScriptedStampedClient.creating((customer) -> keysAccepted
						? Mono
							.fromCallable(() -> "stamped-" + SupersededCredentialsTests.this.creates.incrementAndGet())
						: Mono.error(new OutboundCallException(ErrorCode.STAMPED_AUTH, 401,
								"Customer create or update failed: HTTP 401", null, null)));
			}

			@Override
			public SubscriptionSettings latest(SubscriptionSettings settings) {
				return newest;
			}

		};
		LinkStore links = new LinkStore() {

			@Override
			public Mono<CustomerLink> find(String subscriptionId, String ipaasCustomerId) {
				return Mono.empty();
			}

			@Override
			public Mono<Void> save(CustomerLink link) {
				return Mono.empty();
			}

		};
		return new TransferService((settings, request) -> Mono.just(ADA), new CustomerMapper(), links, clients,
				(settings, id, stampedId) -> Mono.empty(), Clock.systemUTC());
	}

	private static TransferRequest request() {
		return new TransferRequest("c-1", null, 1, 0, false, false, false);
	}

	private static SubscriptionSettings withVersion(SubscriptionSettings s, long version) {
		return new SubscriptionSettings(s.id(), s.apiUrl(), s.apiPublicKey(), Secret.of("key-2"), s.apiStoreHash(),
				s.apiThrottleLimit(), s.apiThrottleSeconds(), s.ipaasThrottleLimit(), s.ipaasThrottleSeconds(),
				s.concurrentConnections(), s.concurrentBatchExecutions(), s.ipaasApiUrl(), s.ipaasApiToken(),
				s.ipaasSystemId(), s.webhookApiKey(), s.subscriptionStateField(), version);
	}

}

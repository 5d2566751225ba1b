package io.stampedsync.transfer;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;

import org.springframework.dao.DataAccessResourceFailureException;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A journal that fails for a while is waited out: the link of a made call is never lost.
 */
class TransferServiceJournalTests {

	private final AtomicInteger creates = new AtomicInteger();

	private final AtomicInteger failuresLeft = new AtomicInteger(3);

	private final AtomicInteger saved = new AtomicInteger();

	@Test
	void linkSaveThatFailsAFewTimesIsRetriedAndTheCustomerCreatedOnce() {
		LinkStore flaky = new LinkStore() {

			@Override
			public Mono<CustomerLink> find(String subscriptionId, String ipaasCustomerId) {
				return Mono.empty();
			}

			@Override
			public Mono<Void> save(CustomerLink link) {
				return Mono.defer(() -> (TransferServiceJournalTests.this.failuresLeft.getAndDecrement() > 0)
						? Mono.error(new DataAccessResourceFailureException("journal restarting"))
						: Mono.fromRunnable(TransferServiceJournalTests.this.saved::incrementAndGet));
			}

		};
		IpaasCustomer customer = new IpaasCustomer("c-1", null, "Ada", "Lovelace", "ada@example.com", null, null,
				List.of(), List.of(), List.of());
		TransferService service = new TransferService((settings, request) -> Mono.just(customer), new CustomerMapper(),
				flaky,
				(settings) -> ScriptedStampedClient
					.creating((sent) -> Mono.fromCallable(() -> "stamped-" + this.creates.incrementAndGet())),
				(settings, id, stampedId) -> Mono.empty(), Clock.systemUTC());

		TransferResult result = service
			.transfer(TestSettings.withoutSystemId(), new TransferRequest("c-1", null, 1, 0, false, false, false))
			.block(Duration.ofSeconds(60));

		assertThat(result.outcome()).isEqualTo(Outcome.CREATED);
		assertThat(this.creates).hasValue(1);
		assertThat(this.saved).hasValue(1);
		assertThat(this.failuresLeft.get()).isNegative();
	}

}

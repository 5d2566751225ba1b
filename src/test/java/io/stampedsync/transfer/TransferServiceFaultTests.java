package io.stampedsync.transfer;

import java.time.Clock;
import java.time.Duration;
import java.util.List;

import io.stampedsync.outbound.ErrorCode;
import io.stampedsync.stamped.StampedClient;
import io.stampedsync.subscription.SubscriptionSettings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.dao.DataIntegrityViolationException;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every fault of one record ends in its result ({@code failed}, {@code INTERNAL}, a short
 * message naming what failed); only a lost lease fails the transfer.
 */
class TransferServiceFaultTests {

	static final IpaasCustomer ADA = new IpaasCustomer("c-1", null, "Ada", "Lovelace", "ada@example.com", null, null,
			List.of(), List.of(), List.of());

	@Test
	void aStoredPayloadThatNoLongerReadsEndsTheRecordInternal() {
		TransferService service = service((settings, request) -> {
			throw new IllegalStateException("Stored customer JSON no longer reads: Unexpected end-of-input");
		}, new CustomerMapper(), links(), creating());

		assertInternal(service, "reading the customer", "no longer reads");
	}

	@Test
	void aMapperFaultEndsTheRecordInternal() {
		CustomerMapper broken = new CustomerMapper() {
			@Override
			public MappingResult map(IpaasCustomer customer, SubscriptionSettings settings) {
				throw new NullPointerException("custom_fields");
			}
		};
		assertInternal(service((settings, request) -> Mono.just(ADA), broken, links(), creating()),
				"mapping the customer", "NullPointerException");
	}

	@Test
	void anUnknownSubscriptionInTheThrottlesEndsTheRecordInternal() {
		StampedClient unknown = ScriptedStampedClient
			.creating((customer) -> Mono.error(new IllegalStateException("Unknown subscription acme-eu")));
		assertInternal(service((settings, request) -> Mono.just(ADA), new CustomerMapper(), links(), unknown),
				"calling Stamped.io", "Unknown subscription");
	}

	@Test
	void aLinkStoreThatCannotTakeTheLinkEndsTheRecordInternal() {
		LinkStore refusing = new LinkStore() {
			@Override
			public Mono<CustomerLink> find(String subscriptionId, String ipaasCustomerId) {
				return Mono.empty();
			}

			@Override
			public Mono<Void> save(CustomerLink link) {
				return Mono.error(new DataIntegrityViolationException("value too long"));
			}
		};
		assertInternal(service((settings, request) -> Mono.just(ADA), new CustomerMapper(), refusing, creating()),
				"saving the customer link", "value too long");
	}

	@Test
	@ExtendWith(OutputCaptureExtension.class)
	void theStackTraceOfAnInternalFaultIsLoggedOnceAndNeverInItsMessage(CapturedOutput output) {
		CustomerMapper broken = new CustomerMapper() {
			@Override
			public MappingResult map(IpaasCustomer customer, SubscriptionSettings settings) {
				throw new NullPointerException("custom_fields of c-1");
			}
		};
		TransferResult result = service((settings, request) -> Mono.just(ADA), broken, links(), creating())
			.transfer(TestSettings.withoutSystemId(), request())
			.block(Duration.ofSeconds(10));

		assertThat(result.errorMessage()).doesNotContain("\tat ").doesNotContain("java.lang.");
		assertThat(output.getAll()).containsOnlyOnce("java.lang.NullPointerException: custom_fields of c-1")
			.contains("\tat ");
	}

	@Test
	void aLostLeaseFailsTheTransferWithoutAnOutcome() {
		class Lost extends RuntimeException implements LinkStore.LeaseLost {

		}
		LinkStore fenced = new LinkStore() {
			@Override
			public Mono<CustomerLink> find(String subscriptionId, String ipaasCustomerId) {
				return Mono.empty();
			}

			@Override
			public Mono<Void> save(CustomerLink link) {
				return Mono.error(new Lost());
			}
		};
		TransferService service = service((settings, request) -> Mono.just(ADA), new CustomerMapper(), fenced,
				creating());

		StepVerifier.create(service.transfer(TestSettings.withoutSystemId(), request()))
			.expectError(Lost.class)
			.verify(Duration.ofSeconds(10));
	}

	private static void assertInternal(TransferService service, String stage, String cause) {
		TransferResult result = service.transfer(TestSettings.withoutSystemId(), request())
			.block(Duration.ofSeconds(10));
		assertThat(result.outcome()).isEqualTo(Outcome.FAILED);
		assertThat(result.errorCode()).isEqualTo(ErrorCode.INTERNAL);
		assertThat(result.errorMessage()).startsWith("Internal error " + stage + ": ")
			.contains(cause)
			.doesNotContain("\n")
			.hasSizeLessThanOrEqualTo(TransferService.MAX_MESSAGE);
	}

	private static TransferRequest request() {
		return new TransferRequest("c-1", null, 1, 0, false, false, false);
	}

	private static TransferService service(CustomerSource source, CustomerMapper mapper, LinkStore links,
			StampedClient client) {
		return new TransferService(source, mapper, links, (settings) -> client,
				(settings, id, stampedId) -> Mono.empty(), Clock.systemUTC());
	}

	private static StampedClient creating() {
		return ScriptedStampedClient.creating((customer) -> Mono.just("stamped-1"));
	}

	private static LinkStore links() {
		return new LinkStore() {
			@Override
			public Mono<CustomerLink> find(String subscriptionId, String ipaasCustomerId) {
				return Mono.empty();
			}

			@Override
			public Mono<Void> save(CustomerLink link) {
				return Mono.empty();
			}
		};
	}

}

package io.stampedsync.ipaas;

import java.util.List;

import io.stampedsync.outbound.ErrorCode;
import io.stampedsync.outbound.OutboundCallException;
import io.stampedsync.subscription.Secret;
import io.stampedsync.subscription.SubscriptionSettings;
import io.stampedsync.testing.Customers;
import io.stampedsync.transfer.IpaasCustomer;
import io.stampedsync.transfer.IpaasCustomer.ExternalId;
import io.stampedsync.transfer.TransferRequest;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

class IpaasCustomerSourceTests {

	private final IpaasClients noClients = (settings) -> {
		throw new AssertionError("no call expected");
	};

	private final IpaasCustomerSource source = new IpaasCustomerSource(JsonMapper.builder().build(), this.noClients);

	@Test
	void aPayloadIsParsedWithoutAnyCall() {
		IpaasCustomer customer = this.source
			.customer(settings(false), request(Customers.customer("7").email("a@example.com").json()))
			.block();
		assertThat(customer.id()).isEqualTo("7");
	}

	@Test
	void aReferenceWithoutAnIpaasSideFailsSayingSo() {
		OutboundCallException failure = catchThrowableOfType(OutboundCallException.class,
				() -> this.source.customer(settings(false), request(null)).block());
		assertThat(failure.code()).isEqualTo(ErrorCode.IPAAS_UNAVAILABLE);
		assertThat(failure.getMessage()).contains("subscription has no iPaaS.com side").contains("7");
	}

	@Test
	void aLinkAlreadyHeldForTheSystemIsNotWrittenAgain() {
		IpaasCustomer customer = new IpaasCustomer("7", null, null, null, "a@example.com", null, null, null,
				List.of(new ExternalId(1L, "99"), new ExternalId(4242L, " 143491 ")), null);
		assertThat(IpaasLinkWriteBack.alreadyLinked(customer, 4242L, "143491")).isTrue();
		assertThat(IpaasLinkWriteBack.alreadyLinked(customer, 4242L, "143492")).isFalse();
		assertThat(IpaasLinkWriteBack.alreadyLinked(customer, 1L, "143491")).isFalse();
		assertThat(new IpaasLinkWriteBack(this.noClients).write(settings(false), customer, "143492").block()).isNull();
	}

	private static TransferRequest request(String payload) {
		return new TransferRequest("7", payload, 1, 0, false, false, false);
	}

	private static SubscriptionSettings settings(boolean ipaas) {
		return new SubscriptionSettings("acme", "http://127.0.0.1:9", "pub", Secret.of("key-private-0001"), "store", 10,
				1, 10, 1, 2, 10, ipaas ? "http://127.0.0.1:9" : null, ipaas ? Secret.of("token-0001") : null,
				ipaas ? 4242L : null, null, null, 1);
	}

}

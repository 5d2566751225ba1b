package io.stampedsync.ipaas;

import io.stampedsync.outbound.ErrorCode;
import io.stampedsync.outbound.OutboundCallException;
import io.stampedsync.subscription.Secret;
import io.stampedsync.subscription.SubscriptionSettings;
import io.stampedsync.transfer.IpaasCustomer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import reactor.core.publisher.Mono;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A customer id with a line break, logged by a failed write-back, stays on its line : it
 * cannot forge a log line.
 */
@ExtendWith(OutputCaptureExtension.class)
class IpaasLinkWriteBackLogTests {

	static final String FORGED = "150713\n2026-01-01T00:00:00.000Z  INFO 1 --- [main] forged : all good\r";

	@Test
	void aLineBreakInACustomerIdIsEscapedInTheLog(CapturedOutput output) {
		IpaasClient failing = new IpaasClient() {

			@Override
			public Mono<IpaasCustomer> customer(String ipaasCustomerId) {
				return Mono.empty();
			}

			@Override
			public Mono<Void> updateExternalId(String ipaasCustomerId, String stampedCustomerId) {
				return Mono.error(new OutboundCallException(ErrorCode.IPAAS_NOT_FOUND, 404,
						"no customer\u001b[2J " + ipaasCustomerId, null, null));
			}

		};
		SubscriptionSettings settings = new SubscriptionSettings("acme", "http://127.0.0.1:9", "pubkey-test",
				Secret.of("key-test-private"), "store-1", 1000, 1, 1000, 1, 2, 10, "http://127.0.0.1:9",
				Secret.of("ipaas-token-0001"), 4242L, null, null, 1);
		new IpaasLinkWriteBack((subscription) -> failing).write(settings, FORGED, "1").block();
		assertThat(output.getAll()).contains("customer 150713\\n2026-01-01T00:00:00.000Z  INFO 1")
			.contains("all good\\r")
			.contains("no customer\\u001b[2J")
			.doesNotContain("\n2026-01-01T00:00:00.000Z  INFO 1 --- [main] forged")
			.doesNotContain("\u001b[2J");
	}

}

package io.stampedsync.transfer;

import io.stampedsync.outbound.ErrorCode;
import io.stampedsync.outbound.OutboundCallException;
import io.stampedsync.subscription.SubscriptionSettings;
import reactor.core.publisher.Mono;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.ObjectReader;
import tools.jackson.databind.json.JsonMapper;

/**
 * Reads the customer from the JSON a bulk batch carried. Requests without a payload name
 * an iPaaS.com customer to fetch, which needs the iPaaS.com client (the {@code ipaas}
 * feature's source parses payloads with this one).
 */
public class PayloadCustomerSource implements CustomerSource {

	private final ObjectReader reader;

	public PayloadCustomerSource(JsonMapper json) {
		this.reader = json.readerFor(IpaasCustomer.class);
	}

	@Override
	public Mono<IpaasCustomer> customer(SubscriptionSettings settings, TransferRequest request) {
		if (request.payload() == null) {
			return Mono.error(new OutboundCallException(ErrorCode.IPAAS_UNAVAILABLE, 0,
					"No iPaaS.com client to fetch customer " + request.ipaasCustomerId(), null, null));
		}
		return Mono.fromCallable(() -> parse(request.payload()));
	}

	/** The customer of a stored payload. */
	public IpaasCustomer parse(String payload) {
		try {
			return this.reader.readValue(payload);
		}
		catch (JacksonException ex) {
			// Intake stored it after reading it once, so this is a journal fault, not the
			// sender's.
			throw new IllegalStateException("Stored customer JSON no longer reads: " + ex.getOriginalMessage());
		}
	}

}

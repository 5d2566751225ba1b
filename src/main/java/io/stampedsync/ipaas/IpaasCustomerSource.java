package io.stampedsync.ipaas;

import io.stampedsync.outbound.ErrorCode;
import io.stampedsync.outbound.OutboundCallException;
import io.stampedsync.subscription.SubscriptionSettings;
import io.stampedsync.transfer.CustomerSource;
import io.stampedsync.transfer.IpaasCustomer;
import io.stampedsync.transfer.PayloadCustomerSource;
import io.stampedsync.transfer.TransferRequest;
import reactor.core.publisher.Mono;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.stereotype.Component;

/**
 * The customer of a transfer: parsed from the payload a bulk batch carried, or fetched
 * from iPaaS.com when the request names only the id (hooks, Manual Sync).
 */
@Component
class IpaasCustomerSource implements CustomerSource {

	static final String NO_IPAAS_SIDE = "subscription has no iPaaS.com side";

	private final PayloadCustomerSource payloads;

	private final IpaasClients clients;

	IpaasCustomerSource(JsonMapper json, IpaasClients clients) {
		this.payloads = new PayloadCustomerSource(json);
		this.clients = clients;
	}

	@Override
	public Mono<IpaasCustomer> customer(SubscriptionSettings settings, TransferRequest request) {
		if (request.payload() != null) {
			return this.payloads.customer(settings, request);
		}
		if (!settings.hasIpaasSide()) {
			return Mono.error(new OutboundCallException(ErrorCode.IPAAS_UNAVAILABLE, 0,
					ErrorCode.IPAAS_UNAVAILABLE.prefix() + ": " + NO_IPAAS_SIDE + " to fetch customer "
							+ request.ipaasCustomerId() + " from",
					null, null));
		}
		return Mono.defer(() -> this.clients.forSubscription(settings).customer(request.ipaasCustomerId()));
	}

}

package io.stampedsync.ipaas;

import io.stampedsync.outbound.OutboundCallException;
import io.stampedsync.subscription.SubscriptionSettings;
import io.stampedsync.transfer.IpaasCustomer;
import io.stampedsync.transfer.IpaasCustomer.ExternalId;
import io.stampedsync.transfer.LinkWriteBack;
import io.stampedsync.web.LogSafe;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;

import org.springframework.stereotype.Component;

/**
 * Writes the Stamped id of a transferred customer back to iPaaS.com (UpdateExternalId)
 * when the subscription has an iPaaS.com side, unless the customer's {@code external_ids}
 * already hold that id for the subscription's system. The client retries transient
 * failures; what still fails is logged and never changes the outcome of the transfer (the
 * Stamped.io side is done, and the next transfer writes again).
 */
@Component
class IpaasLinkWriteBack implements LinkWriteBack {

	private static final Logger logger = LoggerFactory.getLogger(IpaasLinkWriteBack.class);

	private final IpaasClients clients;

	IpaasLinkWriteBack(IpaasClients clients) {
		this.clients = clients;
	}

	@Override
	public Mono<Void> write(SubscriptionSettings settings, String ipaasCustomerId, String stampedCustomerId) {
		if (!settings.hasIpaasSide() || settings.ipaasSystemId() == null || stampedCustomerId == null) {
			return Mono.empty();
		}
		return Mono
			.defer(() -> this.clients.forSubscription(settings).updateExternalId(ipaasCustomerId, stampedCustomerId))
			.onErrorResume((ex) -> {
				warn(settings, ipaasCustomerId, ex);
				return Mono.empty();
			});
	}

	@Override
	public Mono<Void> write(SubscriptionSettings settings, IpaasCustomer customer, String stampedCustomerId) {
		if (alreadyLinked(customer, settings.ipaasSystemId(), stampedCustomerId)) {
			return Mono.empty();
		}
		return write(settings, customer.id(), stampedCustomerId);
	}

	static boolean alreadyLinked(IpaasCustomer customer, Long systemId, String stampedCustomerId) {
		if (systemId == null || stampedCustomerId == null) {
			return false;
		}
		for (ExternalId link : customer.externalIds()) {
			if (systemId.equals(link.systemId()) && link.externalId() != null
					&& stampedCustomerId.equals(link.externalId().trim())) {
				return true;
			}
		}
		return false;
	}

	private static void warn(SubscriptionSettings settings, String ipaasCustomerId, Throwable ex) {
		// Classified messages carry no secret; anything else is named by its type only.
		String why = (ex instanceof OutboundCallException outbound)
				? outbound.code() + " after " + outbound.attempts() + " attempt(s): " + outbound.getMessage()
				: ex.getClass().getSimpleName();
		// The customer id came from outside and may hold a line break.
		logger.warn("External id write-back to iPaaS.com failed for subscription {}, customer {}: {}", settings.id(),
				LogSafe.escape(ipaasCustomerId), LogSafe.escape(why));
	}

}

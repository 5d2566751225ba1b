package io.stampedsync.transfer;

import io.stampedsync.subscription.SubscriptionSettings;
import reactor.core.publisher.Mono;

/**
 * Tells iPaaS.com the Stamped id of a customer after a successful create or update. It
 * never fails the transfer: a failed write-back is retried and logged by the
 * implementation.
 */
public interface LinkWriteBack {

	Mono<Void> write(SubscriptionSettings settings, String ipaasCustomerId, String stampedCustomerId);

	/**
	 * The same, with the customer as iPaaS.com gave it, so that a link its
	 * {@code external_ids} already hold need not be written again.
	 */
	default Mono<Void> write(SubscriptionSettings settings, IpaasCustomer customer, String stampedCustomerId) {
		return write(settings, customer.id(), stampedCustomerId);
	}

}

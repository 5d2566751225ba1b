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

}

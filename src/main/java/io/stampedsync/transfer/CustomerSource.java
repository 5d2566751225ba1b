package io.stampedsync.transfer;

import io.stampedsync.subscription.SubscriptionSettings;
import reactor.core.publisher.Mono;

/**
 * Gives the iPaaS customer of a request: parsed from its payload, or fetched from
 * iPaaS.com when the request carries only the id (hooks, Manual Sync).
 */
public interface CustomerSource {

	Mono<IpaasCustomer> customer(SubscriptionSettings settings, TransferRequest request);

}

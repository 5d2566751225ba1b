package io.stampedsync.transfer;

import reactor.core.publisher.Mono;

/** Durable customer links, one per subscription and iPaaS customer. */
public interface LinkStore {

	Mono<CustomerLink> find(String subscriptionId, String ipaasCustomerId);

	/** Creates or replaces the link. */
	Mono<Void> save(CustomerLink link);

}

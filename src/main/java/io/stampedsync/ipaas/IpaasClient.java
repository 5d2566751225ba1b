package io.stampedsync.ipaas;

import io.stampedsync.transfer.IpaasCustomer;
import reactor.core.publisher.Mono;

/**
 * The iPaaS.com calls of one subscription (domain doc §3.6). Every attempt is paced by
 * the subscription's {@code ipaas} limiter; failures are
 * {@link io.stampedsync.outbound.OutboundCallException}s coded {@code IPAAS_NOT_FOUND},
 * {@code IPAAS_AUTH} or {@code IPAAS_UNAVAILABLE}.
 */
public interface IpaasClient {

	/** {@code GET /customers/v2/Customer/{id}}; an unknown id fails IPAAS_NOT_FOUND. */
	Mono<IpaasCustomer> customer(String ipaasCustomerId);

	/**
	 * {@code POST /customers/v2/External/UpdateExternalId}: records the Stamped id of the
	 * customer under the subscription's iPaaS system id.
	 */
	Mono<Void> updateExternalId(String ipaasCustomerId, String stampedCustomerId);

}

package io.stampedsync.journal;

import io.stampedsync.transfer.CustomerLink;

/** The key of a customer link: one per subscription and iPaaS customer. */
record LinkKey(String subscriptionId, String ipaasCustomerId) {

	static LinkKey of(CustomerLink link) {
		return new LinkKey(link.subscriptionId(), link.ipaasCustomerId());
	}

}

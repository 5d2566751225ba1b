package io.stampedsync.ipaas;

import io.stampedsync.subscription.SubscriptionSettings;

/** Gives the iPaaS.com client of a subscription. */
public interface IpaasClients {

	/**
	 * The client for these settings, built once per subscription and settings version.
	 * @throws IllegalArgumentException when the subscription has no iPaaS.com side
	 */
	IpaasClient forSubscription(SubscriptionSettings settings);

}

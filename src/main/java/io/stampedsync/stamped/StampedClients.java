package io.stampedsync.stamped;

import io.stampedsync.subscription.SubscriptionSettings;

/** Gives the Stamped.io client of a subscription. */
public interface StampedClients {

	/**
	 * The client for these settings: built once per subscription and settings version, so
	 * its connection pool is reused and replaced when the settings change.
	 */
	StampedClient forSubscription(SubscriptionSettings settings);

	/**
	 * The newest settings known for the subscription of {@code settings}: those, or newer
	 * ones saved since (a transfer whose keys were refused after a change follows them).
	 */
	default SubscriptionSettings latest(SubscriptionSettings settings) {
		return settings;
	}

}

package io.stampedsync.transfer;

import io.stampedsync.subscription.Secret;
import io.stampedsync.subscription.SubscriptionSettings;

final class TestSettings {

	static final long STAMPED_SYSTEM_ID = 4242L;

	private TestSettings() {
	}

	static SubscriptionSettings withStateField(String subscriptionStateField) {
		return new SubscriptionSettings("acme-eu", "https://stamped.io", "pubkey-1", Secret.of("key-1"), "270392", 500,
				60, 500, 60, 2, 10, "https://api.ipaas.com", Secret.of("token"), STAMPED_SYSTEM_ID, Secret.of("hook"),
				subscriptionStateField, 1);
	}

	static SubscriptionSettings withoutSystemId() {
		return new SubscriptionSettings("acme-eu", "https://stamped.io", "pubkey-1", Secret.of("key-1"), "270392", 500,
				60, 500, 60, 2, 10, null, null, null, null, null, 1);
	}

}

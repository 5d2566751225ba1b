package io.stampedsync.subscription;

import java.util.List;

import io.stampedsync.NamedEntryVariables;

/**
 * Makes {@code STAMPED_SYNC_SUBSCRIPTIONS_<ID>_<SETTING>} environment variables define
 * subscriptions. Ids cannot contain {@code _}, so {@code ACME_EU} is {@code acme-eu}.
 */
class SubscriptionEnvironmentVariables extends NamedEntryVariables {

	SubscriptionEnvironmentVariables() {
		super("stampedSyncSubscriptionsFromEnvironment", "STAMPED_SYNC_SUBSCRIPTIONS_",
				SubscriptionsProperties.PREFIX + ".subscriptions",
				List.of("api-url", "api-public-key", "api-private-key", "api-store-hash", "api-user", "api-password",
						"api-throttle-limit", "api-throttle-seconds", "ipaas-throttle-limit", "ipaas-throttle-seconds",
						"concurrent-connections", "concurrent-batch-executions", "ipaas-api-url", "ipaas-api-token",
						"ipaas-system-id", "webhook-api-key", "subscription-state-field"));
	}

}

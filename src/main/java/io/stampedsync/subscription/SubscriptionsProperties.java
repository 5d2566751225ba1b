package io.stampedsync.subscription;

import java.util.Map;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Subscriptions made by configuration: {@code stamped-sync.subscriptions.<id>.api-url}
 * and so on, or {@code STAMPED_SYNC_SUBSCRIPTIONS_<ID>_API_URL}. They are read-only
 * through the API. Other keys under {@code stamped-sync} belong to other features and are
 * ignored here.
 *
 * @param subscriptions the settings of each configured subscription, by id
 */
@ConfigurationProperties(SubscriptionsProperties.PREFIX)
public record SubscriptionsProperties(@DefaultValue Map<String, SubscriptionInput> subscriptions) {

	/** The root of every setting of the gateway. */
	public static final String PREFIX = "stamped-sync";

}

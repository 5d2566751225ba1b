package io.stampedsync.monitoring;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.springframework.stereotype.Component;

/**
 * The value of the {@code subscription} metric tag: the subscription id for the first
 * {@code max-tagged-subscriptions} seen, {@code other} after that, so a gateway with
 * thousands of subscriptions cannot blow up the metric registry (and Prometheus).
 */
@Component
class SubscriptionTags {

	static final String OTHER = "other";

	private static final String[] STATUS_CLASSES = { "1xx", "2xx", "3xx", "4xx", "5xx" };

	private final int max;

	private final Set<String> tagged = ConcurrentHashMap.newKeySet();

	SubscriptionTags(MonitoringProperties properties) {
		this.max = properties.maxTaggedSubscriptions();
	}

	String of(String subscriptionId) {
		if (subscriptionId == null) {
			return OTHER;
		}
		if (this.tagged.contains(subscriptionId)) {
			return subscriptionId;
		}
		// Slightly over the cap under a race is harmless: the bound is what matters.
		if (this.tagged.size() < this.max) {
			this.tagged.add(subscriptionId);
			return subscriptionId;
		}
		return OTHER;
	}

	/** HTTP status as a bounded tag: {@code 2xx}, {@code 4xx}, …, {@code none}. */
	static String statusClass(int status) {
		// From a table: a tag built per call is a string allocated per call.
		return (status >= 100 && status < 600) ? STATUS_CLASSES[status / 100 - 1] : "none";
	}

}

package io.stampedsync.subscription;

import java.util.List;

/**
 * Configured subscriptions that break the rules: the gateway refuses to start, naming
 * each subscription, property and rule, and no value.
 */
public class InvalidSubscriptionConfigurationException extends IllegalStateException {

	private final List<String> problems;

	InvalidSubscriptionConfigurationException(List<String> problems) {
		super("Invalid subscription settings in configuration:\n  - " + String.join("\n  - ", problems));
		this.problems = List.copyOf(problems);
	}

	/** One line per broken rule. */
	public List<String> problems() {
		return this.problems;
	}

}

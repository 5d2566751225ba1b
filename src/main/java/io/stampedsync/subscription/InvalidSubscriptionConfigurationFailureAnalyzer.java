package io.stampedsync.subscription;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/**
 * Turns invalid configured subscriptions into a short start-up report, not a stack trace.
 */
class InvalidSubscriptionConfigurationFailureAnalyzer
		extends AbstractFailureAnalyzer<InvalidSubscriptionConfigurationException> {

	@Override
	protected FailureAnalysis analyze(Throwable rootFailure, InvalidSubscriptionConfigurationException cause) {
		return new FailureAnalysis(cause.getMessage(),
				"Fix these settings (YAML under stamped-sync.subscriptions.<id> or STAMPED_SYNC_SUBSCRIPTIONS_<ID>_* "
						+ "environment variables), or remove the subscription from configuration.",
				cause);
	}

}

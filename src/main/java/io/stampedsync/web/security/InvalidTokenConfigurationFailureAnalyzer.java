package io.stampedsync.web.security;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/** Turns invalid API tokens into a short start-up report that names no secret. */
class InvalidTokenConfigurationFailureAnalyzer extends AbstractFailureAnalyzer<InvalidTokenConfigurationException> {

	@Override
	protected FailureAnalysis analyze(Throwable rootFailure, InvalidTokenConfigurationException cause) {
		return new FailureAnalysis(cause.getMessage(),
				"Fix these tokens (YAML under stamped-sync.security.tokens.<name> or "
						+ "STAMPED_SYNC_SECURITY_TOKENS_<NAME>_SECRET|_ROLE environment variables): "
						+ "each needs a role of admin, writer or reader and its own secret of at least "
						+ ApiTokens.MIN_SECRET_LENGTH + " characters.",
				cause);
	}

}

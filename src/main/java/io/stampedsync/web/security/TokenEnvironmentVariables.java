package io.stampedsync.web.security;

import java.util.List;

import io.stampedsync.NamedEntryVariables;

/**
 * Makes {@code STAMPED_SYNC_SECURITY_TOKENS_<NAME>_SECRET} and {@code …_ROLE} environment
 * variables define API tokens (a Kubernetes Secret supplies them): {@code CI_BOT} is the
 * token {@code ci-bot}.
 */
class TokenEnvironmentVariables extends NamedEntryVariables {

	TokenEnvironmentVariables() {
		super("stampedSyncTokensFromEnvironment", "STAMPED_SYNC_SECURITY_TOKENS_",
				ApiSecurityProperties.PREFIX + ".tokens", List.of("secret", "role", "subscriptions"));
	}

}

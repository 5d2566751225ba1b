package io.stampedsync.web.security;

import java.util.TreeMap;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.annotation.Profile;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * Prints the sandbox's demo API tokens at start, so that a first run can call the API
 * right away. Only in profile {@code sandbox}, whose tokens are public demo values from
 * {@code application-sandbox.yml}; real tokens are never printed.
 */
@Component
@Profile("sandbox")
class SandboxTokens {

	private static final Log log = LogFactory.getLog(SandboxTokens.class);

	private final ApiSecurityProperties properties;

	SandboxTokens(ApiSecurityProperties properties) {
		this.properties = properties;
	}

	@EventListener(ApplicationReadyEvent.class)
	void print() {
		StringBuilder lines = new StringBuilder(
				"Sandbox demo API tokens (public demo values from application-sandbox.yml, never use them in production):");
		new TreeMap<>(this.properties.tokens()).forEach((name, token) -> lines.append("\n  ")
			.append(token.role())
			.append(" (")
			.append(name)
			.append("): Authorization: Bearer ")
			.append(token.secret()));
		log.warn(lines);
	}

}

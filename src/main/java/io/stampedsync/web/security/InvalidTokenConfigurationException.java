package io.stampedsync.web.security;

import java.util.List;

/**
 * The configured API tokens break a rule; the gateway does not start. The message names
 * each token and rule, never a secret.
 */
public class InvalidTokenConfigurationException extends IllegalStateException {

	private final List<String> problems;

	InvalidTokenConfigurationException(List<String> problems) {
		super("Invalid API tokens in configuration:"
				+ String.join("", problems.stream().map((p) -> "\n  - " + p).toList()));
		this.problems = List.copyOf(problems);
	}

	/**
	 * One line per broken rule, e.g.
	 * {@code stamped-sync.security.tokens.ci.role must be …}.
	 */
	public List<String> problems() {
		return this.problems;
	}

}

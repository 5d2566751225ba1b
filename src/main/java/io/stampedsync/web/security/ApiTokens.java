package io.stampedsync.web.security;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

/**
 * The configured API tokens, checked once at start and kept only as SHA-256 digests. A
 * presented token is compared with every digest in constant time and without an early
 * exit, so neither the time nor the order of the tokens tells how close a guess was.
 */
public final class ApiTokens {

	private static final Log log = LogFactory.getLog(ApiTokens.class);

	/** Shortest accepted secret: long random strings are expected. */
	static final int MIN_SECRET_LENGTH = 16;

	private final List<Entry> entries;

	ApiTokens(Map<String, TokenProperties> tokens) {
		this.entries = List.copyOf(check(tokens));
		if (this.entries.isEmpty()) {
			log.warn("No API token is configured (" + ApiSecurityProperties.PREFIX
					+ ".tokens.<name>.secret|role): every /api/v1 call is refused with 401");
		}
		else {
			log.info("API tokens: " + this.entries.stream().map(ApiTokens::describe).toList());
		}
	}

	/** Whether no token is configured (the API then refuses every call). */
	boolean isEmpty() {
		return this.entries.isEmpty();
	}

	/** The caller {@code presented} stands for, or empty for an unknown value. */
	Optional<ApiPrincipal> resolve(String presented) {
		if (presented == null || presented.isEmpty()) {
			return Optional.empty();
		}
		byte[] digest = sha256(presented);
		Entry match = null;
		for (Entry entry : this.entries) {
			// No break: every digest is compared, whatever matched before.
			if (MessageDigest.isEqual(entry.digest(), digest)) {
				match = entry;
			}
		}
		return Optional.ofNullable(match)
			.map((entry) -> new ApiPrincipal(entry.name(), entry.role(), false, entry.scope()));
	}

	private static List<Entry> check(Map<String, TokenProperties> tokens) {
		List<String> problems = new ArrayList<>();
		List<Entry> entries = new ArrayList<>();
		Set<String> digests = new HashSet<>();
		new TreeMap<>(tokens).forEach((name, token) -> {
			String property = ApiSecurityProperties.PREFIX + ".tokens." + name;
			String secret = (token != null) ? token.secret() : null;
			Optional<ApiRole> role = (token != null) ? ApiRole.of(token.role()) : Optional.empty();
			if (role.isEmpty()) {
				problems.add(property + ".role must be admin, writer or reader");
			}
			if (secret == null || secret.isBlank()) {
				problems.add(property + ".secret is required");
			}
			else if (secret.length() < MIN_SECRET_LENGTH) {
				problems.add(property + ".secret must be at least " + MIN_SECRET_LENGTH + " characters");
			}
			else if (!digests.add(HexFormat.of().formatHex(sha256(secret)))) {
				problems.add(property + ".secret is the same as another token's secret");
			}
			else if (role.isPresent()) {
				entries.add(new Entry(name, role.get(), sha256(secret), SubscriptionScope.of(token.subscriptions())));
			}
			if (token != null && token.subscriptions() != null) {
				token.subscriptions()
					.stream()
					.map(String::trim)
					.filter((entry) -> !entry.isEmpty() && !SubscriptionScope.ENTRY.matcher(entry).matches())
					.forEach((entry) -> problems.add(property + ".subscriptions: '" + entry
							+ "' is neither a subscription id nor a prefix ending in *"));
			}
		});
		if (!problems.isEmpty()) {
			throw new InvalidTokenConfigurationException(problems);
		}
		return entries;
	}

	private static String describe(Entry entry) {
		String scope = entry.scope().isAll() ? "" : ", subscriptions " + entry.scope().patterns();
		return entry.name() + " (" + entry.role().tag() + scope + ")";
	}

	static byte[] sha256(String value) {
		try {
			return MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8));
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException("SHA-256 is part of every JDK", ex);
		}
	}

	private record Entry(String name, ApiRole role, byte[] digest, SubscriptionScope scope) {
	}

}

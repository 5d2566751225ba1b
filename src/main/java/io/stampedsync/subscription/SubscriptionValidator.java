package io.stampedsync.subscription;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

import io.stampedsync.web.FieldViolation;

import org.springframework.stereotype.Component;

/**
 * The one place where subscription settings are checked and normalised (DESIGN.md §3),
 * for configuration and API alike. Violations name the field and the rule, never the
 * value.
 */
@Component
public class SubscriptionValidator {

	/** Ids are path-safe and short: {@code acme-eu}. */
	public static final Pattern ID = Pattern.compile("[a-z0-9][a-z0-9-]{0,62}");

	static final Pattern STORE_HASH = Pattern.compile("[A-Za-z0-9_-]{1,64}");

	static final String REQUIRED = "required";

	static final String AT_LEAST_ONE = "must be at least 1";

	static final int MAX_FIELD_NAME = 100;

	/**
	 * Shortest webhook key, as for API tokens: hooks are open to the internet, and a
	 * short key is guessed.
	 */
	static final int MIN_WEBHOOK_KEY = 16;

	/** The ellipsis of {@link Secret#masked()}: no real key contains it. */
	static final String MASK = "…";

	private final UrlPolicy stampedUrls;

	private final UrlPolicy ipaasUrls;

	public SubscriptionValidator(UrlPolicyProperties urlPolicy) {
		this.stampedUrls = new UrlPolicy(urlPolicy.allowLoopbackUrls(), urlPolicy.stampedAllowedHosts(),
				UrlPolicyProperties.PREFIX + ".stamped-allowed-hosts");
		this.ipaasUrls = new UrlPolicy(urlPolicy.allowLoopbackUrls(), urlPolicy.ipaasAllowedHosts(),
				UrlPolicyProperties.PREFIX + ".ipaas-allowed-hosts");
	}

	/** Whether {@code id} can name a subscription. */
	public static boolean isValidId(String id) {
		return id != null && ID.matcher(id).matches();
	}

	/**
	 * Checks {@code input} and, when it passes, gives the normalised settings: strings
	 * trimmed, blanks treated as omitted, defaults applied, duplicates folded.
	 */
	public Result validate(String id, SubscriptionInput input, long version) {
		List<FieldViolation> violations = new ArrayList<>();
		if (!isValidId(id)) {
			violations.add(new FieldViolation("id", "must match " + ID.pattern()));
		}
		String apiUrl = url(this.stampedUrls, "apiUrl", input.apiUrl(), true, violations);
		String publicKey = required("apiPublicKey", input.apiPublicKey(), violations);
		if (publicKey != null && publicKey.chars().anyMatch((c) -> c == ':' || Character.isISOControl(c))) {
			violations.add(new FieldViolation("apiPublicKey", "must not contain ':' or control characters"));
		}
		String privateKey = required("apiPrivateKey", input.apiPrivateKey(), violations);
		String storeHash = required("apiStoreHash", input.apiStoreHash(), violations);
		if (storeHash != null && !STORE_HASH.matcher(storeHash).matches()) {
			violations.add(new FieldViolation("apiStoreHash", "must match " + STORE_HASH.pattern()));
		}
		duplicate("apiUser", input.apiUser(), "apiPublicKey", publicKey, violations);
		duplicate("apiPassword", input.apiPassword(), "apiPrivateKey", privateKey, violations);
		int apiLimit = range("apiThrottleLimit", input.apiThrottleLimit(), SubscriptionSettings.DEFAULT_THROTTLE_LIMIT,
				Integer.MAX_VALUE, violations);
		int apiSeconds = range("apiThrottleSeconds", input.apiThrottleSeconds(),
				SubscriptionSettings.DEFAULT_THROTTLE_SECONDS, Integer.MAX_VALUE, violations);
		int ipaasLimit = range("ipaasThrottleLimit", input.ipaasThrottleLimit(),
				SubscriptionSettings.DEFAULT_THROTTLE_LIMIT, Integer.MAX_VALUE, violations);
		int ipaasSeconds = range("ipaasThrottleSeconds", input.ipaasThrottleSeconds(),
				SubscriptionSettings.DEFAULT_THROTTLE_SECONDS, Integer.MAX_VALUE, violations);
		int connections = range("concurrentConnections", input.concurrentConnections(),
				SubscriptionSettings.DEFAULT_CONCURRENT_CONNECTIONS, 64, violations);
		int batches = range("concurrentBatchExecutions", input.concurrentBatchExecutions(),
				SubscriptionSettings.DEFAULT_CONCURRENT_BATCH_EXECUTIONS, 100, violations);
		String ipaasUrl = url(this.ipaasUrls, "ipaasApiUrl", input.ipaasApiUrl(), false, violations);
		String ipaasToken = trimmed(input.ipaasApiToken());
		Long systemId = input.ipaasSystemId();
		if (systemId != null && systemId <= 0) {
			violations.add(new FieldViolation("ipaasSystemId", "must be a positive number"));
		}
		if (input.ipaasApiUrl() != null && !input.ipaasApiUrl().isBlank()) {
			if (ipaasToken == null) {
				violations.add(new FieldViolation("ipaasApiToken", "required when ipaasApiUrl is set"));
			}
			if (systemId == null) {
				violations.add(new FieldViolation("ipaasSystemId", "required when ipaasApiUrl is set"));
			}
		}
		notMasked("apiPrivateKey", privateKey, violations);
		notMasked("apiPassword", input.apiPassword(), violations);
		notMasked("ipaasApiToken", ipaasToken, violations);
		notMasked("webhookApiKey", input.webhookApiKey(), violations);
		String webhookKey = trimmed(input.webhookApiKey());
		if (webhookKey != null && !webhookKey.contains(MASK) && webhookKey.length() < MIN_WEBHOOK_KEY) {
			violations.add(new FieldViolation("webhookApiKey", "must be at least " + MIN_WEBHOOK_KEY + " characters"));
		}
		String stateField = trimmed(input.subscriptionStateField());
		if (stateField != null
				&& (stateField.length() > MAX_FIELD_NAME || stateField.chars().anyMatch(Character::isISOControl))) {
			violations.add(new FieldViolation("subscriptionStateField",
					"must be at most " + MAX_FIELD_NAME + " characters without control characters"));
		}
		if (!violations.isEmpty()) {
			return new Result(null, List.copyOf(violations));
		}
		return new Result(new SubscriptionSettings(id, apiUrl, publicKey, Secret.of(privateKey), storeHash, apiLimit,
				apiSeconds, ipaasLimit, ipaasSeconds, connections, batches, ipaasUrl, Secret.of(ipaasToken), systemId,
				Secret.of(webhookKey), stateField, version), List.of());
	}

	private static String url(UrlPolicy policy, String field, String value, boolean required,
			List<FieldViolation> violations) {
		String url = required ? required(field, value, violations) : trimmed(value);
		if (url == null) {
			return null;
		}
		String broken = policy.check(url);
		if (broken != null) {
			violations.add(new FieldViolation(field, broken));
			return null;
		}
		return UrlPolicy.normalise(url);
	}

	private static String required(String field, String value, List<FieldViolation> violations) {
		String result = trimmed(value);
		if (result == null) {
			violations.add(new FieldViolation(field, REQUIRED));
		}
		return result;
	}

	/**
	 * The iPaaS.com settings page shows each key twice; a differing copy is a mistake the
	 * operator must see, and neither value may be echoed.
	 */
	private static void duplicate(String field, String value, String original, String originalValue,
			List<FieldViolation> violations) {
		String copy = trimmed(value);
		if (copy != null && originalValue != null && !Objects.equals(copy, originalValue)) {
			violations.add(new FieldViolation(field, "must equal " + original + " (omit it to copy " + original + ")"));
		}
	}

	/** A masked secret sent back on a create would otherwise become the key itself. */
	private static void notMasked(String field, String value, List<FieldViolation> violations) {
		if (value != null && value.contains(MASK)) {
			violations.add(new FieldViolation(field, "must be the clear value, not the masked one"));
		}
	}

	private static int range(String field, Integer value, int defaultValue, int max, List<FieldViolation> violations) {
		if (value == null) {
			return defaultValue;
		}
		if (value < 1 || value > max) {
			violations.add(new FieldViolation(field,
					(max == Integer.MAX_VALUE) ? AT_LEAST_ONE : "must be between 1 and " + max));
		}
		return value;
	}

	private static String trimmed(String value) {
		return (value == null || value.isBlank()) ? null : value.trim();
	}

	/**
	 * The outcome of a validation: settings when valid, otherwise the violations.
	 *
	 * @param settings the normalised settings, or {@code null}
	 * @param violations the broken rules, empty when valid
	 */
	public record Result(SubscriptionSettings settings, List<FieldViolation> violations) {

		public boolean valid() {
			return this.violations.isEmpty();
		}

	}

}

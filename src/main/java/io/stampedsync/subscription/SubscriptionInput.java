package io.stampedsync.subscription;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

import io.stampedsync.web.FieldViolation;

/**
 * The settings of one subscription as an operator writes them (DESIGN.md §3): a PUT body
 * or {@code stamped-sync.subscriptions.<id>.*} in configuration. Everything is optional
 * here; {@link SubscriptionValidator} applies the rules and defaults.
 *
 * @param apiUrl Stamped.io base URL, e.g. {@code https://stamped.io}
 * @param apiPublicKey Stamped.io public key (Basic-auth user)
 * @param apiPrivateKey Stamped.io private key (Basic-auth password), secret
 * @param apiStoreHash Stamped.io store hash
 * @param apiUser duplicate of the public key: omitted means copied
 * @param apiPassword duplicate of the private key: omitted means copied, secret
 * @param apiThrottleLimit calls to Stamped.io per window (default 500)
 * @param apiThrottleSeconds the Stamped.io window in seconds (default 60)
 * @param ipaasThrottleLimit calls to iPaaS.com per window (default 500)
 * @param ipaasThrottleSeconds the iPaaS.com window in seconds (default 60)
 * @param concurrentConnections calls in flight to the store at most (default 2)
 * @param concurrentBatchExecutions batches running at once (default 10)
 * @param ipaasApiUrl iPaaS.com base URL, optional
 * @param ipaasApiToken iPaaS.com bearer token, secret, required with an iPaaS URL
 * @param ipaasSystemId iPaaS.com system id of the Stamped.io subscription
 * @param webhookApiKey key that authenticates iPaaS.com hooks, secret
 * @param subscriptionStateField iPaaS custom field holding the survey subscription state
 */
public record SubscriptionInput(String apiUrl, String apiPublicKey, String apiPrivateKey, String apiStoreHash,
		String apiUser, String apiPassword, Integer apiThrottleLimit, Integer apiThrottleSeconds,
		Integer ipaasThrottleLimit, Integer ipaasThrottleSeconds, Integer concurrentConnections,
		Integer concurrentBatchExecutions, String ipaasApiUrl, String ipaasApiToken, Long ipaasSystemId,
		String webhookApiKey, String subscriptionStateField) {

	private static final String RESEND = "must be sent again: ";

	/**
	 * This input with every omitted ({@code null}) secret taken from {@code current}, so
	 * that a replace need not resend keys. A secret sent back in its masked form (a GET
	 * edited and PUT back) counts as omitted. An empty string stays: it clears an
	 * optional secret.
	 */
	SubscriptionInput withSecretsFrom(SubscriptionSettings current) {
		if (current != null && !secretsNotResent(current).isEmpty()) {
			// Never carry a key over to another server, even if a caller skipped the
			// check.
			return this;
		}
		if (current == null) {
			return this;
		}
		String privateKey = keep(this.apiPrivateKey, current.apiPrivateKey());
		String password = isMaskOf(this.apiPassword, current.apiPrivateKey()) ? null : this.apiPassword;
		return new SubscriptionInput(this.apiUrl, this.apiPublicKey, privateKey, this.apiStoreHash, this.apiUser,
				password, this.apiThrottleLimit, this.apiThrottleSeconds, this.ipaasThrottleLimit,
				this.ipaasThrottleSeconds, this.concurrentConnections, this.concurrentBatchExecutions, this.ipaasApiUrl,
				keep(this.ipaasApiToken, current.ipaasApiToken()), this.ipaasSystemId,
				keep(this.webhookApiKey, current.webhookApiKey()), this.subscriptionStateField);
	}

	/**
	 * The secrets a replace must resend because a URL now names another server: kept,
	 * they would be sent to a host that was never given them.
	 */
	List<FieldViolation> secretsNotResent(SubscriptionSettings current) {
		if (current == null) {
			return List.of();
		}
		List<FieldViolation> violations = new ArrayList<>();
		if (current.apiPrivateKey() != null && UrlPolicy.otherServer(current.apiUrl(), this.apiUrl)
				&& !resent(this.apiPrivateKey, current.apiPrivateKey())) {
			violations.add(new FieldViolation("apiPrivateKey", RESEND + "apiUrl names another host"));
		}
		if (current.ipaasApiToken() != null && UrlPolicy.otherServer(current.ipaasApiUrl(), this.ipaasApiUrl)
				&& !resent(this.ipaasApiToken, current.ipaasApiToken())) {
			violations.add(new FieldViolation("ipaasApiToken", RESEND + "ipaasApiUrl names another host"));
		}
		return violations;
	}

	private static boolean resent(String sent, Secret current) {
		return sent != null && !sent.isBlank() && !isMaskOf(sent, current);
	}

	private static String keep(String sent, Secret current) {
		return (sent == null || isMaskOf(sent, current)) && current != null ? current.reveal() : sent;
	}

	private static boolean isMaskOf(String sent, Secret current) {
		return sent != null && current != null && sent.trim().equals(current.masked());
	}

	/** Secrets masked, like everywhere else. */
	@Override
	public String toString() {
		Function<String, Object> mask = (value) -> (value != null) ? Secret.of(value) : null;
		return "SubscriptionInput[apiUrl=" + this.apiUrl + ", apiPublicKey=" + this.apiPublicKey + ", apiPrivateKey="
				+ mask.apply(this.apiPrivateKey) + ", apiStoreHash=" + this.apiStoreHash + ", apiUser=" + this.apiUser
				+ ", apiPassword=" + mask.apply(this.apiPassword) + ", apiThrottleLimit=" + this.apiThrottleLimit
				+ ", apiThrottleSeconds=" + this.apiThrottleSeconds + ", ipaasThrottleLimit=" + this.ipaasThrottleLimit
				+ ", ipaasThrottleSeconds=" + this.ipaasThrottleSeconds + ", concurrentConnections="
				+ this.concurrentConnections + ", concurrentBatchExecutions=" + this.concurrentBatchExecutions
				+ ", ipaasApiUrl=" + this.ipaasApiUrl + ", ipaasApiToken=" + mask.apply(this.ipaasApiToken)
				+ ", ipaasSystemId=" + this.ipaasSystemId + ", webhookApiKey=" + mask.apply(this.webhookApiKey)
				+ ", subscriptionStateField=" + this.subscriptionStateField + "]";
	}

}

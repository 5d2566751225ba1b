package io.stampedsync.subscription;

/**
 * A subscription as the API shows it: every setting under its JSON name, secrets masked
 * (they serialise as {@link Secret#masked()}), plus where it comes from and its version.
 *
 * @param id the subscription id
 * @param source {@code config} (read-only) or {@code api}
 * @param version increases with every change
 * @param apiUrl see {@link SubscriptionInput}
 * @param apiPublicKey see {@link SubscriptionInput}
 * @param apiPrivateKey masked
 * @param apiStoreHash see {@link SubscriptionInput}
 * @param apiUser always equal to apiPublicKey
 * @param apiPassword always equal to apiPrivateKey, masked
 * @param apiThrottleLimit see {@link SubscriptionInput}
 * @param apiThrottleSeconds see {@link SubscriptionInput}
 * @param ipaasThrottleLimit see {@link SubscriptionInput}
 * @param ipaasThrottleSeconds see {@link SubscriptionInput}
 * @param concurrentConnections see {@link SubscriptionInput}
 * @param concurrentBatchExecutions see {@link SubscriptionInput}
 * @param ipaasApiUrl see {@link SubscriptionInput}
 * @param ipaasApiToken masked
 * @param ipaasSystemId see {@link SubscriptionInput}
 * @param webhookApiKey masked
 * @param subscriptionStateField see {@link SubscriptionInput}
 */
public record SubscriptionView(String id, SubscriptionSource source, long version, String apiUrl, String apiPublicKey,
		Secret apiPrivateKey, String apiStoreHash, String apiUser, Secret apiPassword, int apiThrottleLimit,
		int apiThrottleSeconds, int ipaasThrottleLimit, int ipaasThrottleSeconds, int concurrentConnections,
		int concurrentBatchExecutions, String ipaasApiUrl, Secret ipaasApiToken, Long ipaasSystemId,
		Secret webhookApiKey, String subscriptionStateField) {

	public static SubscriptionView of(SubscriptionSettings settings, SubscriptionSource source) {
		return new SubscriptionView(settings.id(), source, settings.version(), settings.apiUrl(),
				settings.apiPublicKey(), settings.apiPrivateKey(), settings.apiStoreHash(), settings.apiPublicKey(),
				settings.apiPrivateKey(), settings.apiThrottleLimit(), settings.apiThrottleSeconds(),
				settings.ipaasThrottleLimit(), settings.ipaasThrottleSeconds(), settings.concurrentConnections(),
				settings.concurrentBatchExecutions(), settings.ipaasApiUrl(), settings.ipaasApiToken(),
				settings.ipaasSystemId(), settings.webhookApiKey(), settings.subscriptionStateField());
	}

}

package io.stampedsync.subscription;

/**
 * The JSON of the {@code subscription.settings} column. Secrets are stored in clear: the
 * journal is the gateway's own store and the gateway must send them again after a
 * restart, so the data directory must be protected like the keys themselves
 * (docs/security.md).
 */
record StoredSettings(String apiUrl, String apiPublicKey, String apiPrivateKey, String apiStoreHash,
		int apiThrottleLimit, int apiThrottleSeconds, int ipaasThrottleLimit, int ipaasThrottleSeconds,
		int concurrentConnections, int concurrentBatchExecutions, String ipaasApiUrl, String ipaasApiToken,
		Long ipaasSystemId, String webhookApiKey, String subscriptionStateField) {

	static StoredSettings of(SubscriptionSettings settings) {
		return new StoredSettings(settings.apiUrl(), settings.apiPublicKey(), reveal(settings.apiPrivateKey()),
				settings.apiStoreHash(), settings.apiThrottleLimit(), settings.apiThrottleSeconds(),
				settings.ipaasThrottleLimit(), settings.ipaasThrottleSeconds(), settings.concurrentConnections(),
				settings.concurrentBatchExecutions(), settings.ipaasApiUrl(), reveal(settings.ipaasApiToken()),
				settings.ipaasSystemId(), reveal(settings.webhookApiKey()), settings.subscriptionStateField());
	}

	SubscriptionSettings toSettings(String id, long version) {
		return new SubscriptionSettings(id, this.apiUrl, this.apiPublicKey, Secret.of(this.apiPrivateKey),
				this.apiStoreHash, this.apiThrottleLimit, this.apiThrottleSeconds, this.ipaasThrottleLimit,
				this.ipaasThrottleSeconds, this.concurrentConnections, this.concurrentBatchExecutions, this.ipaasApiUrl,
				Secret.of(this.ipaasApiToken), this.ipaasSystemId, Secret.of(this.webhookApiKey),
				this.subscriptionStateField, version);
	}

	private static String reveal(Secret secret) {
		return (secret != null) ? secret.reveal() : null;
	}

	@Override
	public String toString() {
		return "StoredSettings[apiUrl=" + this.apiUrl + ", secrets hidden]";
	}

}

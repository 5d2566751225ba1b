package io.stampedsync.subscription;

/** Test inputs: a valid minimal subscription, changed one setting at a time. */
class SubscriptionInputBuilder {

	private String apiUrl = "https://stamped.io";

	private String apiPublicKey = "pubkey-1";

	private String apiPrivateKey = SubscriptionValidatorTests.PRIVATE_KEY;

	private String apiStoreHash = "270392";

	private String apiUser;

	private String apiPassword;

	private Integer apiThrottleLimit;

	private Integer apiThrottleSeconds;

	private Integer ipaasThrottleLimit;

	private Integer ipaasThrottleSeconds;

	private Integer concurrentConnections;

	private Integer concurrentBatchExecutions;

	private String ipaasApiUrl;

	private String ipaasApiToken;

	private Long ipaasSystemId;

	private String webhookApiKey;

	private String subscriptionStateField;

	SubscriptionInputBuilder apiUrl(String value) {
		this.apiUrl = value;
		return this;
	}

	SubscriptionInputBuilder apiPublicKey(String value) {
		this.apiPublicKey = value;
		return this;
	}

	SubscriptionInputBuilder apiPrivateKey(String value) {
		this.apiPrivateKey = value;
		return this;
	}

	SubscriptionInputBuilder apiStoreHash(String value) {
		this.apiStoreHash = value;
		return this;
	}

	SubscriptionInputBuilder apiUser(String value) {
		this.apiUser = value;
		return this;
	}

	SubscriptionInputBuilder apiPassword(String value) {
		this.apiPassword = value;
		return this;
	}

	SubscriptionInputBuilder apiThrottleLimit(Integer value) {
		this.apiThrottleLimit = value;
		return this;
	}

	SubscriptionInputBuilder apiThrottleSeconds(Integer value) {
		this.apiThrottleSeconds = value;
		return this;
	}

	SubscriptionInputBuilder ipaasThrottleLimit(Integer value) {
		this.ipaasThrottleLimit = value;
		return this;
	}

	SubscriptionInputBuilder ipaasThrottleSeconds(Integer value) {
		this.ipaasThrottleSeconds = value;
		return this;
	}

	SubscriptionInputBuilder concurrentConnections(Integer value) {
		this.concurrentConnections = value;
		return this;
	}

	SubscriptionInputBuilder concurrentBatchExecutions(Integer value) {
		this.concurrentBatchExecutions = value;
		return this;
	}

	SubscriptionInputBuilder ipaasApiUrl(String value) {
		this.ipaasApiUrl = value;
		return this;
	}

	SubscriptionInputBuilder ipaasApiToken(String value) {
		this.ipaasApiToken = value;
		return this;
	}

	SubscriptionInputBuilder ipaasSystemId(Long value) {
		this.ipaasSystemId = value;
		return this;
	}

	SubscriptionInputBuilder webhookApiKey(String value) {
		this.webhookApiKey = value;
		return this;
	}

	SubscriptionInputBuilder subscriptionStateField(String value) {
		this.subscriptionStateField = value;
		return this;
	}

	SubscriptionInput build() {
		return new SubscriptionInput(this.apiUrl, this.apiPublicKey, this.apiPrivateKey, this.apiStoreHash,
				this.apiUser, this.apiPassword, this.apiThrottleLimit, this.apiThrottleSeconds, this.ipaasThrottleLimit,
				this.ipaasThrottleSeconds, this.concurrentConnections, this.concurrentBatchExecutions, this.ipaasApiUrl,
				this.ipaasApiToken, this.ipaasSystemId, this.webhookApiKey, this.subscriptionStateField);
	}

}

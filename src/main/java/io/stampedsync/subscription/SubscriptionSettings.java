package io.stampedsync.subscription;

/**
 * One subscription: the connection to one Stamped.io store plus its iPaaS.com side
 * (DESIGN.md §3). Already validated and normalised: the duplicate API User / API Password
 * fields are folded into the keys, defaults are applied. Secrets are {@link Secret}s, so
 * {@link #toString()} never shows them.
 *
 * @param id short id chosen by the operator ({@code acme-eu})
 * @param apiUrl Stamped.io base URL, e.g. {@code https://stamped.io}
 * @param apiPublicKey Basic-auth user name
 * @param apiPrivateKey Basic-auth password
 * @param apiStoreHash store identifier placed in every Stamped.io path
 * @param apiThrottleLimit L: calls to Stamped.io per window
 * @param apiThrottleSeconds W: the window, in seconds
 * @param ipaasThrottleLimit calls to iPaaS.com per window
 * @param ipaasThrottleSeconds that window, in seconds
 * @param concurrentConnections calls in flight to the store at most (1..64)
 * @param concurrentBatchExecutions batches of this subscription running at once (1..100)
 * @param ipaasApiUrl iPaaS.com base URL, or {@code null} when there is no iPaaS side
 * @param ipaasApiToken bearer token for iPaaS.com
 * @param ipaasSystemId id under which iPaaS.com stores Stamped external ids
 * @param webhookApiKey key that authenticates iPaaS.com hook deliveries
 * @param subscriptionStateField name of the iPaaS custom field that holds the desired
 * survey subscription state, or {@code null}: do not reconcile
 * @param version increases with every change, so caches can tell stale settings
 */
public record SubscriptionSettings(String id, String apiUrl, String apiPublicKey, Secret apiPrivateKey,
		String apiStoreHash, int apiThrottleLimit, int apiThrottleSeconds, int ipaasThrottleLimit,
		int ipaasThrottleSeconds, int concurrentConnections, int concurrentBatchExecutions, String ipaasApiUrl,
		Secret ipaasApiToken, Long ipaasSystemId, Secret webhookApiKey, String subscriptionStateField, long version) {

	public static final int DEFAULT_THROTTLE_LIMIT = 500;

	public static final int DEFAULT_THROTTLE_SECONDS = 60;

	public static final int DEFAULT_CONCURRENT_CONNECTIONS = 2;

	public static final int DEFAULT_CONCURRENT_BATCH_EXECUTIONS = 10;

	/** Whether this subscription has an iPaaS.com side to read from and write back to. */
	public boolean hasIpaasSide() {
		return this.ipaasApiUrl != null && this.ipaasApiToken != null;
	}

}

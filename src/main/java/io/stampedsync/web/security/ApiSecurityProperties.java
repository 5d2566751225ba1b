package io.stampedsync.web.security;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import jakarta.validation.constraints.Min;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;
import org.springframework.validation.annotation.Validated;

/**
 * Who may call the inbound API and how much a caller may send or hold open
 * ({@code stamped-sync.security.*}; the outbound URL allow-list under the same prefix is
 * {@code subscription.UrlPolicyProperties}). Tokens are checked by {@link ApiTokens}
 * instead of Bean Validation, whose failure report would print the rejected secret.
 *
 * @param tokens the Bearer tokens of the API by name; none configured means every
 * {@code /api/v1} call is refused with 401
 * @param sessionTtl how long a browser session cookie stays valid after login
 * @param loginFailuresPerMinute failed authentications (logins, Bearer tokens, webhook
 * keys) one client address may make per minute before its further calls get 429
 * @param trustedProxies addresses or CIDR ranges of the proxies in front of the gateway
 * (an ingress); only from these is {@code X-Forwarded-For} believed for the client
 * address; empty (the default) means the TCP peer is the client
 * @param maxBatchBodyBytes largest batch body ({@code POST …/batches}); more → 413
 * @param maxJsonBodyBytes largest body of every other {@code /api/v1} call; more → 413
 * @param maxSsePerToken event streams one token (or its sessions) may hold open at once;
 * one more → 429
 */
@Validated
@ConfigurationProperties(ApiSecurityProperties.PREFIX)
public record ApiSecurityProperties(Map<String, TokenProperties> tokens, @DefaultValue("8h") Duration sessionTtl,
		@DefaultValue("10") @Min(1) int loginFailuresPerMinute, @DefaultValue("1GB") DataSize maxBatchBodyBytes,
		@DefaultValue("256KB") DataSize maxJsonBodyBytes, @DefaultValue("20") @Min(1) int maxSsePerToken,
		List<String> trustedProxies) {

	/** Shared with {@code subscription.UrlPolicyProperties}. */
	public static final String PREFIX = "stamped-sync.security";

	public ApiSecurityProperties {
		tokens = (tokens != null) ? Map.copyOf(tokens) : Map.of();
		trustedProxies = (trustedProxies != null) ? List.copyOf(trustedProxies) : List.of();
		if (sessionTtl.isNegative() || sessionTtl.isZero()) {
			throw new IllegalArgumentException(PREFIX + ".session-ttl must be positive");
		}
		if (maxBatchBodyBytes.toBytes() < 1 || maxJsonBodyBytes.toBytes() < 1) {
			throw new IllegalArgumentException(
					PREFIX + ".max-batch-body-bytes and " + PREFIX + ".max-json-body-bytes must be positive");
		}
	}

	@Override
	public String toString() {
		// The record's own toString would print every secret.
		return "ApiSecurityProperties[tokens=" + this.tokens.keySet() + ", sessionTtl=" + this.sessionTtl + "]";
	}

}

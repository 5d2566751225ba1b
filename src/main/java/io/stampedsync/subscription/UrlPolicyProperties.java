package io.stampedsync.subscription;

import java.util.List;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Which hosts a subscription may send calls (and credentials) to, so that settings
 * written through the API cannot point the gateway at an arbitrary server.
 *
 * @param allowLoopbackUrls whether {@code apiUrl} and {@code ipaasApiUrl} may name a
 * loopback host ({@code localhost}, {@code 127.0.0.0/8}, {@code ::1}), over http or
 * https; for the sandbox and tests only
 * @param allowedHosts hosts that {@code apiUrl} and {@code ipaasApiUrl} may name; a
 * leading {@code *.} matches any subdomain (but not the domain itself)
 */
@ConfigurationProperties(UrlPolicyProperties.PREFIX)
public record UrlPolicyProperties(@DefaultValue("false") boolean allowLoopbackUrls, @DefaultValue( {
		"stamped.io", "*.stamped.io", "*.ipaas.com" }) List<String> allowedHosts){

	/** Shared with the other security settings of the gateway. */
	public static final String PREFIX = "stamped-sync.security";

}

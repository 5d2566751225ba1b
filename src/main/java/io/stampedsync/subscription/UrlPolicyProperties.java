package io.stampedsync.subscription;

import java.util.List;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Which hosts a subscription may send calls (and credentials) to, so that settings
 * written through the API cannot point the gateway at an arbitrary server. Each direction
 * has its own list, so that a Stamped.io key is never sent to an iPaaS.com host nor the
 * other way round.
 *
 * @param allowLoopbackUrls whether {@code apiUrl} and {@code ipaasApiUrl} may name a
 * loopback host ({@code localhost}, {@code 127.0.0.0/8}, {@code ::1}), over http or
 * https; for the sandbox and tests only
 * @param stampedAllowedHosts hosts that {@code apiUrl} may name; a leading {@code *.}
 * matches any subdomain (but not the domain itself)
 * @param ipaasAllowedHosts hosts that {@code ipaasApiUrl} may name, same form
 * @param allowedHosts the former single list for both directions: refused at start, so
 * that a configuration written for it is not silently ignored
 */
@ConfigurationProperties(UrlPolicyProperties.PREFIX)
public record UrlPolicyProperties(@DefaultValue("false") boolean allowLoopbackUrls, @DefaultValue( {
		"stamped.io", "*.stamped.io" }) List<String> stampedAllowedHosts,
		@DefaultValue("*.ipaas.com") List<String> ipaasAllowedHosts, List<String> allowedHosts){

	/** Shared with the other security settings of the gateway. */
	public static final String PREFIX = "stamped-sync.security";

	public UrlPolicyProperties {
		if (allowedHosts != null) {
			throw new IllegalArgumentException(PREFIX + ".allowed-hosts is replaced by " + PREFIX
					+ ".stamped-allowed-hosts (apiUrl) and " + PREFIX + ".ipaas-allowed-hosts (ipaasApiUrl)");
		}
	}

}

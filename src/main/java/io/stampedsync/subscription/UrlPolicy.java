package io.stampedsync.subscription;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * The rules of {@code apiUrl} and {@code ipaasApiUrl}: absolute https URLs to an allowed
 * host; http and loopback hosts only when {@link UrlPolicyProperties#allowLoopbackUrls()}
 * is on. Hosts are compared by name, never resolved.
 */
final class UrlPolicy {

	static final String NOT_ABSOLUTE = "must be an absolute https URL";

	static final String HTTP_NOT_ALLOWED = "must use https (http only for loopback hosts with "
			+ "stamped-sync.security.allow-loopback-urls=true)";

	static final String NOT_A_BASE = "must not contain user info, a query or a fragment";

	static final String LOOPBACK_NOT_ALLOWED = "loopback host needs stamped-sync.security.allow-loopback-urls=true";

	private static final Pattern IPV4_LOOPBACK = Pattern.compile("127(\\.\\d{1,3}){3}");

	private final boolean allowLoopback;

	static final String BAD_PORT = "port must be between 1 and 65535";

	private final List<String> allowedHosts;

	private final String property;

	/**
	 * The policy of one direction: {@code allowedHosts} from {@code property} (named in
	 * violations).
	 */
	UrlPolicy(boolean allowLoopback, List<String> allowedHosts, String property) {
		this.allowLoopback = allowLoopback;
		this.property = property;
		this.allowedHosts = allowedHosts.stream().map((host) -> host.trim().toLowerCase(Locale.ROOT)).toList();
	}

	/** The broken rule of {@code url} (already trimmed, not blank), or {@code null}. */
	String check(String url) {
		URI uri;
		try {
			uri = new URI(url);
		}
		catch (URISyntaxException ex) {
			return NOT_ABSOLUTE;
		}
		String scheme = (uri.getScheme() != null) ? uri.getScheme().toLowerCase(Locale.ROOT) : null;
		if (!uri.isAbsolute() || uri.isOpaque() || uri.getHost() == null
				|| !("https".equals(scheme) || "http".equals(scheme))) {
			return NOT_ABSOLUTE;
		}
		if (uri.getRawUserInfo() != null || uri.getRawQuery() != null || uri.getRawFragment() != null) {
			return NOT_A_BASE;
		}
		if (uri.getPort() == 0 || uri.getPort() > 65535) {
			return BAD_PORT;
		}
		String host = uri.getHost().toLowerCase(Locale.ROOT);
		if (isLoopback(host)) {
			return this.allowLoopback ? null : LOOPBACK_NOT_ALLOWED;
		}
		if (!"https".equals(scheme)) {
			return HTTP_NOT_ALLOWED;
		}
		return isAllowed(host) ? null : "host must match " + this.property + " " + this.allowedHosts;
	}

	/** The URL as clients use it: without trailing slashes, so paths can be appended. */
	static String normalise(String url) {
		String result = url;
		while (result.endsWith("/")) {
			result = result.substring(0, result.length() - 1);
		}
		return result;
	}

	/**
	 * Whether {@code after} names another server than {@code before} (host or port): a
	 * secret kept from {@code before} must not follow it. Unreadable URLs count as
	 * unchanged; the validator refuses them anyway.
	 */
	static boolean otherServer(String before, String after) {
		if (after == null || after.isBlank()) {
			return false;
		}
		if (before == null || before.isBlank()) {
			return true;
		}
		try {
			URI was = new URI(before.trim());
			URI is = new URI(after.trim());
			return was.getHost() == null || is.getHost() == null || !was.getHost().equalsIgnoreCase(is.getHost())
					|| port(was) != port(is);
		}
		catch (URISyntaxException ex) {
			return false;
		}
	}

	private static int port(URI uri) {
		if (uri.getPort() != -1) {
			return uri.getPort();
		}
		return "http".equalsIgnoreCase(uri.getScheme()) ? 80 : 443;
	}

	static boolean isLoopback(String host) {
		return "localhost".equals(host) || "[::1]".equals(host) || IPV4_LOOPBACK.matcher(host).matches();
	}

	private boolean isAllowed(String host) {
		for (String allowed : this.allowedHosts) {
			if (allowed.startsWith("*.") ? host.endsWith(allowed.substring(1)) : host.equals(allowed)) {
				return true;
			}
		}
		return false;
	}

}

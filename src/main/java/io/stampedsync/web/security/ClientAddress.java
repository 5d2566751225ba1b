package io.stampedsync.web.security;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.List;

import org.springframework.http.server.reactive.ServerHttpRequest;

/**
 * The address a request comes from, as the failed-authentication throttle keys on it: the
 * TCP peer, unless the peer is a trusted proxy ({@code trusted-proxies}); then the
 * nearest address of {@code X-Forwarded-For} that is not a trusted proxy, read from the
 * right, because only the entries our own proxies appended can be believed (a client
 * writes whatever it likes on the left). With no trusted proxy, forwarded headers are
 * ignored, so a client cannot pick its own address.
 */
final class ClientAddress {

	static final String FORWARDED_FOR = "X-Forwarded-For";

	private final List<Range> trusted;

	ClientAddress(List<String> trustedProxies) {
		this.trusted = trustedProxies.stream().map(String::trim).map(Range::of).toList();
	}

	/** The client's address: an IP address, or {@code unknown}. */
	String of(ServerHttpRequest request) {
		String peer = peer(request);
		if (!isTrusted(peer)) {
			return peer;
		}
		List<String> hops = request.getHeaders().getValuesAsList(FORWARDED_FOR);
		String client = peer;
		for (int i = hops.size() - 1; i >= 0; i--) {
			String hop = hops.get(i).trim();
			if (!isAddress(hop)) {
				// A malformed entry ends what can be believed; the last good hop stands.
				break;
			}
			client = hop;
			if (!isTrusted(hop)) {
				break;
			}
		}
		return client;
	}

	private boolean isTrusted(String address) {
		if (this.trusted.isEmpty() || !isAddress(address)) {
			return false;
		}
		byte[] bytes = bytes(address);
		return this.trusted.stream().anyMatch((range) -> range.contains(bytes));
	}

	/**
	 * Literal IPv4 or IPv6 only: never a host name, which would be resolved on the event
	 * loop.
	 */
	static boolean isAddress(String value) {
		if (value == null || value.isEmpty() || value.length() > 45) {
			return false;
		}
		if (value.indexOf(':') >= 0) {
			return value.chars().allMatch((c) -> Character.digit(c, 16) >= 0 || c == ':' || c == '.');
		}
		return value.matches("(\\d{1,3}\\.){3}\\d{1,3}");
	}

	private static String peer(ServerHttpRequest request) {
		InetSocketAddress remote = request.getRemoteAddress();
		if (remote == null || remote.getAddress() == null) {
			return "unknown";
		}
		return remote.getAddress().getHostAddress();
	}

	/** The bytes of a literal address (checked by {@link #isAddress}: no lookup). */
	private static byte[] bytes(String literal) {
		try {
			return InetAddress.getByName(literal).getAddress();
		}
		catch (UnknownHostException ex) {
			return new byte[0];
		}
	}

	/** An address or CIDR range of trusted proxies: {@code 10.0.0.0/8}, {@code ::1}. */
	private record Range(byte[] network, int bits) {

		static Range of(String cidr) {
			int slash = cidr.indexOf('/');
			String address = (slash < 0) ? cidr : cidr.substring(0, slash);
			if (!isAddress(address)) {
				throw new IllegalArgumentException(
						ApiSecurityProperties.PREFIX + ".trusted-proxies: not an IP address or CIDR range: " + cidr);
			}
			byte[] network = bytes(address);
			int bits = (slash < 0) ? network.length * 8 : Integer.parseInt(cidr.substring(slash + 1));
			if (bits < 0 || bits > network.length * 8) {
				throw new IllegalArgumentException(
						ApiSecurityProperties.PREFIX + ".trusted-proxies: bad prefix: " + cidr);
			}
			return new Range(network, bits);
		}

		boolean contains(byte[] address) {
			if (address.length != this.network.length) {
				return false;
			}
			for (int bit = 0; bit < this.bits; bit++) {
				int mask = 0x80 >>> (bit % 8);
				if ((address[bit / 8] & mask) != (this.network[bit / 8] & mask)) {
					return false;
				}
			}
			return true;
		}

	}

}

package io.stampedsync.web.security;

import java.net.InetSocketAddress;
import java.util.List;

import org.junit.jupiter.api.Test;

import org.springframework.mock.http.server.reactive.MockServerHttpRequest;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The client address behind proxies: {@code X-Forwarded-For} counts only when the peer is
 * a trusted proxy, and then only from the right, up to the first address that is not a
 * trusted proxy.
 */
class ClientAddressTests {

	final ClientAddress behindIngress = new ClientAddress(List.of("10.0.0.0/8"));

	@Test
	void withoutTrustedProxiesThePeerIsTheClientWhateverItForwards() {
		ClientAddress direct = new ClientAddress(List.of());
		assertThat(direct.of(request("10.1.2.3", "198.51.100.7"))).isEqualTo("10.1.2.3");
	}

	@Test
	void aTrustedProxyGivesTheAddressItSaw() {
		assertThat(this.behindIngress.of(request("10.1.2.3", "198.51.100.7"))).isEqualTo("198.51.100.7");
	}

	@Test
	void anAddressForgedOnTheLeftIsIgnored() {
		assertThat(this.behindIngress.of(request("10.1.2.3", "1.2.3.4, 198.51.100.7"))).isEqualTo("198.51.100.7");
		assertThat(this.behindIngress.of(request("10.1.2.3", "1.2.3.4", "198.51.100.7, 10.9.9.9")))
			.isEqualTo("198.51.100.7");
	}

	@Test
	void anUntrustedPeerCannotPickItsAddress() {
		assertThat(this.behindIngress.of(request("198.51.100.7", "10.0.0.1"))).isEqualTo("198.51.100.7");
	}

	@Test
	void garbageInTheHeaderLeavesTheLastGoodHop() {
		assertThat(this.behindIngress.of(request("10.1.2.3", "evil.example.com"))).isEqualTo("10.1.2.3");
		assertThat(this.behindIngress.of(request("10.1.2.3", "\r\nforged"))).isEqualTo("10.1.2.3");
	}

	private static MockServerHttpRequest request(String peer, String... forwardedFor) {
		return MockServerHttpRequest.get("/api/v1/batches")
			.remoteAddress(new InetSocketAddress(peer, 40000))
			.header(ClientAddress.FORWARDED_FOR, forwardedFor)
			.build();
	}

}

package io.stampedsync;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

import io.stampedsync.sandbox.StampedSimulator;

import tools.jackson.databind.json.JsonMapper;

import org.springframework.test.context.DynamicPropertyRegistry;

/**
 * Points a test's gateway at a Stamped.io simulator: data directory, loopback URLs
 * allowed, and a configured subscription whose settings a test may override.
 */
public final class TestSubscriptions {

	public static final String STORE_HASH = "store-1";

	public static final String PUBLIC_KEY = "pubkey-test-0001";

	public static final String PRIVATE_KEY = "key-test-private-0001";

	private TestSubscriptions() {
	}

	/** A started simulator with the test credentials. */
	public static StampedSimulator stampedSimulator() {
		return new StampedSimulator(STORE_HASH, PUBLIC_KEY, PRIVATE_KEY).start();
	}

	/**
	 * The common gateway properties: data directory, random management port, loopback
	 * URLs, and the {@link TestTokens}.
	 */
	public static void gateway(DynamicPropertyRegistry registry, Path dataDir) {
		registry.add("stamped-sync.data-dir", dataDir::toString);
		registry.add("management.server.port", () -> "0");
		registry.add("stamped-sync.security.allow-loopback-urls", () -> "true");
		TestTokens.register(registry);
		// The 5 s default is too tight for these shared 2-core machines under a full run.
		registry.add("spring.test.webtestclient.timeout", () -> "30s");
		// A cached context evicted (or closed at exit) need not wait for late tasks.
		registry.add("spring.reactor.netty.shutdown-quiet-period", () -> "0s");
		// No 429 and no window over L hold by construction only with the answer as the
		// bound of a call's arrival (the default, pinned here for such tests).
		registry.add("stamped-sync.throttle.lag-share", () -> "1");
	}

	/**
	 * A subscription {@code id} on {@code simulator}; {@code overrides} use the
	 * kebab-case setting names ({@code concurrent-connections} …).
	 */
	public static void subscription(DynamicPropertyRegistry registry, String id, StampedSimulator simulator,
			Map<String, String> overrides) {
		String prefix = "stamped-sync.subscriptions." + id + ".";
		registry.add(prefix + "api-url", simulator::baseUrl);
		registry.add(prefix + "api-public-key", () -> PUBLIC_KEY);
		registry.add(prefix + "api-private-key", () -> PRIVATE_KEY);
		registry.add(prefix + "api-store-hash", () -> STORE_HASH);
		overrides.forEach((name, value) -> registry.add(prefix + name, () -> value));
	}

	/**
	 * The JSON of a subscription's settings for {@code PUT /subscriptions/{id}}: the
	 * simulator's address and store hash with these keys.
	 */
	public static String settingsJson(StampedSimulator simulator, String publicKey, String privateKey) {
		Map<String, Object> settings = new LinkedHashMap<>();
		settings.put("apiUrl", simulator.baseUrl());
		settings.put("apiPublicKey", publicKey);
		settings.put("apiPrivateKey", privateKey);
		settings.put("apiStoreHash", STORE_HASH);
		return JsonMapper.builder().build().writeValueAsString(settings);
	}

}

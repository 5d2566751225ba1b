package io.stampedsync;

import java.util.List;

import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.webtestclient.autoconfigure.WebTestClientBuilderCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.http.HttpHeaders;
import org.springframework.test.context.DynamicPropertyRegistry;

/**
 * Inbound API tokens of test gateways, one per role. {@link TestSubscriptions#gateway}
 * registers them; {@code @Import(TestTokens.AdminClient.class)} makes the autowired
 * {@code WebTestClient} send the admin token on every call.
 */
public final class TestTokens {

	public static final String ADMIN = "test-admin-token-0001-aaaa";

	public static final String WRITER = "test-writer-token-0001-bbbb";

	public static final String READER = "test-reader-token-0001-cccc";

	private TestTokens() {
	}

	/**
	 * Registers the three tokens ({@code test-admin}, {@code test-writer},
	 * {@code test-reader}).
	 */
	public static void register(DynamicPropertyRegistry registry) {
		token(registry, "test-admin", ADMIN, "admin");
		token(registry, "test-writer", WRITER, "writer");
		token(registry, "test-reader", READER, "reader");
	}

	/** The same tokens as command-line arguments, for a gateway started by hand. */
	public static List<String> arguments() {
		String prefix = "--stamped-sync.security.tokens.";
		return List.of(prefix + "test-admin.secret=" + ADMIN, prefix + "test-admin.role=admin",
				prefix + "test-writer.secret=" + WRITER, prefix + "test-writer.role=writer",
				prefix + "test-reader.secret=" + READER, prefix + "test-reader.role=reader");
	}

	/** {@code Bearer <token>}. */
	public static String bearer(String token) {
		return "Bearer " + token;
	}

	private static void token(DynamicPropertyRegistry registry, String name, String secret, String role) {
		registry.add("stamped-sync.security.tokens." + name + ".secret", () -> secret);
		registry.add("stamped-sync.security.tokens." + name + ".role", () -> role);
	}

	/** Makes the test's {@code WebTestClient} call as the admin token. */
	@TestConfiguration(proxyBeanMethods = false)
	public static class AdminClient {

		@Bean
		WebTestClientBuilderCustomizer adminToken() {
			return (builder) -> builder.defaultHeader(HttpHeaders.AUTHORIZATION, bearer(ADMIN));
		}

	}

}

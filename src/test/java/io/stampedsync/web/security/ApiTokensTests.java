package io.stampedsync.web.security;

import java.time.Duration;
import java.util.List;
import org.springframework.util.unit.DataSize;
import java.util.LinkedHashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

@ExtendWith(OutputCaptureExtension.class)
class ApiTokensTests {

	static final String ADMIN = "admin-secret-value-0001";

	static final String READER = "reader-secret-value-0001";

	@Test
	void resolvesEachTokenToItsNameAndRole() {
		ApiTokens tokens = new ApiTokens(
				Map.of("ops", new TokenProperties(ADMIN, "admin"), "grafana", new TokenProperties(READER, "Reader")));
		assertThat(tokens.resolve(ADMIN)).contains(new ApiPrincipal("ops", ApiRole.ADMIN, false));
		assertThat(tokens.resolve(READER)).contains(new ApiPrincipal("grafana", ApiRole.READER, false));
		assertThat(tokens.resolve(ADMIN + "x")).isEmpty();
		assertThat(tokens.resolve(ADMIN.substring(1))).isEmpty();
		assertThat(tokens.resolve("")).isEmpty();
		assertThat(tokens.resolve(null)).isEmpty();
	}

	@Test
	void rolesIncludeTheRolesBelowThem() {
		assertThat(ApiRole.ADMIN.authorities()).extracting(Object::toString)
			.containsExactlyInAnyOrder("ROLE_ADMIN", "ROLE_WRITER", "ROLE_READER");
		assertThat(ApiRole.WRITER.authorities()).extracting(Object::toString)
			.containsExactlyInAnyOrder("ROLE_WRITER", "ROLE_READER");
		assertThat(ApiRole.READER.authorities()).extracting(Object::toString).containsExactly("ROLE_READER");
	}

	@Test
	void refusesBadTokensNamingEveryProblemButNoSecret() {
		Map<String, TokenProperties> tokens = new LinkedHashMap<>();
		tokens.put("short", new TokenProperties("short-secret", "admin"));
		tokens.put("no-role", new TokenProperties("no-role-secret-000001", null));
		tokens.put("odd-role", new TokenProperties("odd-role-secret-00001", "superuser"));
		tokens.put("first", new TokenProperties("shared-secret-value-0001", "reader"));
		tokens.put("second", new TokenProperties("shared-secret-value-0001", "writer"));
		tokens.put("empty", new TokenProperties(" ", "writer"));
		assertThatExceptionOfType(InvalidTokenConfigurationException.class).isThrownBy(() -> new ApiTokens(tokens))
			.satisfies((ex) -> {
				assertThat(ex.problems()).containsExactlyInAnyOrder(
						"stamped-sync.security.tokens.short.secret must be at least 16 characters",
						"stamped-sync.security.tokens.no-role.role must be admin, writer or reader",
						"stamped-sync.security.tokens.odd-role.role must be admin, writer or reader",
						"stamped-sync.security.tokens.second.secret is the same as another token's secret",
						"stamped-sync.security.tokens.empty.secret is required");
				assertThat(ex.getMessage()).doesNotContain("short-secret", "no-role-secret", "odd-role-secret",
						"shared-secret", "superuser");
				String analysis = new InvalidTokenConfigurationFailureAnalyzer().analyze(ex).getDescription();
				assertThat(analysis).isEqualTo(ex.getMessage());
			});
	}

	@Test
	void noTokenWarnsAndResolvesNothing(CapturedOutput output) {
		ApiTokens tokens = new ApiTokens(Map.of());
		assertThat(tokens.isEmpty()).isTrue();
		assertThat(tokens.resolve(ADMIN)).isEmpty();
		assertThat(output).contains("No API token is configured", "every /api/v1 call is refused with 401");
	}

	@Test
	void logsNamesAndRolesOnly(CapturedOutput output) {
		new ApiTokens(Map.of("ops", new TokenProperties(ADMIN, "admin")));
		assertThat(output).contains("ops (admin)").doesNotContain(ADMIN);
	}

	@Test
	void propertiesNeverPrintSecrets() {
		ApiSecurityProperties properties = new ApiSecurityProperties(Map.of("ops", new TokenProperties(ADMIN, "admin")),
				Duration.ofHours(8), 10, DataSize.ofGigabytes(1), DataSize.ofKilobytes(256), 20, List.of());
		assertThat(properties.toString()).contains("ops").doesNotContain(ADMIN);
		assertThat(properties.tokens().get("ops").toString()).doesNotContain(ADMIN);
	}

}

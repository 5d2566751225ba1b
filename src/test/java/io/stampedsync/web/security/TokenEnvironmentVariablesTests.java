package io.stampedsync.web.security;

import java.util.Map;

import org.junit.jupiter.api.Test;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.env.SystemEnvironmentPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

class TokenEnvironmentVariablesTests {

	@Test
	void environmentVariablesDefineTokens() {
		ApiSecurityProperties properties = bind(Map.of("STAMPED_SYNC_SECURITY_TOKENS_ADMIN_SECRET",
				"env-admin-secret-000001", "STAMPED_SYNC_SECURITY_TOKENS_ADMIN_ROLE", "admin",
				"STAMPED_SYNC_SECURITY_TOKENS_CI_BOT_SECRET", "env-ci-bot-secret-00001",
				"STAMPED_SYNC_SECURITY_TOKENS_CI_BOT_ROLE", "writer", "STAMPED_SYNC_SECURITY_SESSION_TTL", "30m",
				"STAMPED_SYNC_SECURITY_MAX_SSE_PER_TOKEN", "5"));
		assertThat(properties.tokens()).containsOnlyKeys("admin", "ci-bot");
		assertThat(properties.tokens().get("admin")).isEqualTo(new TokenProperties("env-admin-secret-000001", "admin"));
		assertThat(properties.tokens().get("ci-bot").role()).isEqualTo("writer");
		assertThat(properties.sessionTtl()).hasMinutes(30);
		assertThat(properties.maxSsePerToken()).isEqualTo(5);
		ApiTokens tokens = new ApiTokens(properties.tokens());
		assertThat(tokens.resolve("env-ci-bot-secret-00001")).map(ApiPrincipal::name).contains("ci-bot");
	}

	@Test
	void otherVariablesAreLeftAlone() {
		ApiSecurityProperties properties = bind(Map.of("STAMPED_SYNC_SECURITY_TOKENS_SECRET", "no-name-here-0000001",
				"STAMPED_SYNC_SECURITY_TOKENS_X_COLOUR", "blue", "HOME", "/root"));
		assertThat(properties.tokens()).isEmpty();
	}

	private static ApiSecurityProperties bind(Map<String, Object> variables) {
		StandardEnvironment environment = new StandardEnvironment();
		environment.getPropertySources()
			.replace(StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME, new SystemEnvironmentPropertySource(
					StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME, variables));
		new TokenEnvironmentVariables().postProcessEnvironment(environment, new SpringApplication());
		return Binder.get(environment).bindOrCreate(ApiSecurityProperties.PREFIX, ApiSecurityProperties.class);
	}

}

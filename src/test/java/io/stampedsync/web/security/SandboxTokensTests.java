package io.stampedsync.web.security;

import java.io.IOException;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.boot.env.YamlPropertySourceLoader;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.core.io.ClassPathResource;

import static org.assertj.core.api.Assertions.assertThat;

@ExtendWith(OutputCaptureExtension.class)
class SandboxTokensTests {

	@Test
	void sandboxProfileHasValidDemoTokensForEachRoleAndPrintsThemAsDemoValues(CapturedOutput output)
			throws IOException {
		var sources = new YamlPropertySourceLoader().load("sandbox", new ClassPathResource("application-sandbox.yml"));
		ApiSecurityProperties properties = new Binder(ConfigurationPropertySources.from(sources))
			.bindOrCreate(ApiSecurityProperties.PREFIX, ApiSecurityProperties.class);
		ApiTokens tokens = new ApiTokens(properties.tokens());

		assertThat(tokens.resolve("sandbox-admin-token-0001")).map(ApiPrincipal::role).contains(ApiRole.ADMIN);
		assertThat(tokens.resolve("sandbox-writer-token-0001")).map(ApiPrincipal::role).contains(ApiRole.WRITER);
		assertThat(tokens.resolve("sandbox-reader-token-0001")).map(ApiPrincipal::role).contains(ApiRole.READER);

		new SandboxTokens(properties).print();
		assertThat(output).contains("Sandbox demo API tokens", "never use them in production",
				"admin (sandbox-admin): Authorization: Bearer sandbox-admin-token-0001",
				"reader (sandbox-reader): Authorization: Bearer sandbox-reader-token-0001");
	}

}

package io.stampedsync.sandbox;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;

import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.boot.env.YamlPropertySourceLoader;
import org.springframework.core.env.PropertySource;
import org.springframework.core.io.ClassPathResource;

import static org.assertj.core.api.Assertions.assertThat;

class SandboxResourcesTests {

	@Test
	void sandboxYamlBindsToTheSandboxProperties() throws IOException {
		List<PropertySource<?>> sources = new YamlPropertySourceLoader().load("sandbox",
				new ClassPathResource("application-sandbox.yml"));

		SandboxProperties properties = new Binder(ConfigurationPropertySources.from(sources))
			.bind(SandboxProperties.PREFIX, SandboxProperties.class)
			.get();

		assertThat(properties.stampedPort()).isEqualTo(8090);
		assertThat(properties.ipaasPort()).isEqualTo(8091);
		assertThat(properties.storeHash()).isEqualTo("demo-store");
		assertThat(properties.rateLimit()).isEqualTo(500);
		assertThat(properties.rateWindow()).isEqualTo(Duration.ofSeconds(60));
		assertThat(properties.latency()).isEqualTo(Duration.ofMillis(20));
		assertThat(properties.customers()).isEqualTo(200);
	}

	@Test
	void sampleCustomersAreTheSimulatorsCustomersWithTenInvalidOnes() throws IOException {
		List<String> lines;
		try (InputStream in = new ClassPathResource("sandbox/sample-customers.ndjson").getInputStream()) {
			lines = new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().toList();
		}

		assertThat(lines).hasSize(200);
		for (int i = 0; i < lines.size(); i++) {
			assertThat(Json.MAPPER.readTree(lines.get(i))).isEqualTo(SampleCustomers.customer(150700 + i, true));
		}
		long invalid = lines.stream()
			.map(Json.MAPPER::readTree)
			.filter((customer) -> !Json.isEmail(Json.text(customer, "email_address")))
			.count();
		assertThat(invalid).isEqualTo(10);
	}

}

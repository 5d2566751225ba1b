package io.stampedsync.outbound;

import java.time.Duration;

import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.validation.autoconfigure.ValidationAutoConfiguration;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;

class OutboundPropertiesTests {

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(ValidationAutoConfiguration.class))
		.withUserConfiguration(Config.class);

	@Test
	void bindsTheDocumentedDefaults() {
		this.runner.run((context) -> assertThat(context.getBean(OutboundProperties.class))
			.isEqualTo(OutboundProperties.defaults()));
	}

	@Test
	void bindsKebabCaseProperties() {
		this.runner
			.withPropertyValues("stamped-sync.outbound.max-attempts=3", "stamped-sync.outbound.response-timeout=2s",
					"stamped-sync.outbound.max-response-size=512KB")
			.run((context) -> {
				OutboundProperties properties = context.getBean(OutboundProperties.class);
				assertThat(properties.maxAttempts()).isEqualTo(3);
				assertThat(properties.responseTimeout()).isEqualTo(Duration.ofSeconds(2));
				assertThat(properties.maxResponseSize().toKilobytes()).isEqualTo(512);
			});
	}

	@Test
	void rejectsSettingsOutOfRange() {
		this.runner.withPropertyValues("stamped-sync.outbound.max-attempts=0")
			.run((context) -> assertThat(context).hasFailed());
		this.runner.withPropertyValues("stamped-sync.outbound.jitter=1.5")
			.run((context) -> assertThat(context).hasFailed());
	}

	@Configuration(proxyBeanMethods = false)
	@EnableConfigurationProperties(OutboundProperties.class)
	static class Config {

	}

}

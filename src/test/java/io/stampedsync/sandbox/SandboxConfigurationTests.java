package io.stampedsync.sandbox;

import io.stampedsync.subscription.SubscriptionRegistry;
import io.stampedsync.subscription.SubscriptionSettings;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;

class SandboxConfigurationTests {

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withUserConfiguration(SandboxConfiguration.class, RegistryConfiguration.class)
		.withPropertyValues("stamped-sync.sandbox.stamped-port=0", "stamped-sync.sandbox.ipaas-port=0");

	private final Http http = new Http();

	@Test
	void sandboxProfileStartsBothSimulatorsWithTheDemoCredentials() {
		this.runner.withInitializer((context) -> context.getEnvironment().setActiveProfiles("sandbox"))
			.run((context) -> {
				StampedSimulator stamped = context.getBean(StampedSimulator.class);
				IpaasSimulator ipaas = context.getBean(IpaasSimulator.class);

				int stampedStatus = this.http
					.get(stamped.baseUrl() + "/api/v2/demo-store/dashboard/customers",
							Http.basic("pubkey-sandbox-demo", "key-sandbox-demo-0001"))
					.statusCode();
				int ipaasStatus = this.http
					.get(ipaas.baseUrl() + "/customers/v2/Customer/150713", Http.bearer("ipaas-sandbox-token-0001"))
					.statusCode();
				int ipaasUnknown = this.http
					.get(ipaas.baseUrl() + "/customers/v2/Customer/150900", Http.bearer("ipaas-sandbox-token-0001"))
					.statusCode();

				assertThat(stampedStatus).isEqualTo(200);
				assertThat(ipaasStatus).isEqualTo(200);
				assertThat(ipaasUnknown).isEqualTo(404);
				assertThat(stamped.rateLimit()).isEqualTo(500);
				assertThat(stamped.stats().window()).hasSeconds(60);
				assertThat(stamped.latency()).hasMillis(20);
			});
	}

	@Test
	void subscriptionRegistriesDependOnTheSimulators() {
		this.runner.withInitializer((context) -> context.getEnvironment().setActiveProfiles("sandbox"))
			.run((context) -> {
				ConfigurableApplicationContext source = (ConfigurableApplicationContext) context
					.getSourceApplicationContext();

				assertThat(source.getBeanFactory().getBeanDefinition("registry").getDependsOn())
					.contains(SandboxConfiguration.STAMPED_BEAN, SandboxConfiguration.IPAAS_BEAN);
			});
	}

	@Test
	void withoutTheProfileNoSimulatorStarts() {
		this.runner.run((context) -> assertThat(context).doesNotHaveBean(StampedSimulator.class)
			.doesNotHaveBean(IpaasSimulator.class));
	}

	@Test
	void invalidSandboxSettingsFailTheStart() {
		this.runner.withInitializer((context) -> context.getEnvironment().setActiveProfiles("sandbox"))
			.withPropertyValues("stamped-sync.sandbox.store-hash=bad/hash")
			.run((context) -> assertThat(context).hasFailed());
	}

	@Configuration(proxyBeanMethods = false)
	static class RegistryConfiguration {

		@Bean
		SubscriptionRegistry registry() {
			return new SubscriptionRegistry() {

				@Override
				public Mono<SubscriptionSettings> find(String id) {
					return Mono.empty();
				}

				@Override
				public Flux<SubscriptionSettings> findAll() {
					return Flux.empty();
				}

				@Override
				public Flux<SubscriptionChange> changes() {
					return Flux.never();
				}

			};
		}

	}

}

package io.stampedsync.sandbox;

import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.Set;

import io.stampedsync.subscription.Secret;
import io.stampedsync.subscription.SubscriptionRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.beans.factory.config.BeanFactoryPostProcessor;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Profile;

/**
 * The {@code sandbox} profile: starts the Stamped.io and iPaaS.com simulators on
 * 127.0.0.1 as beans, before any {@link SubscriptionRegistry}, and says where they are.
 */
@Configuration(proxyBeanMethods = false)
@Profile("sandbox")
@EnableConfigurationProperties(SandboxProperties.class)
class SandboxConfiguration {

	static final String STAMPED_BEAN = "stampedSimulator";

	static final String IPAAS_BEAN = "ipaasSimulator";

	private static final Logger logger = LoggerFactory.getLogger(SandboxConfiguration.class);

	@Bean(name = STAMPED_BEAN, destroyMethod = "close")
	StampedSimulator stampedSimulator(SandboxProperties properties) {
		StampedSimulator stamped = new StampedSimulator(properties.storeHash(), properties.publicKey(),
				properties.privateKey(), SimulatorOptions.defaults().withPort(properties.stampedPort()));
		limit(stamped, properties.rateLimit(), properties.rateWindow());
		stamped.latency(properties.latency());
		stamped.start();
		logger.info(
				"Sandbox Stamped.io simulator at {} (store hash {}, public key {}, private key {}, rate limit {}, latency {} ms)",
				stamped.baseUrl(), properties.storeHash(), properties.publicKey(),
				Secret.of(properties.privateKey()).masked(), describe(properties.rateLimit(), properties.rateWindow()),
				properties.latency().toMillis());
		return stamped;
	}

	@Bean(name = IPAAS_BEAN, destroyMethod = "close")
	IpaasSimulator ipaasSimulator(SandboxProperties properties) {
		IpaasSimulator ipaas = new IpaasSimulator(properties.ipaasToken(),
				SimulatorOptions.defaults().withPort(properties.ipaasPort()));
		ipaas.store().generate(properties.firstCustomerId(), properties.customers(), properties.invalidSamples());
		limit(ipaas, properties.ipaasRateLimit(), properties.ipaasRateWindow());
		ipaas.latency(properties.latency());
		ipaas.start();
		logger.info("Sandbox iPaaS.com simulator at {} (token {}, customers {} to {}, rate limit {}, latency {} ms)",
				ipaas.baseUrl(), Secret.of(properties.ipaasToken()).masked(), properties.firstCustomerId(),
				properties.firstCustomerId() + properties.customers() - 1,
				describe(properties.ipaasRateLimit(), properties.ipaasRateWindow()), properties.latency().toMillis());
		return ipaas;
	}

	/**
	 * Makes every {@link SubscriptionRegistry} depend on the simulators, so that a
	 * registry which verifies its subscriptions while it starts finds them listening.
	 */
	@Bean
	static BeanFactoryPostProcessor sandboxSimulatorsBeforeSubscriptions() {
		return (beanFactory) -> {
			for (String name : beanFactory.getBeanNamesForType(SubscriptionRegistry.class, true, false)) {
				if (!beanFactory.containsBeanDefinition(name)) {
					continue;
				}
				BeanDefinition definition = beanFactory.getBeanDefinition(name);
				Set<String> dependsOn = new LinkedHashSet<>();
				if (definition.getDependsOn() != null) {
					dependsOn.addAll(Arrays.asList(definition.getDependsOn()));
				}
				dependsOn.add(STAMPED_BEAN);
				dependsOn.add(IPAAS_BEAN);
				definition.setDependsOn(dependsOn.toArray(String[]::new));
			}
		};
	}

	private static void limit(Simulator<?> simulator, int limit, Duration window) {
		if (limit > 0) {
			simulator.rateLimit(limit, window);
		}
	}

	private static String describe(int limit, Duration window) {
		return (limit > 0) ? limit + " per " + window.toMillis() / 1000.0 + " s" : "off";
	}

}

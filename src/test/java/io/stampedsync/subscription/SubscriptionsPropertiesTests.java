package io.stampedsync.subscription;

import java.util.HashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.PropertySource;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.env.SystemEnvironmentPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

class SubscriptionsPropertiesTests {

	@Test
	void bindsEnvironmentVariablesByRelaxedNames() {
		SubscriptionsProperties properties = bindEnvironment(Map.of("STAMPED_SYNC_SUBSCRIPTIONS_ACME_API_URL",
				"https://stamped.io", "STAMPED_SYNC_SUBSCRIPTIONS_ACME_API_PUBLIC_KEY", "pubkey-1",
				"STAMPED_SYNC_SUBSCRIPTIONS_ACME_API_PRIVATE_KEY", "key-abcdefghijklmnop1234",
				"STAMPED_SYNC_SUBSCRIPTIONS_ACME_API_STORE_HASH", "270392",
				"STAMPED_SYNC_SUBSCRIPTIONS_ACME_API_THROTTLE_LIMIT", "120",
				"STAMPED_SYNC_SUBSCRIPTIONS_ACME_IPAAS_API_URL", "https://api.ipaas.com",
				"STAMPED_SYNC_SUBSCRIPTIONS_ACME_IPAAS_SYSTEM_ID", "42",
				"STAMPED_SYNC_SUBSCRIPTIONS_ACME_SUBSCRIPTION_STATE_FIELD", "Reviews", "STAMPED_SYNC_DATA_DIR",
				"/var/lib/stamped-sync", "PATH", "/usr/bin"));
		assertThat(properties.subscriptions()).containsOnlyKeys("acme");
		SubscriptionInput acme = properties.subscriptions().get("acme");
		assertThat(acme.apiUrl()).isEqualTo("https://stamped.io");
		assertThat(acme.apiPublicKey()).isEqualTo("pubkey-1");
		assertThat(acme.apiPrivateKey()).isEqualTo("key-abcdefghijklmnop1234");
		assertThat(acme.apiStoreHash()).isEqualTo("270392");
		assertThat(acme.apiThrottleLimit()).isEqualTo(120);
		assertThat(acme.ipaasApiUrl()).isEqualTo("https://api.ipaas.com");
		assertThat(acme.ipaasSystemId()).isEqualTo(42L);
		assertThat(acme.subscriptionStateField()).isEqualTo("Reviews");
	}

	@Test
	void readsUnderscoresOfEnvironmentIdsAsDashes() {
		SubscriptionsProperties properties = bindEnvironment(Map.of("STAMPED_SYNC_SUBSCRIPTIONS_ACME_EU_API_URL",
				"https://stamped.io", "STAMPED_SYNC_SUBSCRIPTIONS_ACME_EU_CONCURRENT_CONNECTIONS", "4"));
		assertThat(properties.subscriptions()).containsOnlyKeys("acme-eu");
		assertThat(properties.subscriptions().get("acme-eu").concurrentConnections()).isEqualTo(4);
	}

	@Test
	void letsEnvironmentVariablesOverrideApplicationProperties() {
		StandardEnvironment environment = environment(
				Map.of("STAMPED_SYNC_SUBSCRIPTIONS_ACME_API_STORE_HASH", "from-env"));
		environment.getPropertySources()
			.addLast(new MapPropertySource("application.yml", Map.of("stamped-sync.subscriptions.acme.api-store-hash",
					"from-yaml", "stamped-sync.subscriptions.acme.api-url", "https://stamped.io")));
		SubscriptionInput acme = Binder.get(environment)
			.bindOrCreate(SubscriptionsProperties.PREFIX, SubscriptionsProperties.class)
			.subscriptions()
			.get("acme");
		assertThat(acme.apiStoreHash()).isEqualTo("from-env");
		assertThat(acme.apiUrl()).isEqualTo("https://stamped.io");
	}

	@Test
	void bindsKebabCasePropertiesOfEveryField() {
		Map<String, Object> map = new HashMap<>();
		String prefix = "stamped-sync.subscriptions.acme-eu.";
		map.put(prefix + "api-url", "https://stamped.io");
		map.put(prefix + "api-public-key", "pub");
		map.put(prefix + "api-private-key", "priv");
		map.put(prefix + "api-store-hash", "h");
		map.put(prefix + "api-user", "pub");
		map.put(prefix + "api-password", "priv");
		map.put(prefix + "api-throttle-limit", "1");
		map.put(prefix + "api-throttle-seconds", "2");
		map.put(prefix + "ipaas-throttle-limit", "3");
		map.put(prefix + "ipaas-throttle-seconds", "4");
		map.put(prefix + "concurrent-connections", "5");
		map.put(prefix + "concurrent-batch-executions", "6");
		map.put(prefix + "ipaas-api-url", "https://api.ipaas.com");
		map.put(prefix + "ipaas-api-token", "tok");
		map.put(prefix + "ipaas-system-id", "7");
		map.put(prefix + "webhook-api-key", "hook");
		map.put(prefix + "subscription-state-field", "Reviews");
		map.put("stamped-sync.data-dir", "./data");
		SubscriptionInput input = bind(new MapPropertySource("yaml", map)).subscriptions().get("acme-eu");
		assertThat(input).isEqualTo(new SubscriptionInput("https://stamped.io", "pub", "priv", "h", "pub", "priv", 1, 2,
				3, 4, 5, 6, "https://api.ipaas.com", "tok", 7L, "hook", "Reviews"));
	}

	@Test
	void bindsNoSubscriptionsToAnEmptyMap() {
		assertThat(bind(new MapPropertySource("empty", Map.of())).subscriptions()).isEmpty();
	}

	private static SubscriptionsProperties bindEnvironment(Map<String, Object> variables) {
		return Binder.get(environment(variables))
			.bindOrCreate(SubscriptionsProperties.PREFIX, SubscriptionsProperties.class);
	}

	private static StandardEnvironment environment(Map<String, Object> variables) {
		StandardEnvironment environment = new StandardEnvironment();
		environment.getPropertySources()
			.replace(StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME, new SystemEnvironmentPropertySource(
					StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME, variables));
		new SubscriptionEnvironmentVariables().postProcessEnvironment(environment, new SpringApplication());
		return environment;
	}

	private static SubscriptionsProperties bind(PropertySource<?> source) {
		return new Binder(ConfigurationPropertySources.from(source)).bindOrCreate(SubscriptionsProperties.PREFIX,
				SubscriptionsProperties.class);
	}

}

package io.stampedsync.subscription;

import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.EnumerablePropertySource;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.PropertySource;
import org.springframework.core.env.StandardEnvironment;

/**
 * Makes {@code STAMPED_SYNC_SUBSCRIPTIONS_<ID>_<SETTING>} environment variables define
 * subscriptions. Boot binds a map from environment variables only under a prefix without
 * dashes ({@code MapBinder} filters by exact ancestry), and {@code stamped-sync} has one,
 * so the variables are copied, under their canonical names, into a property source just
 * below the system environment. Ids cannot contain {@code _}, so {@code ACME_EU} is
 * {@code acme-eu}.
 */
class SubscriptionEnvironmentVariables implements EnvironmentPostProcessor {

	static final String SOURCE_NAME = "stampedSyncSubscriptionsFromEnvironment";

	static final String VARIABLE_PREFIX = "STAMPED_SYNC_SUBSCRIPTIONS_";

	/**
	 * The settings, longest first, so that {@code _IPAAS_API_URL} wins over
	 * {@code _API_URL}.
	 */
	static final List<String> SETTINGS = List
		.of("api-url", "api-public-key", "api-private-key", "api-store-hash", "api-user", "api-password",
				"api-throttle-limit", "api-throttle-seconds", "ipaas-throttle-limit", "ipaas-throttle-seconds",
				"concurrent-connections", "concurrent-batch-executions", "ipaas-api-url", "ipaas-api-token",
				"ipaas-system-id", "webhook-api-key", "subscription-state-field")
		.stream()
		.sorted(Comparator.comparingInt(String::length).reversed())
		.toList();

	@Override
	public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
		PropertySource<?> system = environment.getPropertySources()
			.get(StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME);
		if (!(system instanceof EnumerablePropertySource<?> variables)) {
			return;
		}
		Map<String, Object> properties = canonical(variables);
		if (!properties.isEmpty()) {
			environment.getPropertySources()
				.addAfter(StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME,
						new MapPropertySource(SOURCE_NAME, properties));
		}
	}

	static Map<String, Object> canonical(EnumerablePropertySource<?> variables) {
		Map<String, Object> properties = new LinkedHashMap<>();
		for (String name : variables.getPropertyNames()) {
			String upper = name.toUpperCase(Locale.ROOT);
			if (!upper.startsWith(VARIABLE_PREFIX)) {
				continue;
			}
			String rest = upper.substring(VARIABLE_PREFIX.length());
			for (String setting : SETTINGS) {
				String suffix = "_" + setting.toUpperCase(Locale.ROOT).replace('-', '_');
				if (rest.endsWith(suffix) && rest.length() > suffix.length()) {
					String id = rest.substring(0, rest.length() - suffix.length())
						.toLowerCase(Locale.ROOT)
						.replace('_', '-');
					properties.put(SubscriptionsProperties.PREFIX + ".subscriptions." + id + "." + setting,
							variables.getProperty(name));
					break;
				}
			}
		}
		return properties;
	}

}

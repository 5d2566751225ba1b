package io.stampedsync.web.security;

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
 * Makes {@code STAMPED_SYNC_SECURITY_TOKENS_<NAME>_SECRET} and {@code …_ROLE} environment
 * variables define API tokens (a Kubernetes Secret supplies them). Boot binds map entries
 * from environment variables only under a prefix without dashes, so, like
 * {@code subscription.SubscriptionEnvironmentVariables}, the variables are copied under
 * their canonical names into a property source just below the system environment.
 * {@code _} in the name stands for {@code -}: {@code CI_BOT} is the token {@code ci-bot}.
 */
class TokenEnvironmentVariables implements EnvironmentPostProcessor {

	static final String SOURCE_NAME = "stampedSyncTokensFromEnvironment";

	static final String VARIABLE_PREFIX = "STAMPED_SYNC_SECURITY_TOKENS_";

	static final List<String> FIELDS = List.of("secret", "role");

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
		for (String variable : variables.getPropertyNames()) {
			String upper = variable.toUpperCase(Locale.ROOT);
			if (!upper.startsWith(VARIABLE_PREFIX)) {
				continue;
			}
			String rest = upper.substring(VARIABLE_PREFIX.length());
			for (String field : FIELDS) {
				String suffix = "_" + field.toUpperCase(Locale.ROOT);
				if (rest.endsWith(suffix) && rest.length() > suffix.length()) {
					String name = rest.substring(0, rest.length() - suffix.length())
						.toLowerCase(Locale.ROOT)
						.replace('_', '-');
					properties.put(ApiSecurityProperties.PREFIX + ".tokens." + name + "." + field,
							variables.getProperty(variable));
				}
			}
		}
		return properties;
	}

}

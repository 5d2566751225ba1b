package io.stampedsync;

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
 * Makes {@code <VARIABLE_PREFIX><NAME>_<FIELD>} environment variables define the entries
 * of a map property ({@code <property-prefix>.<name>.<field>}). Boot binds map entries
 * from environment variables only under a prefix without dashes ({@code MapBinder}
 * filters by exact ancestry), and {@code stamped-sync} has one, so the variables are
 * copied, under their canonical names, into a property source just below the system
 * environment. {@code _} in a name stands for {@code -}: {@code ACME_EU} is
 * {@code acme-eu}.
 */
public abstract class NamedEntryVariables implements EnvironmentPostProcessor {

	private final String sourceName;

	private final String variablePrefix;

	private final String propertyPrefix;

	private final List<String> fields;

	/**
	 * Describes one map property.
	 * @param sourceName the name of the property source added
	 * @param variablePrefix the variables' prefix, e.g.
	 * {@code STAMPED_SYNC_SUBSCRIPTIONS_}
	 * @param propertyPrefix the map property, e.g. {@code stamped-sync.subscriptions}
	 * @param fields the kebab-case fields of an entry
	 */
	protected NamedEntryVariables(String sourceName, String variablePrefix, String propertyPrefix,
			List<String> fields) {
		this.sourceName = sourceName;
		this.variablePrefix = variablePrefix;
		this.propertyPrefix = propertyPrefix;
		// Longest first, so that _IPAAS_API_URL wins over _API_URL.
		this.fields = fields.stream().sorted(Comparator.comparingInt(String::length).reversed()).toList();
	}

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
						new MapPropertySource(this.sourceName, properties));
		}
	}

	private Map<String, Object> canonical(EnumerablePropertySource<?> variables) {
		Map<String, Object> properties = new LinkedHashMap<>();
		for (String variable : variables.getPropertyNames()) {
			String upper = variable.toUpperCase(Locale.ROOT);
			if (!upper.startsWith(this.variablePrefix)) {
				continue;
			}
			String rest = upper.substring(this.variablePrefix.length());
			for (String field : this.fields) {
				String suffix = "_" + field.toUpperCase(Locale.ROOT).replace('-', '_');
				if (rest.endsWith(suffix) && rest.length() > suffix.length()) {
					String name = rest.substring(0, rest.length() - suffix.length())
						.toLowerCase(Locale.ROOT)
						.replace('_', '-');
					properties.put(this.propertyPrefix + "." + name + "." + field, variables.getProperty(variable));
					break;
				}
			}
		}
		return properties;
	}

}

package io.stampedsync.deploy;

import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.lang.reflect.RecordComponent;
import java.net.URL;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Stream;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The properties the application can bind: every
 * {@code META-INF/spring-configuration-metadata.json} on the classpath (Spring Boot's
 * jars, and this project's, written by spring-boot-configuration-processor), and which of
 * them an environment variable sets under Boot's relaxed binding (dots and dashes become
 * underscores, or dashes are dropped; upper case).
 */
final class PropertyCatalog {

	static final String METADATA = "META-INF/spring-configuration-metadata.json";

	private static final String MAP_TYPE = "java.util.Map<";

	private final Map<String, String> types;

	private final List<URL> sources;

	private PropertyCatalog(Map<String, String> types, List<URL> sources) {
		this.types = types;
		this.sources = sources;
	}

	static PropertyCatalog load() throws IOException {
		JsonMapper json = JsonMapper.builder().build();
		List<URL> sources = Collections.list(PropertyCatalog.class.getClassLoader().getResources(METADATA));
		Map<String, String> types = new TreeMap<>();
		for (URL source : sources) {
			try (InputStream in = source.openStream()) {
				for (JsonNode property : json.readTree(in).path("properties")) {
					types.putIfAbsent(property.path("name").asString(), property.path("type").asString("?"));
				}
			}
		}
		return new PropertyCatalog(types, sources);
	}

	List<URL> sources() {
		return this.sources;
	}

	boolean knows(String property) {
		return this.types.containsKey(property);
	}

	/** The property this environment variable sets, or empty when it sets none. */
	Optional<String> propertyOf(String variable) {
		for (String property : this.types.keySet()) {
			if (variableNames(property).contains(variable)) {
				return Optional.of(property);
			}
		}
		// A map's key comes from the variable itself: MAP_<KEY>_<FIELD> (or MAP_<KEY>).
		for (Map.Entry<String, String> property : this.types.entrySet()) {
			boolean prefixMatches = variableNames(property.getKey()).stream()
				.anyMatch((prefix) -> variable.startsWith(prefix + "_"));
			if (prefixMatches && property.getValue().startsWith(MAP_TYPE)) {
				List<String> fields = fieldsOf(mapValueType(property.getValue()));
				Optional<String> entry = entryOf(property.getKey(), fields, variable);
				if (entry.isPresent()) {
					return entry;
				}
			}
		}
		return Optional.empty();
	}

	/**
	 * The entry of map property {@code map} that {@code variable} sets: a field of an
	 * entry when {@code fields} lists the fields of the map's values, any key otherwise.
	 */
	static Optional<String> entryOf(String map, Collection<String> fields, String variable) {
		for (String prefix : variableNames(map)) {
			if (!variable.startsWith(prefix + "_")) {
				continue;
			}
			String rest = variable.substring(prefix.length() + 1);
			if (fields.isEmpty()) {
				return rest.isEmpty() ? Optional.empty() : Optional.of(map + "." + key(rest));
			}
			// Longest field first: IPAAS_API_URL is the field ipaas-api-url, not api-url.
			for (String field : fields.stream().sorted(Comparator.comparing(String::length).reversed()).toList()) {
				for (String suffix : variableNames(field)) {
					if (rest.endsWith("_" + suffix) && rest.length() > suffix.length() + 1) {
						String id = rest.substring(0, rest.length() - suffix.length() - 1);
						return Optional.of(map + "." + key(id) + "." + field);
					}
				}
			}
		}
		return Optional.empty();
	}

	/** The environment variable names that set a property. */
	static List<String> variableNames(String property) {
		String upper = property.toUpperCase(Locale.ROOT).replace('.', '_');
		return Stream.of(upper.replace('-', '_'), upper.replace("-", "")).distinct().toList();
	}

	/**
	 * The kebab-case properties of a record or bean, or none for a scalar (String,
	 * number, enum, anything in {@code java.*}) or a type that is not on the classpath.
	 */
	static List<String> fieldsOf(String typeName) {
		Class<?> type;
		try {
			type = Class.forName(typeName, false, PropertyCatalog.class.getClassLoader());
		}
		catch (ClassNotFoundException | LinkageError ex) {
			// Not on this classpath (an optional dependency of Spring Boot): treat as a
			// scalar.
			return List.of();
		}
		if (type.isRecord()) {
			return Arrays.stream(type.getRecordComponents())
				.map(RecordComponent::getName)
				.map(PropertyCatalog::kebab)
				.toList();
		}
		if (type.isPrimitive() || type.isEnum() || type.getName().startsWith("java.")) {
			return List.of();
		}
		return Arrays.stream(type.getDeclaredFields())
			.filter((field) -> !Modifier.isStatic(field.getModifiers()))
			.map(Field::getName)
			.map(PropertyCatalog::kebab)
			.toList();
	}

	static String kebab(String camelCase) {
		return camelCase.replaceAll("([a-z0-9])([A-Z])", "$1-$2").toLowerCase(Locale.ROOT);
	}

	private static String mapValueType(String mapType) {
		// java.util.Map<java.lang.String,io.stampedsync.subscription.SubscriptionInput>
		return mapType.substring(mapType.indexOf(',') + 1, mapType.lastIndexOf('>')).trim();
	}

	private static String key(String variablePart) {
		return variablePart.toLowerCase(Locale.ROOT).replace('_', '-');
	}

}

package io.stampedsync;

import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * docs/configuration.md cannot drift from the code: every {@code stamped-sync.*} property
 * of the configuration metadata that spring-boot-configuration-processor generates for
 * this project is documented there, and every property the page names exists.
 */
class ConfigurationDocsTests {

	private static final Path PAGE = Path.of("docs", "configuration.md");

	/** A property name in the page: in back-quotes, as the tables write them. */
	private static final Pattern NAMED = Pattern.compile("`(stamped-sync\\.[a-z0-9.-]*[a-z0-9])");

	@Test
	void everyPropertyOfTheMetadataIsOnTheConfigurationPage() throws IOException {
		Set<String> properties = projectProperties();
		String page = Files.readString(PAGE);

		List<String> missing = new ArrayList<>();
		for (String property : properties) {
			if (!Pattern.compile(Pattern.quote(property) + "(?![a-z0-9-])").matcher(page).find()) {
				missing.add(property);
			}
		}

		assertThat(missing).as("stamped-sync.* properties missing from %s", PAGE).isEmpty();
	}

	@Test
	void everyPropertyTheConfigurationPageNamesExists() throws IOException {
		Set<String> properties = projectProperties();
		Matcher named = NAMED.matcher(Files.readString(PAGE));

		List<String> unknown = new ArrayList<>();
		while (named.find()) {
			String name = named.group(1);
			// Map properties (subscriptions.<id>, tokens.<name>) document their entries;
			// a group (`stamped-sync.outbound.*`) names the start of its properties.
			boolean known = properties.contains(name)
					|| properties.stream().anyMatch((property) -> name.startsWith(property + "."))
					|| properties.stream().anyMatch((property) -> property.startsWith(name + "."));
			if (!known) {
				unknown.add(name);
			}
		}

		assertThat(unknown).as("properties named in %s that the code does not have", PAGE).isEmpty();
	}

	/** The {@code stamped-sync.*} properties of this project's generated metadata. */
	private static Set<String> projectProperties() throws IOException {
		Set<String> names = new TreeSet<>();
		JsonMapper json = JsonMapper.builder().build();
		for (URL url : Collections.list(ConfigurationDocsTests.class.getClassLoader()
			.getResources("META-INF/spring-configuration-metadata.json"))) {
			// Only the project's own output directory, not the metadata of Boot's jars.
			if (!"file".equals(url.getProtocol())) {
				continue;
			}
			try (InputStream in = url.openStream()) {
				JsonNode metadata = json.readTree(new String(in.readAllBytes(), StandardCharsets.UTF_8));
				for (JsonNode property : metadata.path("properties")) {
					String name = property.path("name").asString();
					if (name.startsWith("stamped-sync.")) {
						names.add(name);
					}
				}
			}
		}
		// Guards the guard: without the annotation processor there is nothing to compare.
		assertThat(names).as("generated configuration metadata (spring-boot-configuration-processor)")
			.contains("stamped-sync.data-dir", "stamped-sync.outbound.connect-timeout", "stamped-sync.subscriptions");
		return names;
	}

}

package io.stampedsync.startup;

import java.io.IOException;
import java.io.InputStream;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;

import org.springframework.boot.actuate.autoconfigure.web.server.ManagementPortType;
import org.springframework.core.env.ConfigurableEnvironment;

/**
 * The settings that choose the gateway's beans, as one start or build sees them: the
 * profiles in effect (the {@code sandbox} adds the simulators and their tokens),
 * distributed mode ({@code stamped-sync.cluster.enabled}), SpringDoc's parts and whether
 * actuator has a port of its own. A context processed ahead of time
 * ({@code spring-boot:process-aot}, docs/performance.md "Start-up") has its beans fixed
 * to the build's values of these; the build writes them to {@link #RESOURCE}
 * ({@link AheadOfTimeModeRecorder}) and a start that uses the generated context is
 * refused when its own differ ({@link AheadOfTimeModeGuard}), rather than run with the
 * wrong beans.
 */
final class AheadOfTimeMode {

	/** Where the build records its mode, beside the generated context in the jar. */
	static final String RESOURCE = "META-INF/stamped-sync/aot-mode.properties";

	static final String PROFILES = "profiles";

	static final String MANAGEMENT_PORT = "management.server.port (type)";

	/** Boolean switches read by conditions, each with its default. */
	private static final Map<String, Boolean> SWITCHES = switches();

	private AheadOfTimeMode() {
	}

	private static Map<String, Boolean> switches() {
		Map<String, Boolean> switches = new LinkedHashMap<>();
		switches.put("stamped-sync.cluster.enabled", false);
		switches.put("springdoc.api-docs.enabled", true);
		switches.put("springdoc.swagger-ui.enabled", true);
		return switches;
	}

	/**
	 * The mode of this environment, by setting (sorted, so two modes compare as maps).
	 */
	static Map<String, String> of(ConfigurableEnvironment environment) {
		Map<String, String> mode = new TreeMap<>();
		mode.put(PROFILES, String.join(",", profilesInEffect(environment)));
		SWITCHES.forEach((name, fallback) -> mode.put(name,
				String.valueOf(environment.getProperty(name, Boolean.class, fallback))));
		mode.put(MANAGEMENT_PORT, ManagementPortType.get(environment).name());
		return mode;
	}

	/**
	 * The active profiles, or the default ones when none is active: what profile-specific
	 * files and {@code @Profile} conditions go by. So a start that names the default
	 * profile ({@code SPRING_PROFILES_ACTIVE=default}, k8s/base/configmap.yaml) is in the
	 * build's mode, and one that changes the default profiles is not.
	 */
	private static String[] profilesInEffect(ConfigurableEnvironment environment) {
		String[] active = environment.getActiveProfiles();
		return (active.length > 0) ? active : environment.getDefaultProfiles();
	}

	static String write(Map<String, String> mode) {
		Properties properties = new Properties();
		properties.putAll(mode);
		StringWriter writer = new StringWriter();
		try {
			properties.store(writer, "The mode spring-boot:process-aot generated the context for");
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		return writer.toString();
	}

	/** The build's mode, or null when the class path has none. */
	static Map<String, String> read(ClassLoader classLoader) {
		try (InputStream in = classLoader.getResourceAsStream(RESOURCE)) {
			if (in == null) {
				return null;
			}
			Properties properties = new Properties();
			properties.load(in);
			Map<String, String> mode = new TreeMap<>();
			properties.stringPropertyNames().forEach((name) -> mode.put(name, properties.getProperty(name)));
			return mode;
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Cannot read " + RESOURCE, ex);
		}
	}

}

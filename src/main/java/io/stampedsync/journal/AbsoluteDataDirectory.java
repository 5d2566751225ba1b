package io.stampedsync.journal;

import java.nio.file.Path;
import java.util.Map;

import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

/**
 * Makes {@code stamped-sync.data-dir} an absolute path before anything reads it. The
 * journal URLs put it after {@code file:///} (R2DBC) and {@code file:} (Flyway's JDBC): a
 * relative {@code data} became the root's {@code /data} for the one and was refused by H2
 * for the other ("implicitly relative to the current working directory"), so only
 * {@code ./data} worked. Relative paths are taken from the working directory, as a user
 * who typed one expects.
 */
class AbsoluteDataDirectory implements EnvironmentPostProcessor {

	static final String PROPERTY = "stamped-sync.data-dir";

	@Override
	public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
		String dataDir = environment.getProperty(PROPERTY);
		if (dataDir == null || dataDir.isBlank()) {
			return;
		}
		String absolute = Path.of(dataDir.strip()).toAbsolutePath().normalize().toString();
		if (!absolute.equals(dataDir)) {
			environment.getPropertySources()
				.addFirst(new MapPropertySource("stampedSyncAbsoluteDataDir", Map.of(PROPERTY, absolute)));
		}
	}

}

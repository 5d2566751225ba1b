package io.stampedsync.journal;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.stampedsync.StampedSyncApplication;
import io.stampedsync.TestTokens;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.util.FileSystemUtils;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A data directory given relative to the working directory, with or without {@code ./},
 * holds the journal there; before, {@code data} (no {@code ./}) stopped the start in
 * Flyway.
 */
class AbsoluteDataDirectoryTests {

	private final Path relative = Path.of("target", "relative-data-" + UUID.randomUUID());

	@AfterEach
	void removeDirectory() {
		FileSystemUtils.deleteRecursively(this.relative.toFile());
	}

	@Test
	void aGatewayStartsWithItsJournalInADataDirectoryWithoutDotSlash() {
		List<String> arguments = new ArrayList<>(
				List.of("--server.port=0", "--management.server.port=0", "--stamped-sync.data-dir=" + this.relative));
		arguments.addAll(TestTokens.arguments());
		try (ConfigurableApplicationContext gateway = new SpringApplicationBuilder(StampedSyncApplication.class)
			.run(arguments.toArray(String[]::new))) {
			assertThat(gateway.getEnvironment().getProperty(AbsoluteDataDirectory.PROPERTY))
				.isEqualTo(this.relative.toAbsolutePath().toString());
		}
		assertThat(this.relative.resolve(PrivateJournalFile.JOURNAL_FILE)).isNotEmptyFile();
	}

	@Test
	void relativeAndDotSlashPathsResolveFromTheWorkingDirectoryAndAbsoluteOnesStay() {
		Path workingDirectory = Path.of("").toAbsolutePath();
		assertThat(resolved("data")).isEqualTo(workingDirectory.resolve("data").toString());
		assertThat(resolved("./data")).isEqualTo(workingDirectory.resolve("data").toString());
		assertThat(resolved("/var/lib/stamped-sync")).isEqualTo("/var/lib/stamped-sync");
		assertThat(resolved(null)).isNull();
	}

	private static String resolved(String dataDir) {
		StandardEnvironment environment = new StandardEnvironment();
		if (dataDir != null) {
			environment.getPropertySources()
				.addLast(new MapPropertySource("test", Map.of(AbsoluteDataDirectory.PROPERTY, dataDir)));
		}
		new AbsoluteDataDirectory().postProcessEnvironment(environment, new SpringApplication());
		return environment.getProperty(AbsoluteDataDirectory.PROPERTY);
	}

}

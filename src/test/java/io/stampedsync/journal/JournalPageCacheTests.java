package io.stampedsync.journal;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import io.stampedsync.StampedSyncApplication;
import io.stampedsync.TestTokens;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.util.FileSystemUtils;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The embedded journal's page cache is bounded, whatever the heap: at H2's default (a
 * share of the heap) an intake's freshly written pages were promoted and piled up as old
 * garbage (docs/performance.md "Per-record cost").
 */
class JournalPageCacheTests {

	private final Path dataDir = Path.of("target", "page-cache-" + UUID.randomUUID());

	@AfterEach
	void removeDirectory() {
		FileSystemUtils.deleteRecursively(this.dataDir.toFile());
	}

	@Test
	void theDefaultJournalKeepsAFourMegabytePageCache() {
		List<String> arguments = new ArrayList<>(
				List.of("--server.port=0", "--management.server.port=0", "--stamped-sync.data-dir=" + this.dataDir));
		arguments.addAll(TestTokens.arguments());
		try (ConfigurableApplicationContext gateway = new SpringApplicationBuilder(StampedSyncApplication.class)
			.run(arguments.toArray(String[]::new))) {
			String cacheSize = gateway.getBean(DatabaseClient.class)
				.sql("SELECT SETTING_VALUE FROM INFORMATION_SCHEMA.SETTINGS WHERE SETTING_NAME = 'info.CACHE_MAX_SIZE'")
				.map((row) -> row.get(0, String.class))
				.one()
				.block();
			assertThat(cacheSize).as("megabytes").isEqualTo("4");
		}
	}

}

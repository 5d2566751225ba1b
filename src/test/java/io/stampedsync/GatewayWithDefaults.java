package io.stampedsync;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.context.ApplicationContext;
import org.springframework.context.annotation.Import;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;

/**
 * One gateway with its defaults (no subscription, no token), shared by the test classes
 * that only read what it serves: the docs, the dashboard's files, its health. Spring's
 * context cache starts it once for all of them, as their configuration is this class's.
 * Its data directory is the JVM's own, under {@code target/}, not a class's
 * {@code @TempDir}: JUnit deletes those after each class, under a context that is still
 * cached.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "management.server.port=0", "spring.test.webtestclient.timeout=30s" })
@AutoConfigureWebTestClient
// Part of the shared configuration (not of one class's): an import of its own would give
// ApiDocsTests a context of its own.
@Import(SpringDocThreads.class)
public abstract class GatewayWithDefaults {

	private static final Path DATA_DIR = createDataDir();

	@Autowired
	protected WebTestClient client;

	@Autowired
	protected ApplicationContext context;

	@DynamicPropertySource
	static void dataDir(DynamicPropertyRegistry registry) {
		registry.add("stamped-sync.data-dir", DATA_DIR::toString);
	}

	private static Path createDataDir() {
		try {
			Path target = Files.createDirectories(Path.of("target"));
			return Files.createTempDirectory(target, "gateway-with-defaults-").toAbsolutePath();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

}

package io.stampedsync;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * No test builds an HTTP client of its own that could leave an answer unread: the
 * {@code WebTestClient}s and {@code WebClient}s of the tests come from
 * {@link GatewayClients}, under {@link AnswersReadToTheEnd}. The benchmarks build their
 * own (a pool sized to the run) and read every body; the JDK's {@code HttpClient} reads
 * each body with its body handler.
 */
class ClientsUnderTheRuleTests {

	private static final Path TESTS = Path.of("src/test/java/io/stampedsync");

	/** Ways to build a client that talks to a server. */
	private static final List<String> OWN_CLIENTS = List.of("bindToServer(", "WebClient.builder(", "WebClient.create(",
			"HttpClient.create(");

	private static final Set<Path> ALLOWED = Set.of(TESTS.resolve("GatewayClients.java"),
			TESTS.resolve("ClientsUnderTheRuleTests.java"));

	@Test
	void everyTestClientOfAServerComesFromGatewayClients() throws IOException {
		try (Stream<Path> sources = Files.walk(TESTS)) {
			List<String> own = sources.filter((path) -> path.toString().endsWith(".java"))
				.filter((path) -> !ALLOWED.contains(path) && !path.startsWith(TESTS.resolve("bench")))
				.flatMap((path) -> OWN_CLIENTS.stream()
					.filter((client) -> read(path).contains(client))
					.map((client) -> TESTS.relativize(path) + ": " + client))
				.toList();
			assertThat(own).as("clients built outside GatewayClients").isEmpty();
		}
	}

	private static String read(Path path) {
		try {
			return Files.readString(path);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

}

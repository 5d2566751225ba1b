package io.stampedsync;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * docs/api.md cannot drift from the code: every operation (method and path) of the
 * OpenAPI document the running gateway serves at {@code /v3/api-docs} is on the page, and
 * every operation of the page's endpoint table exists. The document is served in every
 * profile (only its browsing UI is behind a property).
 */
class ApiDocsTests extends GatewayWithDefaults {

	private static final Path PAGE = Path.of("docs", "api.md");

	private static final Set<String> METHODS = Set.of("get", "put", "post", "delete", "patch");

	/** A row of the page's endpoint table: | `GET /api/v1/…` | … */
	private static final Pattern ROW = Pattern.compile("(?m)^\\| `(GET|PUT|POST|DELETE|PATCH) (/api/[^`]*)` \\|");

	@Test
	void everyOperationOfTheOpenApiDocumentIsOnTheApiPage() throws IOException {
		String page = Files.readString(PAGE);

		List<String> missing = new ArrayList<>();
		for (String operation : openApiOperations()) {
			if (!Pattern.compile(Pattern.quote(operation) + "(?![\\w/{}-])").matcher(page).find()) {
				missing.add(operation);
			}
		}

		assertThat(missing).as("operations of /v3/api-docs missing from %s", PAGE).isEmpty();
	}

	@Test
	void everyOperationOfTheApiPageTableExists() throws IOException {
		Set<String> operations = openApiOperations();
		Matcher row = ROW.matcher(Files.readString(PAGE));

		List<String> unknown = new ArrayList<>();
		while (row.find()) {
			String operation = row.group(1) + " " + row.group(2);
			if (!operations.contains(operation)) {
				unknown.add(operation);
			}
		}

		assertThat(unknown).as("operations in the table of %s that /v3/api-docs does not have", PAGE).isEmpty();
	}

	@Test
	void theDocumentsBeansAreMadeOffTheEventLoops() {
		openApiOperations();

		// Some are made at start (on main), the lazy ones by the first request: on a
		// worker, never on an event loop (webflux-http-epoll-N, reactor-http-nio-N).
		assertThat(SpringDocThreads.threads).as("threads that made SpringDoc's beans")
			.anySatisfy((thread) -> assertThat(thread).startsWith("boundedElastic-"))
			.noneSatisfy((thread) -> assertThat(thread).containsPattern("-(epoll|nio|kqueue)-\\d+$"));
	}

	/** {@code METHOD path} of every operation the gateway describes. */
	private Set<String> openApiOperations() {
		JsonNode document = GatewayApi.getJson(this.client, "/v3/api-docs");
		Set<String> operations = new TreeSet<>();
		document.path("paths").properties().forEach((path) -> path.getValue().propertyNames().forEach((method) -> {
			if (METHODS.contains(method)) {
				operations.add(method.toUpperCase(Locale.ROOT) + " " + path.getKey());
			}
		}));
		assertThat(operations).as("operations of /v3/api-docs").isNotEmpty();
		return operations;
	}

}

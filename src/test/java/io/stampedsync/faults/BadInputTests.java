package io.stampedsync.faults;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import io.stampedsync.GatewayApi;
import io.stampedsync.TestSubscriptions;
import io.stampedsync.TestTokens;
import io.stampedsync.faults.Probe.Role;
import io.stampedsync.sandbox.StampedSimulator;
import io.stampedsync.testing.Customers;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import reactor.core.publisher.Hooks;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.ApplicationContext;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Property-based bad input: random and garbled requests at every endpoint
 * ({@link Endpoint}), from every role (none, reader, writer, admin, a session cookie,
 * garbled credentials), with random bodies, headers and query values. For each: never a
 * 5xx; never a stack trace or a Java class name in the body; an error is problem+json
 * whose status is the answer's; a 2xx body is valid JSON of the endpoint's documented
 * shape (or a well-formed event stream); and a 4xx leaves the journal as it was. A
 * failing request is shrunk (fewer headers, query values, body bytes; the admin role)
 * while it still fails, and reported with its seed. {@code -Dbad-input.tries=…} (default
 * 1000) and {@code -Dbad-input.seed=…} (default fixed, so a run is repeatable) change the
 * run.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class BadInputTests {

	static final int TRIES = Integer.getInteger("bad-input.tries", 1000);

	static final long SEED = Long.getLong("bad-input.seed", 20261206L);

	/** Names of the gateway's stack that must never reach a client. */
	static final Pattern CLASS_NAME = Pattern
		.compile("(java|javax|jakarta|io\\.stampedsync|io\\.netty|reactor|org\\.springframework|tools\\.jackson)"
				+ "\\.[a-z]+\\.|Exception\\b|\\tat ");

	static final StampedSimulator stamped = TestSubscriptions.stampedSimulator();

	/** Errors Reactor could not deliver (a buffer released twice shows up here). */
	static final List<Throwable> dropped = new CopyOnWriteArrayList<>();

	@TempDir
	static Path dataDir;

	@LocalServerPort
	int port;

	@Autowired
	DatabaseClient database;

	@Autowired
	ApplicationContext context;

	final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

	final JsonMapper json = JsonMapper.builder().build();

	@DynamicPropertySource
	static void properties(DynamicPropertyRegistry registry) {
		TestSubscriptions.gateway(registry, dataDir);
		TestSubscriptions.subscription(registry, "fuzz", stamped,
				Map.of("api-throttle-limit", "100000", "api-throttle-seconds", "1", "concurrent-connections", "4"));
	}

	@BeforeAll
	static void watchDroppedErrors() {
		Hooks.onErrorDropped(dropped::add);
	}

	@AfterAll
	static void stop() {
		Hooks.resetOnErrorDropped();
		stamped.close();
	}

	@Test
	void everyRequestFromEveryRoleIsAnsweredCleanly() throws Exception {
		GatewayApi api = GatewayApi.of(this.context);
		String batch = api.submit("fuzz", Customers.fresh("fuzz-", 3));
		api.awaitFinal(batch, Duration.ofSeconds(60));
		Map<Role, Map.Entry<String, String>> credentials = credentials();
		Random seeds = new Random(SEED);
		for (int tryNumber = 0; tryNumber < TRIES; tryNumber++) {
			long seed = seeds.nextLong();
			Probe probe = Probe.random(new Random(seed), "fuzz", batch, stamped.baseUrl());
			Optional<String> failure = check(probe, credentials);
			if (failure.isPresent()) {
				Probe smallest = shrink(probe, credentials);
				throw new AssertionError("Try " + tryNumber + " (seed " + seed + ", -Dbad-input.seed=" + SEED + "): "
						+ failure.get() + "\n  request: " + probe + "\n  shrunk:  " + smallest + "\n  which gives: "
						+ check(smallest, credentials).orElse("?"));
			}
		}
		assertThat(dropped).as("errors dropped while answering").isEmpty();
	}

	/** Simpler requests that still break an invariant, until none does. */
	private Probe shrink(Probe failing, Map<Role, Map.Entry<String, String>> credentials) {
		Probe smallest = failing;
		boolean smaller = true;
		for (int step = 0; smaller && step < 200; step++) {
			smaller = false;
			for (Probe candidate : smallest.shrinks()) {
				if (check(candidate, credentials).isPresent()) {
					smallest = candidate;
					smaller = true;
					break;
				}
			}
		}
		return smallest;
	}

	/** The first invariant the answer to {@code probe} breaks, if any. */
	private Optional<String> check(Probe probe, Map<Role, Map.Entry<String, String>> credentials) {
		List<Long> before = journalCounts();
		HttpResponse<String> response;
		try {
			response = this.http.send(probe.request(base(), credentials), HttpResponse.BodyHandlers.ofString());
		}
		catch (Exception ex) {
			return Optional.of("no answer: " + ex);
		}
		int status = response.statusCode();
		String body = response.body();
		String type = response.headers().firstValue("Content-Type").orElse("");
		if (!dropped.isEmpty()) {
			return Optional.of("errors dropped: " + dropped);
		}
		if (status >= 500) {
			return Optional.of("status " + status + ": " + body);
		}
		if (CLASS_NAME.matcher(body).find()) {
			return Optional.of("stack trace or class name in " + status + ": " + body);
		}
		if (status >= 400) {
			if (!type.startsWith("application/problem+json")) {
				return Optional.of(status + " as " + type + ": " + body);
			}
			if (!probe.method().equals("HEAD")) {
				JsonNode problem = readJson(body);
				if (problem == null || problem.path("status").asInt() != status) {
					return Optional.of(status + " with problem " + body);
				}
			}
			List<Long> after = journalCounts();
			return after.equals(before) ? Optional.empty()
					: Optional.of(status + " changed the journal from " + before + " to " + after);
		}
		if (status >= 200 && status < 300 && !probe.method().equals("HEAD")) {
			return shapeProblem(probe.endpoint().shape, type, body).map((problem) -> status + " " + problem);
		}
		return Optional.empty();
	}

	private Optional<String> shapeProblem(Endpoint.Shape shape, String type, String body) {
		if (type.startsWith("text/event-stream")) {
			boolean wellFormed = body.lines()
				.allMatch(
						(line) -> line.isEmpty() || line.startsWith(":") || line.matches("^(id|event|data|retry):.*"));
			if (!wellFormed) {
				return Optional.of("event stream: " + body);
			}
			// A JSON endpoint asked for text/event-stream answers its JSON as events
			// (WebFlux content negotiation): each event's data must then have the shape
			// (an array's elements one event each).
			Endpoint.Shape each = (shape == Endpoint.Shape.ARRAY) ? Endpoint.Shape.ID : shape;
			for (String event : body.split("\n\n")) {
				String data = event.lines()
					.filter((line) -> line.startsWith("data:"))
					.map((line) -> line.substring(5))
					.collect(Collectors.joining("\n"));
				if (!data.isEmpty() && each != Endpoint.Shape.BATCH && each != Endpoint.Shape.EVENTS) {
					Optional<String> problem = shapeProblem(each, "application/json", data);
					if (problem.isPresent()) {
						return problem.map((detail) -> "event " + detail);
					}
				}
			}
			return Optional.empty();
		}
		if (shape == Endpoint.Shape.EMPTY || shape == Endpoint.Shape.ANY) {
			return (body.isEmpty() || readJson(body) != null) ? Optional.empty() : Optional.of("not JSON: " + body);
		}
		JsonNode node = readJson(body);
		boolean valid = (node != null) && switch (shape) {
			case ARRAY -> node.isArray() && node.valueStream().allMatch((item) -> item.hasNonNull("id"));
			case ID -> node.hasNonNull("id");
			case BATCH -> node.hasNonNull("id") && node.hasNonNull("status") && node.path("counts").isObject();
			case ITEMS -> node.path("items").isArray();
			case OBJECT -> node.isObject();
			default -> false;
		};
		return valid ? Optional.empty() : Optional.of("not of shape " + shape + ": " + body);
	}

	private JsonNode readJson(String body) {
		try {
			return this.json.readTree(body);
		}
		catch (RuntimeException ex) {
			return null;
		}
	}

	/** Credentials per role; the session cookie from a login with the admin token. */
	private Map<Role, Map.Entry<String, String>> credentials() throws Exception {
		Map<Role, Map.Entry<String, String>> credentials = new EnumMap<>(Role.class);
		credentials.put(Role.READER, Map.entry("Authorization", TestTokens.bearer(TestTokens.READER)));
		credentials.put(Role.WRITER, Map.entry("Authorization", TestTokens.bearer(TestTokens.WRITER)));
		credentials.put(Role.ADMIN, Map.entry("Authorization", TestTokens.bearer(TestTokens.ADMIN)));
		credentials.put(Role.GARBLED, Map.entry("Authorization", "Bearer " + TestTokens.ADMIN.substring(3) + "%00"));
		HttpResponse<Void> login = this.http.send(HttpRequest.newBuilder(URI.create(base() + "/api/v1/session"))
			.header("Content-Type", "application/json")
			.POST(HttpRequest.BodyPublishers.ofString("{\"token\": \"" + TestTokens.ADMIN + "\"}"))
			.build(), HttpResponse.BodyHandlers.discarding());
		String cookie = login.headers().firstValue("Set-Cookie").orElseThrow().split(";", 2)[0];
		credentials.put(Role.SESSION, Map.entry("Cookie", cookie));
		return credentials;
	}

	/** Batches, their records and subscriptions: what a rejected request must not add. */
	private List<Long> journalCounts() {
		Map<String, Object> row = this.database
			.sql("select (select count(*) from batch) as b, (select count(*) from batch_record) as r, "
					+ "(select count(*) from subscription) as s, (select coalesce(sum(version), 0) from subscription) as v")
			.fetch()
			.one()
			.block(Duration.ofSeconds(10));
		List<Long> counts = new ArrayList<>();
		for (String column : List.of("b", "r", "s", "v")) {
			Object value = (row.get(column) != null) ? row.get(column) : row.get(column.toUpperCase());
			counts.add(((Number) value).longValue());
		}
		return counts;
	}

	private String base() {
		return "http://127.0.0.1:" + this.port;
	}

}

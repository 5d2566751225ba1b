package io.stampedsync.faults;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Collectors;

import io.stampedsync.faults.Endpoint.Body;

/**
 * One generated request of {@link BadInputTests}: who sends it, to which endpoint, with
 * which query values, headers and body; drawn from a {@link Random}, and shrinkable to
 * simpler requests of the same kind.
 *
 * @param role who sends it
 * @param endpoint the endpoint it is drawn for
 * @param method the HTTP method
 * @param path the path, its segments encoded
 * @param query query parameters, unencoded
 * @param headers headers besides credentials
 * @param body the body bytes
 */
record Probe(Role role, Endpoint endpoint, String method, String path, List<Map.Entry<String, String>> query,
		List<Map.Entry<String, String>> headers, byte[] body) {

	/** Who sends a request. */
	enum Role {

		NONE, READER, WRITER, ADMIN, SESSION, GARBLED

	}

	/** A random request; {@code subscription}, {@code batch} are real ones. */
	static Probe random(Random random, String subscription, String batch, String simulatorUrl) {
		Role role = Role.values()[random.nextInt(Role.values().length)];
		Endpoint endpoint = Endpoint.values()[random.nextInt(Endpoint.values().length)];
		String method = (endpoint.method != null) ? endpoint.method : Garbage.method(random);
		String path = (endpoint.path != null) ? endpoint.path.replace("{sub}", segment(random, subscription))
			.replace("{new}", segment(random, "fuzz-api-" + random.nextInt(20)))
			.replace("{batch}", segment(random, batch)) : Garbage.apiPath(random, batch);
		if (endpoint == Endpoint.ANYWHERE && path.endsWith("/events") && !method.equals("POST")) {
			// The global stream never ends, and a batch's stream has its own endpoint.
			method = "POST";
		}
		List<Map.Entry<String, String>> query = new ArrayList<>();
		for (String name : endpoint.query) {
			if (random.nextInt(3) > 0) {
				query.add(Map.entry(name, value(random, name)));
			}
		}
		if (random.nextInt(5) == 0) {
			query.add(Map.entry(Garbage.text(random, 8), Garbage.text(random, 12)));
		}
		List<Map.Entry<String, String>> headers = new ArrayList<>();
		Garbage.contentType(random).ifPresent((type) -> headers.add(Map.entry("Content-Type", type)));
		if (random.nextInt(4) == 0) {
			headers.add(Map.entry("Idempotency-Key", Garbage.headerValue(random)));
		}
		if (random.nextInt(6) == 0) {
			headers.add(Map.entry("Accept", random.nextBoolean() ? "text/event-stream" : Garbage.headerValue(random)));
		}
		if (endpoint == Endpoint.BATCH_EVENTS || random.nextInt(8) == 0) {
			headers.add(Map.entry("Last-Event-ID",
					random.nextBoolean() ? Garbage.headerNumber(random) : Garbage.headerValue(random)));
		}
		if (random.nextInt(8) == 0) {
			headers.add(Map.entry("X-" + Garbage.text(random, 6).replaceAll("[^A-Za-z0-9]", "a"),
					Garbage.headerValue(random)));
		}
		return new Probe(role, endpoint, method, path, query, headers, body(random, endpoint.body, simulatorUrl));
	}

	/** Simpler requests of the same kind, simplest changes first. */
	List<Probe> shrinks() {
		List<Probe> simpler = new ArrayList<>();
		if (this.body.length > 0) {
			simpler.add(with(this.query, this.headers, new byte[0]));
			simpler.add(with(this.query, this.headers, Arrays.copyOf(this.body, this.body.length / 2)));
		}
		for (int i = 0; i < this.headers.size(); i++) {
			List<Map.Entry<String, String>> fewer = new ArrayList<>(this.headers);
			fewer.remove(i);
			simpler.add(with(this.query, fewer, this.body));
		}
		for (int i = 0; i < this.query.size(); i++) {
			List<Map.Entry<String, String>> fewer = new ArrayList<>(this.query);
			fewer.remove(i);
			simpler.add(with(fewer, this.headers, this.body));
		}
		if (this.role != Role.ADMIN) {
			simpler
				.add(new Probe(Role.ADMIN, this.endpoint, this.method, this.path, this.query, this.headers, this.body));
		}
		return simpler;
	}

	/** The request on {@code base}, with the role's credentials. */
	HttpRequest request(String base, Map<Role, Map.Entry<String, String>> credentials) {
		String queryString = this.query.isEmpty() ? ""
				: this.query.stream()
					.map((entry) -> encode(entry.getKey()) + "=" + encode(entry.getValue()))
					.collect(Collectors.joining("&", "?", ""));
		HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + this.path + queryString))
			.timeout(Duration.ofSeconds(30))
			.method(this.method, this.method.equals("HEAD") ? HttpRequest.BodyPublishers.noBody()
					: HttpRequest.BodyPublishers.ofByteArray(this.body));
		Map.Entry<String, String> credential = credentials.get(this.role);
		if (credential != null) {
			request.header(credential.getKey(), credential.getValue());
		}
		this.headers.forEach((header) -> request.header(header.getKey(), header.getValue()));
		return request.build();
	}

	@Override
	public String toString() {
		String shown = new String(this.body, StandardCharsets.UTF_8);
		return this.role + " " + this.method + " " + this.path + " query=" + this.query + " headers=" + this.headers
				+ " body(" + this.body.length + ")=" + ((shown.length() > 300) ? shown.substring(0, 300) + "…" : shown);
	}

	private Probe with(List<Map.Entry<String, String>> query, List<Map.Entry<String, String>> headers, byte[] body) {
		return new Probe(this.role, this.endpoint, this.method, this.path, query, headers, body);
	}

	private static String segment(Random random, String real) {
		String value = (random.nextInt(5) > 0) ? real : Garbage.text(random, 40);
		return encode(value).replace("+", "%20");
	}

	private static String value(Random random, String name) {
		return switch (name) {
			case "dryRun", "force", "cancelBatches" -> Garbage.flag(random);
			case "status" -> Garbage.status(random);
			case "outcome", "code" -> Garbage.outcome(random);
			case "page", "size", "limit" -> Garbage.number(random);
			case "since" -> random.nextBoolean() ? "2026-01-01T00:00:00Z" : Garbage.text(random, 20);
			default -> random.nextBoolean() ? "fuzz" : Garbage.text(random, 70);
		};
	}

	private static byte[] body(Random random, Body kind, String simulatorUrl) {
		return switch (kind) {
			case NONE -> (random.nextInt(6) == 0) ? Garbage.bytes(random, 64) : new byte[0];
			case BATCH -> Garbage.batchBody(random);
			case SUBSCRIPTION -> (random.nextInt(5) == 0) ? Garbage.bytes(random, 200)
					: Garbage.subscriptionJson(random, simulatorUrl).getBytes(StandardCharsets.UTF_8);
			case MANUAL_SYNC ->
				(random.nextBoolean()) ? Garbage.garble(random, "{\"ids\": [\"150713\", \"150714\"], \"debug\": false}")
						: Garbage.json(random, 3).getBytes(StandardCharsets.UTF_8);
			case JSON -> Garbage.json(random, 3).getBytes(StandardCharsets.UTF_8);
			case BYTES -> Garbage.bytes(random, 64);
		};
	}

	private static String encode(String value) {
		return URLEncoder.encode(value, StandardCharsets.UTF_8);
	}

}

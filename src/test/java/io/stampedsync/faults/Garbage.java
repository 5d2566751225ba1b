package io.stampedsync.faults;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.stream.IntStream;

import io.stampedsync.testing.Customers;

/** Random and garbled request parts for {@link BadInputTests}. */
final class Garbage {

	private static final String PUNCTUATION = "-_.~/\\?#%&=+;:,'\"<>{}[]|`^ !@$*()";

	private static final String STRUCTURE = "{}[]\",:\n\\0";

	private static final List<String> CONTENT_TYPES = List.of("application/json", "application/x-ndjson",
			"application/json;charset=UTF-16", "application/x-ndjson; charset=\"bogus\"", "text/plain",
			"application/xml", "multipart/form-data", "application/problem+json", "*/*", "application/*", "a/b/c",
			";;;", "application/json; q=abc", "text/event-stream");

	private static final List<String> FIELDS = List.of("apiUrl", "apiPublicKey", "apiPrivateKey", "apiStoreHash",
			"apiUser", "apiPassword", "apiThrottleLimit", "apiThrottleSeconds", "ipaasThrottleLimit",
			"ipaasThrottleSeconds", "concurrentConnections", "concurrentBatchExecutions", "ipaasApiUrl",
			"ipaasApiToken", "ipaasSystemId", "webhookApiKey", "subscriptionStateField", "id", "email_address");

	private static final String VALID_RECORD = Customers.customer("150713")
		.email("ada@example.com")
		.firstName("Ada")
		.lastName("Lovelace")
		.customerNumber("C-1")
		.customField("x", "1")
		.field("addresses", List.of(Map.of("phone_number", "1")))
		.json();

	private Garbage() {
	}

	static byte[] bytes(Random random, int most) {
		byte[] bytes = new byte[random.nextInt(most + 1)];
		random.nextBytes(bytes);
		return bytes;
	}

	/** Letters, digits, punctuation, controls and non-ASCII characters. */
	static String text(Random random, int most) {
		StringBuilder text = new StringBuilder();
		int length = random.nextInt(most + 1);
		for (int i = 0; i < length; i++) {
			text.append(switch (random.nextInt(6)) {
				case 0 -> (char) ('a' + random.nextInt(26));
				case 1 -> (char) ('0' + random.nextInt(10));
				case 2 -> PUNCTUATION.charAt(random.nextInt(PUNCTUATION.length()));
				case 3 -> (char) random.nextInt(32);
				case 4 -> (char) (0x80 + random.nextInt(0x700));
				default -> (char) ('A' + random.nextInt(26));
			});
		}
		return text.toString();
	}

	/** A header value the HTTP client accepts: visible ASCII and spaces inside. */
	static String headerValue(Random random) {
		StringBuilder text = new StringBuilder();
		int length = 1 + random.nextInt(40);
		for (int i = 0; i < length; i++) {
			text.append((char) (0x21 + random.nextInt(0x5e)));
			if (random.nextInt(10) == 0) {
				text.append(' ');
			}
		}
		return text.toString().trim();
	}

	static Optional<String> contentType(Random random) {
		return switch (random.nextInt(8)) {
			case 0 -> Optional.empty();
			case 1 -> Optional.of(headerValue(random));
			default -> Optional.of(CONTENT_TYPES.get(random.nextInt(CONTENT_TYPES.size())));
		};
	}

	static String flag(Random random) {
		return switch (random.nextInt(4)) {
			case 0 -> "true";
			case 1 -> "false";
			case 2 -> "";
			default -> text(random, 8);
		};
	}

	static String number(Random random) {
		return switch (random.nextInt(6)) {
			case 0 -> Integer.toString(random.nextInt(2000) - 1000);
			case 1 -> Long.toString(random.nextLong());
			case 2 -> "99999999999999999999999";
			case 3 -> "1e3";
			case 4 -> "";
			default -> text(random, 6);
		};
	}

	/** A number-like value that may go in a header. */
	static String headerNumber(Random random) {
		String number = number(random);
		return number.chars().allMatch((c) -> c > 0x20 && c < 0x7f) ? number : headerValue(random);
	}

	static String outcome(Random random) {
		List<String> known = List.of("created", "updated", "unchanged", "rejected", "failed", "cancelled", "CREATED");
		return random.nextBoolean() ? known.get(random.nextInt(known.size())) : text(random, 10);
	}

	static String status(Random random) {
		List<String> known = List.of("queued", "running", "paused", "completed", "completed_with_errors", "cancelled",
				"receiving");
		return random.nextBoolean() ? known.get(random.nextInt(known.size())) : text(random, 10);
	}

	static String method(Random random) {
		List<String> methods = List.of("GET", "POST", "PUT", "DELETE", "PATCH", "HEAD", "OPTIONS");
		return methods.get(random.nextInt(methods.size()));
	}

	/** A path under /api/v1 made of real and random segments. */
	static String apiPath(Random random, String batchId) {
		List<String> segments = List.of("subscriptions", "batches", "results", "retry", "verify", "events", "fuzz",
				batchId, "hooks", "manual-sync", "errors", "..", "%2e%2e", "%00", "%25ZZ", "%2F", "");
		StringBuilder path = new StringBuilder("/api/v1");
		int depth = 1 + random.nextInt(4);
		for (int i = 0; i < depth; i++) {
			path.append('/');
			if (random.nextInt(4) == 0) {
				path.append(URLEncoder.encode(text(random, 12), StandardCharsets.UTF_8).replace("+", "%20"));
			}
			else {
				path.append(segments.get(random.nextInt(segments.size())));
			}
		}
		return path.toString();
	}

	/** A batch body: random bytes, a garbled valid body, or a random JSON value. */
	static byte[] batchBody(Random random) {
		return switch (random.nextInt(5)) {
			case 0 -> bytes(random, 300);
			case 1 -> garble(random, (VALID_RECORD + "\n" + VALID_RECORD.replace("150713", "150714") + "\n"));
			case 2 -> garble(random, "[" + VALID_RECORD + "," + VALID_RECORD.replace("150713", "150715") + "]");
			case 3 -> json(random, 3).getBytes(StandardCharsets.UTF_8);
			default -> new byte[0];
		};
	}

	/**
	 * A subscription body: a JSON object of known and unknown fields with random values.
	 */
	static String subscriptionJson(Random random, String simulatorUrl) {
		StringBuilder json = new StringBuilder("{");
		int fields = random.nextInt(FIELDS.size());
		for (int i = 0; i < fields; i++) {
			String name = random.nextInt(8) == 0 ? text(random, 8) : FIELDS.get(random.nextInt(FIELDS.size()));
			json.append(i == 0 ? "" : ",").append(quote(name)).append(':');
			json.append(switch (random.nextInt(5)) {
				case 0 -> quote(simulatorUrl);
				case 1 -> quote("pubkey-" + random.nextInt(100));
				case 2 -> Integer.toString(random.nextInt(200) - 50);
				default -> json(random, 2);
			});
		}
		String body = json.append('}').toString();
		return random.nextInt(4) == 0 ? new String(garble(random, body), StandardCharsets.UTF_8) : body;
	}

	/** A random JSON value. */
	static String json(Random random, int depth) {
		int kind = random.nextInt(depth > 0 ? 9 : 6);
		return switch (kind) {
			case 0 -> "null";
			case 1 -> Boolean.toString(random.nextBoolean());
			case 2 -> Long.toString(random.nextLong());
			case 3 -> random.nextBoolean() ? "1.5e308" : "-0.000001";
			case 4, 5 -> quote(text(random, 20));
			case 6 -> "["
					+ String.join(",",
							IntStream.range(0, random.nextInt(4)).mapToObj((i) -> json(random, depth - 1)).toList())
					+ "]";
			default -> "{" + String.join(",", IntStream.range(0, random.nextInt(4))
				.mapToObj(
						(i) -> quote(random.nextBoolean() ? FIELDS.get(random.nextInt(FIELDS.size())) : text(random, 6))
								+ ":" + json(random, depth - 1))
				.toList()) + "}";
		};
	}

	/**
	 * {@code valid} with one to three random edits: cut, delete, insert, duplicate, swap.
	 */
	static byte[] garble(Random random, String valid) {
		StringBuilder text = new StringBuilder(valid);
		int edits = 1 + random.nextInt(3);
		for (int i = 0; i < edits && text.length() > 0; i++) {
			int at = random.nextInt(text.length());
			switch (random.nextInt(5)) {
				case 0 -> text.setLength(at);
				case 1 -> text.delete(at, Math.min(text.length(), at + 1 + random.nextInt(10)));
				case 2 -> text.insert(at, text(random, 5));
				case 3 -> text.insert(at, text.substring(at, Math.min(text.length(), at + random.nextInt(20))));
				default -> text.setCharAt(at, STRUCTURE.charAt(random.nextInt(STRUCTURE.length())));
			}
		}
		return text.toString().getBytes(StandardCharsets.UTF_8);
	}

	private static String quote(String value) {
		StringBuilder quoted = new StringBuilder("\"");
		for (char c : value.toCharArray()) {
			if (c == '"' || c == '\\') {
				quoted.append('\\').append(c);
			}
			else if (c < 0x20) {
				quoted.append(String.format("\\u%04x", (int) c));
			}
			else {
				quoted.append(c);
			}
		}
		return quoted.append('"').toString();
	}

}

package io.stampedsync.stamped;

import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.stampedsync.subscription.SubscriptionSettings;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.MissingNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Every decision about Stamped.io's wire format, in one place (domain doc, "Our decisions
 * where the sources are silent"): paths, bodies, where the customer id and the error
 * message are read from. Change it here when Stamped.io turns out to differ.
 */
final class StampedWire {

	/** {@code POST}: create a customer (Stamped.io de-duplicates by email). */
	static final String CREATE = "dashboard/customers/add";

	/** {@code POST} to update, {@code GET} to read one customer. */
	static final String CUSTOMER = "dashboard/customers/{id}";

	/** {@code GET}: one page of customers; pages count from 1. */
	static final String LIST = "dashboard/customers?page={page}&take={take}";

	/** {@code POST} with {@code {"email"}}. */
	static final String SUBSCRIBE = "survey/subscribe";

	/** {@code POST} with {@code {"email"}}. */
	static final String UNSUBSCRIBE = "survey/unsubscribe";

	/**
	 * The longest Stamped customer id a link holds (customer_link.stamped_customer_id).
	 */
	static final int MAX_ID_LENGTH = 64;

	/** Where a create or update answer carries the customer id, first choice first. */
	private static final String ID = "id";

	private static final String CUSTOMER_ID = "customerId";

	private static final TypeReference<Map<String, Object>> OBJECT = new TypeReference<>() {
	};

	private static final TypeReference<List<Map<String, Object>>> OBJECTS = new TypeReference<>() {
	};

	private final JsonMapper json;

	StampedWire(JsonMapper json) {
		this.json = json;
	}

	/** {@code {apiUrl}/api/v2/{storeHash}/}, the base of every path above. */
	static String baseUrl(SubscriptionSettings settings) {
		String apiUrl = settings.apiUrl();
		while (apiUrl.endsWith("/")) {
			apiUrl = apiUrl.substring(0, apiUrl.length() - 1);
		}
		return apiUrl + "/api/v2/" + settings.apiStoreHash() + "/";
	}

	/**
	 * Create and update body: camelCase, absent fields left out; as the UTF-8 bytes that
	 * go out, written once.
	 */
	byte[] customerBody(StampedCustomer customer) {
		return this.json.writeValueAsBytes(customer);
	}

	/** Subscribe and unsubscribe body. */
	byte[] emailBody(String email) {
		return this.json.writeValueAsBytes(Map.of("email", email));
	}

	/**
	 * Whether a 2xx body can be read: JSON, or empty when {@code emptyAllowed}. A body
	 * cut short or garbled on the way is not, and the call is then tried again (DESIGN.md
	 * §5: a create is idempotent by email).
	 */
	boolean readable(String body, boolean emptyAllowed) {
		return (body == null || body.isBlank()) ? emptyAllowed : tree(body) != null;
	}

	/**
	 * The JSON of a 2xx body, read once for both checking and decoding it:
	 * {@link #NO_BODY} when empty and {@code emptyAllowed}, {@code null} when it cannot
	 * be read (see {@link #readable}).
	 */
	JsonNode readableTree(String body, boolean emptyAllowed) {
		if (body == null || body.isBlank()) {
			return emptyAllowed ? NO_BODY : null;
		}
		return tree(body);
	}

	/** What {@link #readableTree} answers for an empty body. */
	static final JsonNode NO_BODY = MissingNode.getInstance();

	/**
	 * What {@link #readableTree} answers for a create or update answer, as far as
	 * {@link #customerId(JsonNode)} reads it: of an object, its {@code id} and
	 * {@code customerId} alone, the rest checked but skipped rather than built into a
	 * tree (the answer carries the whole customer, read on every transfer).
	 */
	JsonNode readableId(String body, boolean emptyAllowed) {
		if (body == null || body.isBlank()) {
			return emptyAllowed ? NO_BODY : null;
		}
		try (JsonParser parser = this.json.createParser(body)) {
			if (parser.nextToken() != JsonToken.START_OBJECT) {
				// Not an object: no id in it, however it reads (rare; read the usual
				// way).
				return tree(body);
			}
			ObjectNode ids = this.json.createObjectNode();
			for (String name = parser.nextName(); name != null; name = parser.nextName()) {
				parser.nextToken();
				if (ID.equals(name) || CUSTOMER_ID.equals(name)) {
					ids.set(name, parser.readValueAsTree());
				}
				else {
					parser.skipChildren();
				}
			}
			if (parser.currentToken() != JsonToken.END_OBJECT) {
				return null;
			}
			// As readTree: a second value after the object makes the body unreadable.
			boolean trailing = this.json.isEnabled(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
					&& parser.nextToken() != null;
			return trailing ? null : ids;
		}
		catch (JacksonException ex) {
			return null;
		}
	}

	/**
	 * The Stamped customer id of a create or update response: {@code id}, else
	 * {@code customerId}, a number or a non-blank string.
	 */
	Optional<String> customerId(String body) {
		return customerId(tree(body));
	}

	/** The same, of a body already read ({@link #readableTree}). */
	Optional<String> customerId(JsonNode root) {
		if (root == null || !root.isObject()) {
			return Optional.empty();
		}
		// An id longer than the link's column could never be stored: as good as none.
		return idOf(root.get(ID)).or(() -> idOf(root.get(CUSTOMER_ID))).filter((id) -> id.length() <= MAX_ID_LENGTH);
	}

	private static Optional<String> idOf(JsonNode node) {
		if (node == null) {
			return Optional.empty();
		}
		if (node.isInt() || node.isLong()) {
			// The usual id: printed as a long, not through BigInteger (its toString
			// divides, once per transfer).
			return Optional.of(Long.toString(node.longValue()));
		}
		if (node.isIntegralNumber()) {
			return Optional.of(node.bigIntegerValue().toString());
		}
		if (node.isNumber()) {
			return Optional.of(node.decimalValue().stripTrailingZeros().toPlainString());
		}
		if (node.isString() && !node.asString().isBlank()) {
			return Optional.of(node.asString().trim());
		}
		return Optional.empty();
	}

	/** A customer as Stamped.io returns it (empty for a body that is not an object). */
	Map<String, Object> customer(String body) {
		return customer(tree(body));
	}

	Map<String, Object> customer(JsonNode root) {
		return (root != null && root.isObject()) ? this.json.convertValue(root, OBJECT) : Map.of();
	}

	/** The {@code results} of a list page (a bare array is accepted too). */
	List<Map<String, Object>> results(String body) {
		return results(tree(body));
	}

	List<Map<String, Object>> results(JsonNode root) {
		JsonNode results = (root != null && root.isObject()) ? root.get("results") : root;
		return (results != null && results.isArray()) ? this.json.convertValue(results, OBJECTS) : List.of();
	}

	/**
	 * Stamped.io's own words in an error response: {@code message} or {@code error} of a
	 * JSON body, else the body text; uncut, because only the caller can mask secrets, and
	 * masking must come before cutting ({@link io.stampedsync.outbound.RemoteText}).
	 */
	String remoteMessage(String body) {
		if (body == null || body.isBlank()) {
			return "";
		}
		JsonNode root = tree(body);
		if (root != null && root.isObject()) {
			for (String field : List.of("message", "error", "Message", "errorMessage")) {
				JsonNode node = root.get(field);
				if (node != null && node.isString() && !node.asString().isBlank()) {
					return node.asString();
				}
				if (node != null && node.isObject() && node.get("message") != null) {
					return node.get("message").asString();
				}
			}
		}
		return body;
	}

	private JsonNode tree(String body) {
		if (body == null || body.isBlank()) {
			return null;
		}
		try {
			return this.json.readTree(body);
		}
		catch (JacksonException ex) {
			return null;
		}
	}

}

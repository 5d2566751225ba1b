package io.stampedsync.sandbox;

import java.util.regex.Pattern;

import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * The simulators' JSON helpers: one shared mapper and lenient field readers.
 */
final class Json {

	static final JsonMapper MAPPER = JsonMapper.builder().build();

	// Deliberately loose, like most services: something@something.tld without spaces.
	private static final Pattern EMAIL = Pattern.compile("^[^@\\s]+@[^@\\s]+\\.[^@\\s]+$");

	private Json() {
	}

	/** The body as a JSON object, or {@code null} when it is not one. */
	static ObjectNode object(String body) {
		try {
			JsonNode node = MAPPER.readTree(body);
			return (node instanceof ObjectNode object) ? object : null;
		}
		catch (JacksonException ex) {
			return null;
		}
	}

	/** A scalar field as text (numbers too), or {@code null} when absent or null. */
	static String text(JsonNode node, String field) {
		JsonNode value = node.get(field);
		return (value != null && value.isValueNode() && !value.isNull()) ? value.asString() : null;
	}

	static boolean isEmail(String value) {
		return value != null && EMAIL.matcher(value).matches();
	}

	static ObjectNode newObject() {
		return MAPPER.createObjectNode();
	}

	static String write(JsonNode node) {
		return MAPPER.writeValueAsString(node);
	}

}

package io.stampedsync.testing;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * iPaaS.com customers as JSON, the way the tests send them: one builder, so that no test
 * writes customer JSON by hand and every value is escaped.
 *
 * <pre>
 * String one = Customers.customer("150713").email("ada@example.com").firstName("Ada").json();
 * String body = Customers.ndjson(Customers.fresh("load-", 100));
 * </pre>
 */
public final class Customers {

	private static final JsonMapper MAPPER = JsonMapper.builder().build();

	private Customers() {
	}

	/** A customer with the given {@code id} and nothing else yet. */
	public static Customer customer(String id) {
		return new Customer().id(id);
	}

	/** A customer with no {@code id} at all, which intake rejects. */
	public static Customer withoutId() {
		return new Customer();
	}

	/**
	 * The customer {@code prefix + n} as {@link #fresh} makes it: id {@code prefixN},
	 * email {@code prefixN@example.com}, customer number {@code CN-prefixN}, names
	 * {@code FirstN LastN}.
	 */
	public static Customer numbered(String prefix, int n) {
		return customer(prefix + n).email(prefix + n + "@example.com")
			.customerNumber("CN-" + prefix + n)
			.firstName("First" + n)
			.lastName("Last" + n);
	}

	/**
	 * {@code count} distinct valid customers {@code prefix1 … prefixN} (see
	 * {@link #numbered}), as JSON objects in a list the caller may change.
	 */
	public static List<String> fresh(String prefix, int count) {
		return IntStream.rangeClosed(1, count)
			.mapToObj((n) -> numbered(prefix, n).json())
			.collect(Collectors.toCollection(ArrayList::new));
	}

	/** The customers as an NDJSON body: one object a line, each line ended. */
	public static String ndjson(List<String> customers) {
		StringBuilder body = new StringBuilder();
		customers.forEach((customer) -> body.append(customer).append('\n'));
		return body.toString();
	}

	/** The customers as an NDJSON body. */
	public static String ndjson(Customer... customers) {
		return ndjson(jsons(customers));
	}

	/** The customers as a JSON array body. */
	public static String array(List<String> customers) {
		return "[" + String.join(",", customers) + "]";
	}

	/** The customers as a JSON array body. */
	public static String array(Customer... customers) {
		return array(jsons(customers));
	}

	private static List<String> jsons(Customer... customers) {
		return Arrays.stream(customers).map(Customer::json).toList();
	}

	/**
	 * One customer, built field by field; fields keep the order they were set in, and a
	 * field set twice keeps its first place with the last value.
	 */
	public static final class Customer {

		private final ObjectNode node = MAPPER.createObjectNode();

		private Customer() {
		}

		public Customer id(String id) {
			return field("id", id);
		}

		public Customer email(String email) {
			return field("email_address", email);
		}

		public Customer customerNumber(String customerNumber) {
			return field("customer_number", customerNumber);
		}

		public Customer firstName(String firstName) {
			return field("first_name", firstName);
		}

		public Customer lastName(String lastName) {
			return field("last_name", lastName);
		}

		/** Adds an entry to {@code custom_fields}. */
		public Customer customField(String name, String value) {
			ObjectNode field = MAPPER.createObjectNode().put("custom_field_name", name).put("value", value);
			array("custom_fields").add(field);
			return this;
		}

		/** Adds an entry to {@code external_ids}: the customer's id in another system. */
		public Customer externalId(long systemId, String externalId) {
			array("external_ids")
				.add(MAPPER.createObjectNode().put("system_id", systemId).put("external_id", externalId));
			return this;
		}

		/**
		 * Any other field, or a field with a value of another type (a number, null, a
		 * list or a map), as Jackson writes the value.
		 */
		public Customer field(String name, Object value) {
			this.node.set(name, MAPPER.valueToTree(value));
			return this;
		}

		/** The customer as one line of compact JSON. */
		public String json() {
			return MAPPER.writeValueAsString(this.node);
		}

		@Override
		public String toString() {
			return json();
		}

		private ArrayNode array(String name) {
			return (this.node.get(name) instanceof ArrayNode entries) ? entries : this.node.putArray(name);
		}

	}

}

package io.stampedsync.sandbox;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Locale;

import tools.jackson.databind.node.ObjectNode;

/**
 * Deterministic iPaaS.com customers (domain doc §3.1 JSON shape) for the iPaaS.com
 * simulator, the sample NDJSON file and benchmarks: the same id always gives the same
 * customer. With invalid samples on, every id with {@code id % 20 == 19} is invalid in
 * one of three ways (no email, malformed email, blank email), so a demo shows rejections.
 */
public final class SampleCustomers {

	/** The custom field holding the desired survey subscription ("true" or "false"). */
	public static final String SUBSCRIPTION_FIELD = "StampedSubscribed";

	private static final String[] FIRST = { "Ada", "Grace", "Alan", "Edsger", "Barbara", "Donald", "Frances", "Ken",
			"Margaret", "Dennis", "Radia", "Tim", "Hedy", "Linus", "Katherine", "John", "Sophie", "Niklaus", "Mary",
			"Guido" };

	private static final String[] LAST = { "Lovelace", "Hopper", "Turing", "Dijkstra", "Liskov", "Knuth", "Allen",
			"Thompson", "Hamilton", "Ritchie", "Perlman", "Berners-Lee", "Lamarr", "Torvalds", "Johnson", "McCarthy",
			"Wilson", "Wirth", "Keller", "Rossum" };

	private static final String[] COMPANY = { "Acme Outdoor", "Globex Retail", "Initech Supply", "Umbrella Goods",
			"Stark Home", "Wayne Apparel", "" };

	private static final String[] CITY = { "Springfield", "Riverside", "Franklin", "Greenville", "Bristol", "Salem" };

	private static final Instant EPOCH = Instant.parse("2026-01-01T09:00:00Z");

	private SampleCustomers() {
	}

	/** Whether {@code id} is one of the invalid samples. */
	public static boolean isInvalid(long id) {
		return id % 20 == 19;
	}

	/**
	 * The customer with {@code id}; invalid when {@code invalid} and {@link #isInvalid}.
	 */
	public static ObjectNode customer(long id, boolean invalid) {
		String first = FIRST[(int) ((id + id / 20) % FIRST.length)];
		String last = LAST[(int) ((id / 7) % LAST.length)];
		String email = email(id, first, last, invalid && isInvalid(id));
		ObjectNode json = Json.newObject()
			.put("id", Long.toString(id))
			.put("customer_number", "CUST-" + id)
			.put("first_name", first)
			.put("last_name", last);
		if (email != null) {
			json.put("email_address", email);
		}
		json.put("company", COMPANY[(int) (id % COMPANY.length)])
			.put("comment", "Sandbox customer " + id)
			.put("created_datetime", EPOCH.plus(id % 100_000, ChronoUnit.MINUTES).toString());
		json.putArray("custom_fields")
			.addObject()
			.put("custom_field_name", SUBSCRIPTION_FIELD)
			.put("value", Boolean.toString(id % 3 != 0));
		json.putArray("external_ids");
		json.putArray("addresses")
			.addObject()
			.put("first_name", first)
			.put("last_name", last)
			.put("phone_number", String.format(Locale.ROOT, "+1-555-%03d-%04d", id % 1000, (id * 37) % 10_000))
			.put("address_1", (100 + id % 900) + " Main Street")
			.put("city", CITY[(int) (id % CITY.length)])
			.put("region", "IL")
			.put("country", "US")
			.put("postal_code", String.format(Locale.ROOT, "6%04d", id % 10_000))
			.put("is_primary_billing", true)
			.put("is_primary_shipping", true);
		return json;
	}

	private static String email(long id, String first, String last, boolean invalid) {
		String valid = (first + "." + last).toLowerCase(Locale.ROOT) + "." + id + "@example.com";
		if (!invalid) {
			return valid;
		}
		return switch ((int) ((id / 20) % 3)) {
			case 0 -> null;
			case 1 -> valid.replace("@", " at ");
			default -> " ";
		};
	}

}

package io.stampedsync.batch;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/** iPaaS.com customer JSON for tests. */
final class Customers {

	private Customers() {
	}

	static String customer(String id, String email, String firstName, String lastName) {
		StringBuilder json = new StringBuilder("{");
		if (id != null) {
			json.append("\"id\":\"").append(id).append("\",");
		}
		if (email != null) {
			json.append("\"email_address\":\"").append(email).append("\",");
		}
		json.append("\"customer_number\":\"CN-").append(id).append("\",");
		json.append("\"first_name\":\"").append(firstName).append("\",");
		json.append("\"last_name\":\"").append(lastName).append("\"}");
		return json.toString();
	}

	/** {@code count} distinct new customers {@code prefix1 … prefixN}. */
	static List<String> fresh(String prefix, int count) {
		return IntStream.rangeClosed(1, count)
			.mapToObj((i) -> customer(prefix + i, prefix + i + "@example.com", "First" + i, "Last" + i))
			.collect(Collectors.toCollection(ArrayList::new));
	}

	static String ndjson(List<String> customers) {
		return String.join("\n", customers) + "\n";
	}

	static String array(List<String> customers) {
		return "[" + String.join(",", customers) + "]";
	}

}

package io.stampedsync.sandbox;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import io.stampedsync.sandbox.SimulatedCustomer.CustomerFields;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The Stamped.io endpoints behind authentication: bodies in, {@link StampedStore}
 * changes, JSON out, as the domain doc's decisions table says.
 */
final class StampedRoutes {

	static final String NOT_FOUND = "Customer not found";

	private static final int MAX_TAKE = 100;

	private final StampedStore store;

	StampedRoutes(StampedStore store) {
		this.store = store;
	}

	Reply serve(Call<StampedEndpoint> call, String[] segments) {
		return switch (call.endpoint()) {
			case CREATE -> create(call.body());
			case UPDATE -> update(segments[6], call.body());
			case GET -> get(segments[6]);
			case LIST -> list(call.query("page"), call.query("take"));
			case SUBSCRIBE -> subscribe(call.body(), true);
			case UNSUBSCRIBE -> subscribe(call.body(), false);
			case OTHER -> Reply.message(404, "Not found");
		};
	}

	private Reply create(String body) {
		ObjectNode json = Json.object(body);
		if (json == null) {
			return Reply.message(400, "Request body must be a JSON object");
		}
		CustomerFields fields = fields(json);
		if (!Json.isEmail(fields.email())) {
			return Reply.message(400, "A valid email is required");
		}
		return Reply.json(200, this.store.create(fields).toJson());
	}

	private Reply update(String id, String body) {
		ObjectNode json = Json.object(body);
		if (json == null) {
			return Reply.message(400, "Request body must be a JSON object");
		}
		CustomerFields fields = fields(json);
		if (fields.email() != null && !Json.isEmail(fields.email())) {
			return Reply.message(400, "A valid email is required");
		}
		try {
			return parseId(id).flatMap((customerId) -> this.store.update(customerId, fields))
				.map((customer) -> Reply.json(200, customer.toJson()))
				.orElseGet(() -> Reply.message(404, NOT_FOUND));
		}
		catch (IllegalArgumentException ex) {
			return Reply.message(400, ex.getMessage());
		}
	}

	private Reply get(String id) {
		return parseId(id).flatMap(this.store::byId)
			.map((customer) -> Reply.json(200, customer.toJson()))
			.orElseGet(() -> Reply.message(404, NOT_FOUND));
	}

	private Reply list(String pageParam, String takeParam) {
		int page;
		int take;
		try {
			page = (pageParam != null) ? Integer.parseInt(pageParam) : 1;
			take = (takeParam != null) ? Math.min(MAX_TAKE, Integer.parseInt(takeParam)) : 20;
		}
		catch (NumberFormatException ex) {
			return Reply.message(400, "page and take must be numbers");
		}
		if (page < 1 || take < 1) {
			return Reply.message(400, "page and take must be at least 1");
		}
		ObjectNode json = Json.newObject();
		ArrayNode results = json.putArray("results");
		this.store.page(page, take).forEach((customer) -> results.add(customer.toJson()));
		return Reply.json(200, json.put("page", page).put("take", take).put("total", this.store.count()));
	}

	private Reply subscribe(String body, boolean subscribed) {
		ObjectNode json = Json.object(body);
		String email = (json != null) ? Json.text(json, "email") : null;
		if (!Json.isEmail(email)) {
			return Reply.message(400, "A valid email is required");
		}
		return this.store.subscribe(email, subscribed)
			.map((customer) -> Reply.json(200,
					Json.newObject().put("email", customer.email()).put("subscribed", customer.subscribed())))
			.orElseGet(() -> Reply.message(404, NOT_FOUND));
	}

	private static CustomerFields fields(ObjectNode json) {
		String email = Json.text(json, "email");
		return new CustomerFields((email != null) ? email.trim() : null, Json.text(json, "firstName"),
				Json.text(json, "lastName"), Json.text(json, "customCustomerId"), Json.text(json, "phone"),
				tags(json.get("tags")));
	}

	// The sources disagree on tags (a string or an array of strings); accept both.
	private static List<String> tags(JsonNode node) {
		if (node == null || node.isNull()) {
			return null;
		}
		List<String> tags = new ArrayList<>();
		if (node.isArray()) {
			node.forEach((tag) -> tags.add(tag.asString()));
		}
		else {
			Arrays.stream(node.asString().split(","))
				.map(String::trim)
				.filter((tag) -> !tag.isEmpty())
				.forEach(tags::add);
		}
		return tags;
	}

	private static java.util.Optional<Long> parseId(String id) {
		try {
			return java.util.Optional.of(Long.parseLong(id));
		}
		catch (NumberFormatException ex) {
			return java.util.Optional.empty();
		}
	}

}

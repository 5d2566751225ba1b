package io.stampedsync.sandbox;

import java.util.List;

import tools.jackson.databind.node.ObjectNode;

/**
 * A customer held by the Stamped.io simulator.
 *
 * @param id numeric Stamped customer id (from 143491 up)
 * @param email the de-duplication key (compared case-insensitively)
 * @param firstName first name
 * @param lastName last name
 * @param customCustomerId the external-id reference field (iPaaS customer number)
 * @param phone phone, when sent
 * @param tags tags, when sent
 * @param subscribed survey / review-request subscription, set by subscribe/unsubscribe
 */
public record SimulatedCustomer(long id, String email, String firstName, String lastName, String customCustomerId,
		String phone, List<String> tags, boolean subscribed) {

	SimulatedCustomer merge(CustomerFields fields) {
		return new SimulatedCustomer(this.id, or(fields.email(), this.email), or(fields.firstName(), this.firstName),
				or(fields.lastName(), this.lastName), or(fields.customCustomerId(), this.customCustomerId),
				or(fields.phone(), this.phone), or(fields.tags(), this.tags), this.subscribed);
	}

	SimulatedCustomer withSubscribed(boolean subscribed) {
		return new SimulatedCustomer(this.id, this.email, this.firstName, this.lastName, this.customCustomerId,
				this.phone, this.tags, subscribed);
	}

	ObjectNode toJson() {
		ObjectNode json = Json.newObject()
			.put("id", this.id)
			.put("email", this.email)
			.put("firstName", this.firstName)
			.put("lastName", this.lastName)
			.put("customCustomerId", this.customCustomerId)
			.put("phone", this.phone);
		if (this.tags != null) {
			this.tags.forEach(json.putArray("tags")::add);
		}
		return json.put("subscribed", this.subscribed);
	}

	private static <T> T or(T value, T fallback) {
		return (value != null) ? value : fallback;
	}

	/** The fields of a create or update body; {@code null} means "not sent". */
	record CustomerFields(String email, String firstName, String lastName, String customCustomerId, String phone,
			List<String> tags) {

	}

}

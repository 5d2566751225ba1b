package io.stampedsync.transfer;

import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * An iPaaS.com customer as iPaaS.com's Customers API and our batch intake carry it
 * (DESIGN.md §4 "Customer input", domain doc §3.1): snake_case JSON, unknown fields
 * ignored, collections never {@code null} (absent or {@code null} elements are dropped).
 *
 * @param id iPaaS.com customer id; a JSON number is read as its text
 * @param customerNumber customer number, sent to Stamped.io as {@code customCustomerId}
 * @param firstName first name
 * @param lastName last name
 * @param emailAddress email address, Stamped.io's de-duplication key
 * @param company company (not mapped)
 * @param comment comment (not mapped)
 * @param customFields custom field values, one of which may hold the subscription state
 * @param externalIds links to external systems, one of which may be the Stamped.io id
 * @param addresses addresses (not mapped; phone lives here)
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record IpaasCustomer(@JsonProperty("id") String id, @JsonProperty("customer_number") String customerNumber,
		@JsonProperty("first_name") String firstName, @JsonProperty("last_name") String lastName,
		@JsonProperty("email_address") String emailAddress, @JsonProperty("company") String company,
		@JsonProperty("comment") String comment, @JsonProperty("custom_fields") List<CustomField> customFields,
		@JsonProperty("external_ids") List<ExternalId> externalIds,
		@JsonProperty("addresses") List<Address> addresses) {

	public IpaasCustomer {
		customFields = withoutNulls(customFields);
		externalIds = withoutNulls(externalIds);
		addresses = withoutNulls(addresses);
	}

	private static <T> List<T> withoutNulls(List<T> list) {
		if (list == null || list.isEmpty()) {
			return List.of();
		}
		// Not list.contains(null): immutable lists throw on that.
		List<T> kept = new ArrayList<>(list.size());
		for (T element : list) {
			if (element != null) {
				kept.add(element);
			}
		}
		return List.copyOf(kept);
	}

	/**
	 * One custom field value.
	 *
	 * @param name the custom field's name, compared case-insensitively
	 * @param value its value; JSON numbers and booleans are read as their text
	 */
	@JsonIgnoreProperties(ignoreUnknown = true)
	public record CustomField(@JsonProperty("custom_field_name") String name, @JsonProperty("value") String value) {

	}

	/**
	 * One link from this customer to a record in an external system.
	 *
	 * @param systemId the external system's (subscription's) id in iPaaS.com
	 * @param externalId the record's id in that system
	 */
	@JsonIgnoreProperties(ignoreUnknown = true)
	public record ExternalId(@JsonProperty("system_id") Long systemId, @JsonProperty("external_id") String externalId) {

	}

	/**
	 * One address of the customer.
	 *
	 * @param phoneNumber phone number
	 * @param firstName first name
	 * @param lastName last name
	 * @param company company
	 * @param address1 first address line
	 * @param address2 second address line
	 * @param city city
	 * @param state state or province
	 * @param country country
	 * @param zipCode postal code
	 * @param primaryBilling whether this is the primary billing address
	 * @param primaryShipping whether this is the primary shipping address
	 */
	@JsonIgnoreProperties(ignoreUnknown = true)
	public record Address(@JsonProperty("phone_number") String phoneNumber,
			@JsonProperty("first_name") String firstName, @JsonProperty("last_name") String lastName,
			@JsonProperty("company") String company, @JsonProperty("address1") String address1,
			@JsonProperty("address2") String address2, @JsonProperty("city") String city,
			@JsonProperty("state") String state, @JsonProperty("country") String country,
			@JsonProperty("zip_code") String zipCode, @JsonProperty("is_primary_billing") Boolean primaryBilling,
			@JsonProperty("is_primary_shipping") Boolean primaryShipping) {

	}

}

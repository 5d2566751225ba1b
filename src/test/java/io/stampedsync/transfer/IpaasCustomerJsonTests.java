package io.stampedsync.transfer;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

class IpaasCustomerJsonTests {

	private final JsonMapper mapper = JsonMapper.builder().build();

	@Test
	void readsTheIpaasCustomerShape() {
		String json = """
				{"id": "150713", "tracking_guid": "x", "customer_number": "C-1", "first_name": "Ada",
				 "last_name": "Lovelace", "email_address": "ada@example.com", "company": "Engines",
				 "comment": "vip", "category_id": 3,
				 "custom_fields": [{"id": 1, "custom_field_name": "Newsletter", "value": "yes"}],
				 "external_ids": [{"id": 9, "system_id": 4242, "system_name": "Stamped", "external_id": "143491"}],
				 "addresses": [{"phone_number": "+44 1", "first_name": "Ada", "last_name": "L", "address1": "1 St",
				   "city": "London", "state": "LDN", "country": "GB", "zip_code": "N1",
				   "is_primary_billing": true, "is_primary_shipping": false, "extra": {"a": [1]}}]}
				""";
		IpaasCustomer customer = this.mapper.readValue(json, IpaasCustomer.class);
		assertThat(customer.id()).isEqualTo("150713");
		assertThat(customer.customerNumber()).isEqualTo("C-1");
		assertThat(customer.emailAddress()).isEqualTo("ada@example.com");
		assertThat(customer.company()).isEqualTo("Engines");
		assertThat(customer.comment()).isEqualTo("vip");
		assertThat(customer.customFields()).containsExactly(new IpaasCustomer.CustomField("Newsletter", "yes"));
		assertThat(customer.externalIds()).containsExactly(new IpaasCustomer.ExternalId(4242L, "143491"));
		assertThat(customer.addresses()).singleElement().satisfies((address) -> {
			assertThat(address.phoneNumber()).isEqualTo("+44 1");
			assertThat(address.zipCode()).isEqualTo("N1");
			assertThat(address.primaryBilling()).isTrue();
			assertThat(address.primaryShipping()).isFalse();
		});
	}

	@Test
	void readsANumericIdAsText() {
		IpaasCustomer customer = this.mapper.readValue("{\"id\": 150713}", IpaasCustomer.class);
		assertThat(customer.id()).isEqualTo("150713");
	}

	@Test
	void readsScalarCustomFieldValuesAsText() {
		IpaasCustomer customer = this.mapper
			.readValue("{\"custom_fields\": [{\"custom_field_name\": \"a\", \"value\": true},"
					+ " {\"custom_field_name\": \"b\", \"value\": 1}]}", IpaasCustomer.class);
		assertThat(customer.customFields()).extracting(IpaasCustomer.CustomField::value).containsExactly("true", "1");
	}

	@Test
	void givesEmptyCollectionsWhenAbsentOrNull() {
		IpaasCustomer customer = this.mapper
			.readValue("{\"id\": \"1\", \"custom_fields\": null, \"external_ids\": [null]}", IpaasCustomer.class);
		assertThat(customer.customFields()).isEmpty();
		assertThat(customer.externalIds()).isEmpty();
		assertThat(customer.addresses()).isEmpty();
	}

}

package io.stampedsync.testing;

import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The test customers are the JSON intake reads: fields in order, values escaped. */
class CustomersTests {

	@Test
	void shouldWriteTheFieldsInTheOrderTheyWereSet() {
		String json = Customers.customer("150713")
			.email("ada@example.com")
			.firstName("Ada")
			.customField("Newsletter", "yes")
			.customField("Tier", "gold")
			.externalId(4242, "143491")
			.json();

		assertThat(json).isEqualTo("{\"id\":\"150713\",\"email_address\":\"ada@example.com\",\"first_name\":\"Ada\","
				+ "\"custom_fields\":[{\"custom_field_name\":\"Newsletter\",\"value\":\"yes\"},"
				+ "{\"custom_field_name\":\"Tier\",\"value\":\"gold\"}],"
				+ "\"external_ids\":[{\"system_id\":4242,\"external_id\":\"143491\"}]}");
	}

	@Test
	void shouldEscapeValuesAndKeepOtherTypes() {
		String json = Customers.withoutId()
			.firstName("Zoë \"Z\"\n")
			.field("id", 7)
			.field("company", null)
			.field("addresses", List.of())
			.json();

		assertThat(json).isEqualTo("{\"first_name\":\"Zoë \\\"Z\\\"\\n\",\"id\":7,\"company\":null,\"addresses\":[]}");
	}

	@Test
	void shouldMakeDistinctValidCustomersAndBodiesOfThem() {
		List<String> fresh = Customers.fresh("load-", 2);

		assertThat(fresh).containsExactly(Customers.numbered("load-", 1).json(), Customers.numbered("load-", 2).json());
		assertThat(fresh.get(0)).isEqualTo("{\"id\":\"load-1\",\"email_address\":\"load-1@example.com\","
				+ "\"customer_number\":\"CN-load-1\",\"first_name\":\"First1\",\"last_name\":\"Last1\"}");
		assertThat(Customers.ndjson(fresh)).isEqualTo(fresh.get(0) + "\n" + fresh.get(1) + "\n");
		assertThat(Customers.array(fresh)).isEqualTo("[" + fresh.get(0) + "," + fresh.get(1) + "]");
		assertThat(Customers.ndjson(Customers.customer("x"))).isEqualTo("{\"id\":\"x\"}\n");
	}

}

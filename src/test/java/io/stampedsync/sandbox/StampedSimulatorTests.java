package io.stampedsync.sandbox;

import java.net.http.HttpResponse;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;

class StampedSimulatorTests {

	private static final String AUTH = Http.basic("pubkey-test", "key-test-secret");

	private final Http http = new Http();

	private StampedSimulator stamped;

	private String api;

	@BeforeEach
	void start() {
		this.stamped = new StampedSimulator("store-1", "pubkey-test", "key-test-secret").start();
		this.api = this.stamped.baseUrl() + "/api/v2/store-1";
	}

	@AfterEach
	void stop() {
		this.stamped.close();
	}

	@Test
	void createsCustomersWithNumericIdsFrom143491() throws Exception {
		HttpResponse<String> first = create("ada@example.com", "Ada");
		HttpResponse<String> second = create("grace@example.com", "Grace");

		assertThat(first.statusCode()).isEqualTo(200);
		JsonNode body = Http.json(first);
		assertThat(body.get("id").isNumber()).isTrue();
		assertThat(body.get("id").asLong()).isEqualTo(143491);
		assertThat(body.get("email").asString()).isEqualTo("ada@example.com");
		assertThat(body.get("customCustomerId").asString()).isEqualTo("CUST-Ada");
		assertThat(Http.json(second).get("id").asLong()).isEqualTo(143492);
		assertThat(this.stamped.store().count()).isEqualTo(2);
		assertThat(this.stamped.store().createdNew()).isEqualTo(2);
	}

	@Test
	void createOfAnExistingEmailUpdatesThatCustomerWhateverTheCase() throws Exception {
		long id = Http.json(create("ada@example.com", "Ada")).get("id").asLong();

		HttpResponse<String> again = create("ADA@Example.com", "Augusta");

		assertThat(Http.json(again).get("id").asLong()).isEqualTo(id);
		assertThat(this.stamped.store().count()).isEqualTo(1);
		assertThat(this.stamped.store().byEmail("ada@EXAMPLE.com").orElseThrow().firstName()).isEqualTo("Augusta");
		assertThat(this.stamped.store().createdNew()).isEqualTo(1);
		assertThat(this.stamped.store().deduplicated()).isEqualTo(1);
	}

	@Test
	void createWithoutAValidEmailIs400WithAMessage() throws Exception {
		HttpResponse<String> missing = this.http.post(this.api + "/dashboard/customers/add", AUTH,
				"{\"firstName\":\"Ada\"}");
		HttpResponse<String> invalid = this.http.post(this.api + "/dashboard/customers/add", AUTH,
				"{\"email\":\"not an email\"}");

		assertThat(missing.statusCode()).isEqualTo(400);
		assertThat(Http.json(missing).get("message").asString()).isNotBlank();
		assertThat(invalid.statusCode()).isEqualTo(400);
		assertThat(this.stamped.store().count()).isZero();
	}

	@Test
	void updatesAndGetsById() throws Exception {
		long id = Http.json(create("ada@example.com", "Ada")).get("id").asLong();

		HttpResponse<String> update = this.http.post(this.api + "/dashboard/customers/" + id, AUTH,
				"{\"email\":\"ada@example.com\",\"firstName\":\"Augusta\",\"lastName\":\"King\",\"phone\":\"+1 555\",\"tags\":[\"vip\"]}");
		HttpResponse<String> get = this.http.get(this.api + "/dashboard/customers/" + id, AUTH);

		assertThat(update.statusCode()).isEqualTo(200);
		JsonNode customer = Http.json(get);
		assertThat(customer.get("firstName").asString()).isEqualTo("Augusta");
		assertThat(customer.get("lastName").asString()).isEqualTo("King");
		assertThat(customer.get("phone").asString()).isEqualTo("+1 555");
		assertThat(customer.get("tags").get(0).asString()).isEqualTo("vip");
		assertThat(this.stamped.stats().calls(StampedEndpoint.UPDATE)).isEqualTo(1);
		assertThat(this.stamped.stats().calls(StampedEndpoint.GET)).isEqualTo(1);
	}

	@Test
	void unknownCustomerIdIs404CustomerNotFound() throws Exception {
		HttpResponse<String> update = this.http.post(this.api + "/dashboard/customers/999", AUTH,
				"{\"email\":\"x@example.com\"}");
		HttpResponse<String> get = this.http.get(this.api + "/dashboard/customers/999", AUTH);

		assertThat(update.statusCode()).isEqualTo(404);
		assertThat(Http.json(update).get("message").asString()).isEqualTo("Customer not found");
		assertThat(get.statusCode()).isEqualTo(404);
	}

	@Test
	void listsCustomersByPage() throws Exception {
		for (int i = 0; i < 5; i++) {
			create("c" + i + "@example.com", "C" + i);
		}

		JsonNode page = Http.json(this.http.get(this.api + "/dashboard/customers?page=2&take=2", AUTH));

		assertThat(page.get("results").size()).isEqualTo(2);
		assertThat(page.get("results").get(0).get("email").asString()).isEqualTo("c2@example.com");
		assertThat(page.get("page").asInt()).isEqualTo(2);
		assertThat(page.get("take").asInt()).isEqualTo(2);
		assertThat(page.get("total").asInt()).isEqualTo(5);
	}

	@Test
	void subscribeAndUnsubscribeSetTheFlagOfTheCustomerWithThatEmail() throws Exception {
		create("ada@example.com", "Ada");

		HttpResponse<String> subscribe = this.http.post(this.api + "/survey/subscribe", AUTH,
				"{\"email\":\"Ada@example.com\"}");
		boolean afterSubscribe = this.stamped.store().byEmail("ada@example.com").orElseThrow().subscribed();
		this.http.post(this.api + "/survey/unsubscribe", AUTH, "{\"email\":\"ada@example.com\"}");

		assertThat(subscribe.statusCode()).isEqualTo(200);
		assertThat(afterSubscribe).isTrue();
		assertThat(this.stamped.store().byEmail("ada@example.com").orElseThrow().subscribed()).isFalse();
		assertThat(this.stamped.stats().calls(StampedEndpoint.SUBSCRIBE)).isEqualTo(1);
		assertThat(this.stamped.stats().calls(StampedEndpoint.UNSUBSCRIBE)).isEqualTo(1);
	}

	@Test
	void subscribeOfAnUnknownEmailIs404() throws Exception {
		HttpResponse<String> response = this.http.post(this.api + "/survey/subscribe", AUTH,
				"{\"email\":\"nobody@example.com\"}");

		assertThat(response.statusCode()).isEqualTo(404);
		assertThat(Http.json(response).get("message").asString()).isEqualTo("Customer not found");
	}

	@Test
	void wrongOrMissingKeysAre401() throws Exception {
		HttpResponse<String> wrong = this.http.get(this.api + "/dashboard/customers",
				Http.basic("pubkey-test", "key-wrong"));
		HttpResponse<String> missing = this.http.get(this.api + "/dashboard/customers", null);

		assertThat(wrong.statusCode()).isEqualTo(401);
		assertThat(Http.json(wrong).get("message").asString()).isEqualTo("API Key or API Secret is invalid");
		assertThat(missing.statusCode()).isEqualTo(401);
	}

	@Test
	void wrongStoreHashIs401() throws Exception {
		HttpResponse<String> response = this.http.get(this.stamped.baseUrl() + "/api/v2/other/dashboard/customers",
				AUTH);

		assertThat(response.statusCode()).isEqualTo(401);
	}

	@Test
	void rotatedCredentialsAndStoreHashApplyToTheNextCall() throws Exception {
		this.stamped.credentials("pubkey-new", "key-new");
		this.stamped.storeHash("store-2");
		String api2 = this.stamped.baseUrl() + "/api/v2/store-2/dashboard/customers";

		assertThat(this.http.get(api2, AUTH).statusCode()).isEqualTo(401);
		assertThat(this.http.get(api2, Http.basic("pubkey-new", "key-new")).statusCode()).isEqualTo(200);
		assertThat(this.http.get(this.api + "/dashboard/customers", Http.basic("pubkey-new", "key-new")).statusCode())
			.isEqualTo(401);
	}

	@Test
	void unknownPathsAre404AndCountedAsOther() throws Exception {
		HttpResponse<String> response = this.http.get(this.api + "/dashboard/reviews", AUTH);

		assertThat(response.statusCode()).isEqualTo(404);
		assertThat(this.stamped.stats().calls(StampedEndpoint.OTHER)).isEqualTo(1);
		assertThat(this.stamped.stats().total()).isEqualTo(1);
	}

	private HttpResponse<String> create(String email, String firstName) throws Exception {
		return this.http.post(this.api + "/dashboard/customers/add", AUTH,
				"{\"email\":\"" + email + "\",\"firstName\":\"" + firstName
						+ "\",\"lastName\":\"Test\",\"customCustomerId\":\"CUST-" + firstName + "\"}");
	}

}

package io.stampedsync.sandbox;

import java.net.http.HttpResponse;
import java.time.Duration;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

import static org.assertj.core.api.Assertions.assertThat;

class IpaasSimulatorTests {

	private static final String AUTH = Http.bearer("ipaas-token");

	private final Http http = new Http();

	private IpaasSimulator ipaas;

	@BeforeEach
	void start() {
		this.ipaas = new IpaasSimulator("ipaas-token").start();
		this.ipaas.store().generate(150700, 200, false);
	}

	@AfterEach
	void stop() {
		this.ipaas.close();
	}

	@Test
	void knownIdsGiveTheSameSnakeCaseCustomerEveryTime() throws Exception {
		HttpResponse<String> first = getCustomer("150713", AUTH);
		HttpResponse<String> second = getCustomer("150713", AUTH);

		assertThat(first.statusCode()).isEqualTo(200);
		assertThat(first.body()).isEqualTo(second.body());
		JsonNode customer = Http.json(first);
		assertThat(customer.get("id").asString()).isEqualTo("150713");
		assertThat(customer.get("customer_number").asString()).isEqualTo("CUST-150713");
		assertThat(customer.get("first_name").asString()).isNotBlank();
		assertThat(customer.get("last_name").asString()).isNotBlank();
		assertThat(customer.get("email_address").asString()).endsWith("@example.com");
		assertThat(customer.get("custom_fields").get(0).get("custom_field_name").asString())
			.isEqualTo(SampleCustomers.SUBSCRIPTION_FIELD);
		assertThat(customer.get("external_ids").isArray()).isTrue();
		assertThat(customer.get("addresses").get(0).get("phone_number").asString()).startsWith("+1-555-");
		assertThat(customer).isEqualTo(SampleCustomers.customer(150713, false));
	}

	@Test
	void unknownIdsAre404WithAMessage() throws Exception {
		HttpResponse<String> outOfRange = getCustomer("150900", AUTH);
		HttpResponse<String> notNumeric = getCustomer("abc", AUTH);

		assertThat(outOfRange.statusCode()).isEqualTo(404);
		assertThat(Http.json(outOfRange).get("message").asString()).contains("150900");
		assertThat(notNumeric.statusCode()).isEqualTo(404);
	}

	@Test
	void wrongOrMissingBearerTokenIs401() throws Exception {
		assertThat(getCustomer("150713", Http.bearer("other")).statusCode()).isEqualTo(401);
		assertThat(getCustomer("150713", null).statusCode()).isEqualTo(401);
		this.ipaas.token("rotated");
		assertThat(getCustomer("150713", AUTH).statusCode()).isEqualTo(401);
		assertThat(getCustomer("150713", Http.bearer("rotated")).statusCode()).isEqualTo(200);
	}

	@Test
	void customersPutByTestsWinAndRemovedOnesAre404() throws Exception {
		ObjectNode custom = Json.newObject().put("id", "abc-1").put("email_address", "custom@example.com");
		this.ipaas.store().put(custom);
		this.ipaas.store().remove("150713");

		assertThat(Http.json(getCustomer("abc-1", AUTH)).get("email_address").asString())
			.isEqualTo("custom@example.com");
		assertThat(getCustomer("150713", AUTH).statusCode()).isEqualTo(404);
	}

	@Test
	void updateExternalIdIsRecordedAndShowsInLaterReads() throws Exception {
		HttpResponse<String> write = updateExternalId("150713", "143491");

		assertThat(write.statusCode()).isEqualTo(200);
		assertThat(this.ipaas.store().externalIdWrites())
			.containsExactly(new ExternalIdWrite("customer", 4242, "143491", "150713"));
		assertThat(this.ipaas.store().externalId("150713", 4242)).hasValue("143491");
		JsonNode link = Http.json(getCustomer("150713", AUTH)).get("external_ids").get(0);
		assertThat(link.get("system_id").asLong()).isEqualTo(4242);
		assertThat(link.get("external_id").asString()).isEqualTo("143491");

		updateExternalId("150713", "143500");
		JsonNode links = Http.json(getCustomer("150713", AUTH)).get("external_ids");
		assertThat(links.size()).isEqualTo(1);
		assertThat(links.get(0).get("external_id").asString()).isEqualTo("143500");
		assertThat(this.ipaas.stats().calls(IpaasEndpoint.UPDATE_EXTERNAL_ID)).isEqualTo(2);
		assertThat(this.ipaas.stats().calls(IpaasEndpoint.GET_CUSTOMER)).isEqualTo(2);
	}

	@Test
	void updateExternalIdOfAnUnknownCustomerIs404AndABadSystemIdIs400() throws Exception {
		HttpResponse<String> unknown = updateExternalId("999", "1");
		HttpResponse<String> badSystem = this.http.post(updateUrl(), AUTH,
				"{\"table_name\":\"customer\",\"system_id\":0,\"external_id\":\"1\",\"internal_id\":\"150713\"}");

		assertThat(unknown.statusCode()).isEqualTo(404);
		assertThat(badSystem.statusCode()).isEqualTo(400);
		assertThat(this.ipaas.store().externalIdWriteCount()).isZero();
	}

	@Test
	void sharesLatencyFaultsAndLimitsWithTheStampedSimulator() throws Exception {
		this.ipaas.rateLimit(1, Duration.ofMinutes(1));
		this.ipaas.faults().next(1, IpaasEndpoint.GET_CUSTOMER, Fault.status(503));

		int faulted = getCustomer("150713", AUTH).statusCode();
		int accepted = getCustomer("150713", AUTH).statusCode();
		HttpResponse<String> limited = getCustomer("150713", AUTH);

		assertThat(faulted).isEqualTo(503);
		assertThat(accepted).isEqualTo(200);
		assertThat(limited.statusCode()).isEqualTo(429);
		assertThat(limited.headers().firstValue("Retry-After")).isPresent();
		assertThat(this.ipaas.stats().maxAcceptedInWindow()).isEqualTo(1);
		assertThat(this.ipaas.stats().maxArrivalsInWindow()).isEqualTo(3);
	}

	@Test
	void invalidSamplesLackAValidEmailWhenTurnedOn() throws Exception {
		this.ipaas.store().generate(150700, 200, true);

		JsonNode invalid = Http.json(getCustomer("150719", AUTH));
		JsonNode valid = Http.json(getCustomer("150718", AUTH));

		assertThat(Json.isEmail(Json.text(invalid, "email_address"))).isFalse();
		assertThat(Json.isEmail(Json.text(valid, "email_address"))).isTrue();
	}

	private HttpResponse<String> getCustomer(String id, String authorization) throws Exception {
		return this.http.get(this.ipaas.baseUrl() + "/customers/v2/Customer/" + id, authorization);
	}

	private HttpResponse<String> updateExternalId(String internalId, String externalId) throws Exception {
		return this.http.post(updateUrl(), AUTH, "{\"table_name\":\"customer\",\"system_id\":4242,\"external_id\":\""
				+ externalId + "\",\"internal_id\":\"" + internalId + "\"}");
	}

	private String updateUrl() {
		return this.ipaas.baseUrl() + "/customers/v2/External/UpdateExternalId";
	}

}

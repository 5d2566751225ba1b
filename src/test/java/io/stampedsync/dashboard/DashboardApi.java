package io.stampedsync.dashboard;

import java.time.Duration;

import io.stampedsync.GatewayApi;
import io.stampedsync.TestTokens;
import tools.jackson.databind.JsonNode;

import org.springframework.http.HttpHeaders;
import org.springframework.test.web.reactive.server.WebTestClient;

/** The API calls the browser tests make around the dashboard, as admin. */
final class DashboardApi extends GatewayApi {

	DashboardApi(String baseUrl) {
		super(WebTestClient.bindToServer()
			.baseUrl(baseUrl)
			.defaultHeader(HttpHeaders.AUTHORIZATION, TestTokens.bearer(TestTokens.ADMIN))
			.build());
	}

	/**
	 * One customer as an NDJSON line; no {@code email_address} when {@code email} is
	 * null.
	 */
	static String customer(String id, String email, String firstName, String lastName) {
		return "{\"id\":\"" + id + "\"," + ((email != null) ? "\"email_address\":\"" + email + "\"," : "")
				+ "\"first_name\":\"" + firstName + "\",\"last_name\":\"" + lastName + "\"}";
	}

	/** Polls until the batch reaches a final status. */
	JsonNode awaitFinal(String batchId) {
		return awaitFinal(batchId, Duration.ofSeconds(90));
	}

}

package io.stampedsync.dashboard;

import java.time.Duration;

import io.stampedsync.GatewayApi;
import io.stampedsync.GatewayClients;
import io.stampedsync.testing.Customers;
import tools.jackson.databind.JsonNode;

import org.springframework.context.ApplicationContext;

/** The API calls the browser tests make around the dashboard, as admin. */
final class DashboardApi extends GatewayApi {

	DashboardApi(ApplicationContext gateway) {
		super(GatewayClients.admin(gateway).build());
	}

	/**
	 * One customer as an NDJSON line; no {@code email_address} when {@code email} is
	 * null.
	 */
	static String customer(String id, String email, String firstName, String lastName) {
		Customers.Customer customer = Customers.customer(id);
		if (email != null) {
			customer.email(email);
		}
		return customer.firstName(firstName).lastName(lastName).json();
	}

	/** Polls until the batch reaches a final status. */
	JsonNode awaitFinal(String batchId) {
		return awaitFinal(batchId, Duration.ofSeconds(90));
	}

}

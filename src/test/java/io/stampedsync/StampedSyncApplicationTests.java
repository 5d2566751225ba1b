package io.stampedsync;

import java.util.List;

import org.junit.jupiter.api.Test;

import org.springframework.boot.test.web.server.LocalManagementPort;
import org.springframework.test.web.reactive.server.WebTestClient;

/** The application starts with its defaults and reports itself live and ready. */
class StampedSyncApplicationTests extends GatewayWithDefaults {

	@LocalManagementPort
	int managementPort;

	@Test
	void contextLoadsAndTheApplicationSaysItIsUpAndReady() {
		WebTestClient management = GatewayClients.webTestClient(this.context, this.managementPort).build();
		for (String probe : List.of("/actuator/health/liveness", "/actuator/health/readiness")) {
			management.get()
				.uri(probe)
				.exchange()
				.expectStatus()
				.isOk()
				.expectBody()
				.jsonPath("$.status")
				.isEqualTo("UP");
		}
	}

}

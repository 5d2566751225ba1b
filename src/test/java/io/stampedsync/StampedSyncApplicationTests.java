package io.stampedsync;

import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalManagementPort;
import org.springframework.context.ApplicationContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;

/** The application starts with its defaults and reports itself live and ready. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = "management.server.port=0")
class StampedSyncApplicationTests {

	@TempDir
	static Path dataDir;

	@DynamicPropertySource
	static void dataDir(DynamicPropertyRegistry registry) {
		registry.add("stamped-sync.data-dir", () -> dataDir.toString());
	}

	@Autowired
	ApplicationContext context;

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

package io.stampedsync.web;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import io.stampedsync.GatewayClients;
import io.stampedsync.StampedSyncApplication;
import io.stampedsync.TestTokens;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import reactor.netty.http.HttpResources;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.http.HttpHeaders;
import org.springframework.test.web.reactive.server.WebTestClient;

/**
 * Two gateways in one JVM (as a test suite's cached contexts are): stopping one must not
 * take the other's event loops with it. With reactor-netty's global resources it did: the
 * other server refused connections and its calls hung. One gateway is kept for both tests
 * (each test checks it afterwards), so the class starts two gateways, not three.
 */
class ContextIsolationTests {

	@TempDir
	static Path first;

	@TempDir
	static Path second;

	static ConfigurableApplicationContext kept;

	@BeforeAll
	static void startKept() {
		kept = start(first);
	}

	@AfterAll
	static void stopKept() {
		if (kept != null) {
			kept.close();
		}
	}

	@Test
	void stoppingOneGatewayLeavesAnotherServing() {
		start(second).close();
		client(GatewayClients.port(kept)).get()
			.uri("/api/v1/batches")
			.header(HttpHeaders.AUTHORIZATION, TestTokens.bearer(TestTokens.ADMIN))
			.exchange()
			.expectStatus()
			.isOk();
		// The management server runs in a child context of its own, started and stopped
		// with the application's.
		client(GatewayClients.managementPort(kept)).get().uri("/actuator/health").exchange().expectStatus().isOk();
	}

	// Boot builds the management server's factory in a child context, without the
	// application's resources: it ran on reactor-netty's global loops, which anything in
	// the JVM may dispose (a library or context that uses them, when it stops).
	@Test
	void managementServerRunsOnTheGatewaysOwnLoops() {
		HttpResources.disposeLoopsAndConnections();
		client(GatewayClients.managementPort(kept)).get().uri("/actuator/health").exchange().expectStatus().isOk();
	}

	// On the kept gateway's own loops: the test disposes reactor-netty's global ones.
	private static WebTestClient client(int port) {
		return GatewayClients.webTestClient(kept, port).build();
	}

	private static ConfigurableApplicationContext start(Path dataDir) {
		List<String> arguments = new ArrayList<>(
				List.of("--server.port=0", "--management.server.port=0", "--stamped-sync.data-dir=" + dataDir));
		arguments.addAll(TestTokens.arguments());
		return new SpringApplicationBuilder(StampedSyncApplication.class).run(arguments.toArray(String[]::new));
	}

}

package io.stampedsync.batch;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import io.stampedsync.GatewayClients;
import io.stampedsync.StampedSyncApplication;
import io.stampedsync.TestSubscriptions;
import io.stampedsync.TestTokens;
import io.stampedsync.sandbox.StampedSimulator;
import io.stampedsync.testing.Customers;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Unfinished batches resume after a restart on the same data directory. */
class BatchRestartTests {

	static final StampedSimulator stamped = TestSubscriptions.stampedSimulator();

	@TempDir
	static Path dataDir;

	@AfterAll
	static void stop() {
		stamped.close();
	}

	@Test
	void batchStoppedHalfwayCompletesAfterRestartWithOneOutcomePerRecord() {
		stamped.latency(Duration.ofMillis(20));
		String id;
		try (ConfigurableApplicationContext first = start()) {
			BatchApi api = api(first);
			id = api.submit("acme", Customers.fresh("restart-", 300));
			await().atMost(Duration.ofSeconds(60)).until(() -> api.get(id).get("done").asLong() >= 60);
		}
		// Read before the second gateway starts: once it runs, it creates the rest.
		long doneBeforeRestart = stamped.store().createdNew();
		try (ConfigurableApplicationContext second = start()) {
			BatchApi api = api(second);
			JsonNode done = api.awaitFinal(id, Duration.ofSeconds(120));
			assertThat(done.get("status").asString()).isEqualTo("completed");
			assertThat(done.get("done").asLong()).isEqualTo(300);
			assertThat(api.counts(done).values().stream().mapToLong(Long::longValue).sum()).isEqualTo(300);
			assertThat(api.results(id, null)).hasSize(300);
		}
		assertThat(doneBeforeRestart).as("created when the first gateway stopped").isBetween(60L, 299L);
		assertThat(stamped.store().createdNew()).isEqualTo(300);
		assertThat(stamped.store().count()).isEqualTo(300);
	}

	private static ConfigurableApplicationContext start() {
		String prefix = "--stamped-sync.subscriptions.acme.";
		List<String> arguments = new ArrayList<>(List.of("--server.port=0", "--management.server.port=0",
				"--stamped-sync.data-dir=" + dataDir, "--stamped-sync.security.allow-loopback-urls=true",
				prefix + "api-url=" + stamped.baseUrl(), prefix + "api-public-key=" + TestSubscriptions.PUBLIC_KEY,
				prefix + "api-private-key=" + TestSubscriptions.PRIVATE_KEY,
				prefix + "api-store-hash=" + TestSubscriptions.STORE_HASH, prefix + "concurrent-connections=2",
				prefix + "api-throttle-limit=100000", prefix + "api-throttle-seconds=1"));
		arguments.addAll(TestTokens.arguments());
		return new SpringApplicationBuilder(StampedSyncApplication.class).run(arguments.toArray(String[]::new));
	}

	private static BatchApi api(ConfigurableApplicationContext context) {
		return new BatchApi(GatewayClients.admin(context).build());
	}

}

package io.stampedsync.batch;

import java.time.Instant;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

import io.stampedsync.TestSubscriptions;
import io.stampedsync.TestTokens;
import io.stampedsync.sandbox.StampedSimulator;
import io.stampedsync.testing.Customers;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.context.annotation.Import;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * One dispatcher per subscription: batch slots, connection cap and pacing across batches.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@AutoConfigureWebTestClient
@Import(TestTokens.AdminClient.class)
class BatchConcurrencyTests {

	static final StampedSimulator stamped = TestSubscriptions.stampedSimulator();

	@TempDir
	static Path dataDir;

	@Autowired
	WebTestClient client;

	@Autowired
	BatchJournal journal;

	final JsonMapper json = JsonMapper.builder().build();

	@DynamicPropertySource
	static void properties(DynamicPropertyRegistry registry) {
		TestSubscriptions.gateway(registry, dataDir);
		TestSubscriptions.subscription(registry, "tight", stamped, Map.of("api-throttle-limit", "200",
				"api-throttle-seconds", "1", "concurrent-connections", "2", "concurrent-batch-executions", "3"));
	}

	@AfterAll
	static void stop() {
		stamped.close();
	}

	@Test
	void tenBatchesRunAtMostThreeAtOnceWithinTheConnectionCapAndWithout429s() {
		stamped.latency(Duration.ofMillis(10));
		stamped.rateLimit(200, Duration.ofSeconds(1));
		BatchApi api = new BatchApi(this.client);
		List<String> ids = new ArrayList<>();
		for (int batch = 0; batch < 10; batch++) {
			ids.add(api.submit("tight", Customers.fresh("b" + batch + "-", 15)));
		}

		for (String id : ids) {
			assertThat(api.counts(api.awaitFinal(id, Duration.ofSeconds(120)))).containsEntry("created", 15L);
		}

		assertThat(mostRunningAtOnce(ids)).isBetween(1, 3);
		assertThat(stamped.stats().maxInFlight()).isLessThanOrEqualTo(2);
		assertThat(stamped.stats().rateLimited()).isZero();
		assertThat(stamped.stats().maxAcceptedInWindow()).isLessThanOrEqualTo(200);
	}

	// From each batch's own log: +1 at its "running" event, -1 at its final status. The
	// dispatcher creates a finished batch's final event before it admits the next one.
	private int mostRunningAtOnce(List<String> ids) {
		record Edge(Instant at, int delta) {
		}
		List<Edge> edges = new ArrayList<>();
		for (String id : ids) {
			for (BatchEvent event : this.journal.events(id, 0).collectList().block()) {
				if (!BatchEvent.STATUS.equals(event.type())) {
					continue;
				}
				String status = this.json.readTree(event.data()).get("status").asString();
				if (status.equals("running")) {
					edges.add(new Edge(event.createdAt(), 1));
				}
				else if (BatchStatus.fromTag(status).isFinal()) {
					edges.add(new Edge(event.createdAt(), -1));
				}
			}
		}
		edges.sort(Comparator.comparing(Edge::at).thenComparingInt(Edge::delta));
		int running = 0;
		int most = 0;
		for (Edge edge : edges) {
			running += edge.delta();
			most = Math.max(most, running);
		}
		return most;
	}

}

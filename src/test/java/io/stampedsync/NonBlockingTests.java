package io.stampedsync;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import io.stampedsync.sandbox.StampedSimulator;
import io.stampedsync.testing.Customers;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import reactor.blockhound.BlockHound;
import tools.jackson.databind.JsonNode;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Runs a batch end to end with BlockHound watching every non-blocking thread (Netty event
 * loops, Reactor's parallel scheduler): intake, journal, dispatcher, outbound calls, SSE.
 * It runs in a JVM of its own (see the pom), because BlockHound stays installed.
 */
class NonBlockingTests {

	static final List<String> blockingCalls = new CopyOnWriteArrayList<>();

	static final StampedSimulator stamped = TestSubscriptions.stampedSimulator();

	@TempDir
	static Path dataDir;

	static ConfigurableApplicationContext context;

	@BeforeAll
	static void start() {
		BlockHound.install((builder) -> builder
			// Resilience4j parks for a nanosecond when two threads race for a permit
			// (PITFALLS 2.1).
			.allowBlockingCallsInside("io.github.resilience4j.ratelimiter.internal.AtomicRateLimiter", "compareAndSet")
			.blockingMethodCallback((method) -> blockingCalls
				.add(method + " on " + Thread.currentThread().getName() + "\n" + stackOf(new Exception()))));
		String prefix = "--stamped-sync.subscriptions.acme.";
		List<String> arguments = new ArrayList<>(List.of("--server.port=0", "--management.server.port=0",
				"--stamped-sync.data-dir=" + dataDir, "--stamped-sync.security.allow-loopback-urls=true",
				prefix + "api-url=" + stamped.baseUrl(), prefix + "api-public-key=" + TestSubscriptions.PUBLIC_KEY,
				prefix + "api-private-key=" + TestSubscriptions.PRIVATE_KEY,
				prefix + "api-store-hash=" + TestSubscriptions.STORE_HASH, prefix + "concurrent-connections=4",
				prefix + "api-throttle-limit=1000", prefix + "api-throttle-seconds=1"));
		arguments.addAll(TestTokens.arguments());
		context = new SpringApplicationBuilder(StampedSyncApplication.class).run(arguments.toArray(String[]::new));
	}

	@AfterAll
	static void stop() {
		context.close();
		stamped.close();
	}

	@Test
	void batchRunsEndToEndWithoutBlockingAnEventLoop() {
		WebTestClient client = GatewayClients.webTestClient(context, GatewayClients.port(context))
			.defaultHeader("Authorization", TestTokens.bearer(TestTokens.WRITER))
			.responseTimeout(Duration.ofSeconds(60))
			.build();
		String body = Customers.ndjson(Customers.fresh("nb-", 50));

		List<String> events = client.post()
			.uri("/api/v1/subscriptions/acme/batches")
			.contentType(MediaType.parseMediaType("application/x-ndjson"))
			.accept(MediaType.TEXT_EVENT_STREAM)
			.bodyValue(body)
			.exchange()
			.expectStatus()
			.isOk()
			.returnResult(String.class)
			.getResponseBody()
			.collectList()
			.block(Duration.ofSeconds(60));
		JsonNode batches = GatewayApi.getJson(client, "/api/v1/batches");

		assertThat(events).isNotEmpty();
		assertThat(batches.get(0).get("status").asString()).isEqualTo("completed");
		assertThat(batches.get(0).get("counts").get("created").asLong()).isEqualTo(50);
		assertThat(blockingCalls).isEmpty();
	}

	private static String stackOf(Exception trace) {
		StringBuilder text = new StringBuilder();
		StackTraceElement[] frames = trace.getStackTrace();
		for (int i = 0; i < Math.min(frames.length, 40); i++) {
			text.append("  at ").append(frames[i]).append('\n');
		}
		return text.toString();
	}

}

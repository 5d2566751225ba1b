package io.stampedsync.journal;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.stampedsync.GatewayApi;
import io.stampedsync.TestSubscriptions;
import io.stampedsync.TestTokens;
import io.stampedsync.sandbox.StampedSimulator;
import io.stampedsync.testing.Customers;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.context.annotation.Import;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Links read ahead with their records, end to end (dispatcher, transfer, embedded
 * journal, Stamped.io simulator): a customer seen for the first time costs no look-up,
 * and a customer that comes again (in the same page, a later page, a later batch) is
 * never sent with a link older than its last save: created once, then updated.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@AutoConfigureWebTestClient
@Import(TestTokens.AdminClient.class)
class LinksReadAheadFlowTests {

	static final StampedSimulator stamped = TestSubscriptions.stampedSimulator();

	/** Customers that come again; the rest come once. */
	private static final int REPEATED = 10;

	private static final int ONCE = 260;

	@TempDir
	static Path dataDir;

	@Autowired
	WebTestClient client;

	@Autowired
	R2dbcLinkStore links;

	@DynamicPropertySource
	static void properties(DynamicPropertyRegistry registry) {
		TestSubscriptions.gateway(registry, dataDir);
		TestSubscriptions.subscription(registry, "acme", stamped,
				Map.of("api-throttle-limit", "100000", "api-throttle-seconds", "1", "concurrent-connections", "8"));
	}

	@AfterAll
	static void stop() {
		stamped.close();
	}

	@Test
	void aCustomerThatComesAgainIsCreatedOnceAndOnlyItMayBeLookedUp() {
		GatewayApi api = new GatewayApi(this.client);
		long usedBefore = this.links.prefetchedUsed();
		long lookedUpBefore = this.links.lookedUp();
		// Versions 1 and 2 in the first page of 256 records, version 3 in the second.
		List<String> first = new ArrayList<>();
		first.addAll(repeated(1));
		first.addAll(repeated(2));
		first.addAll(Customers.fresh("once-", ONCE));
		first.addAll(repeated(3));

		JsonNode done = api.awaitFinal(api.submit("acme", first), Duration.ofSeconds(120));

		assertThat(api.counts(done)).containsEntry("created", (long) REPEATED + ONCE)
			.containsEntry("updated", 2L * REPEATED)
			.containsEntry("failed", 0L);

		JsonNode again = api.awaitFinal(api.submit("acme", concat(repeated(4), repeated(4))), Duration.ofSeconds(60));

		assertThat(api.counts(again)).containsEntry("updated", (long) REPEATED)
			.containsEntry("unchanged", (long) REPEATED);
		for (int i = 0; i < REPEATED; i++) {
			assertThat(stamped.store().creates(email(i))).as("creates of " + email(i)).isEqualTo(1);
			assertThat(stamped.store().byEmail(email(i)))
				.hasValueSatisfying((customer) -> assertThat(customer.lastName()).isEqualTo("Version4"));
		}
		assertThat(stamped.store().deduplicated()).isZero();
		assertThat(this.links.prefetchedUsed() - usedBefore).as("first records of a customer: no look-up")
			.isGreaterThanOrEqualTo(REPEATED + ONCE);
		assertThat(this.links.lookedUp() - lookedUpBefore).as("look-ups: at most one per record that comes again")
			.isLessThanOrEqualTo(4L * REPEATED);
	}

	private static List<String> repeated(int version) {
		List<String> customers = new ArrayList<>();
		for (int i = 0; i < REPEATED; i++) {
			customers.add(Customers.customer("again-" + i)
				.email(email(i))
				.firstName("Again")
				.lastName("Version" + version)
				.json());
		}
		return customers;
	}

	private static List<String> concat(List<String> a, List<String> b) {
		List<String> all = new ArrayList<>(a);
		all.addAll(b);
		return all;
	}

	private static String email(int i) {
		return "again" + i + "@example.com";
	}

}

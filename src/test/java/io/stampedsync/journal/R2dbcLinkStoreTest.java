package io.stampedsync.journal;

import java.sql.DriverManager;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;
import java.util.stream.IntStream;

import io.r2dbc.spi.ConnectionFactories;
import io.stampedsync.transfer.CustomerLink;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import org.springframework.r2dbc.core.DatabaseClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * The grouped look-ups and saves of customer links, on the embedded H2 and on PostgreSQL
 * (127.0.0.1:5432, a fresh schema; skipped when unreachable, except in CI).
 */
class R2dbcLinkStoreTest {

	private static final Instant AT = Instant.parse("2026-01-31T12:00:00Z");

	private static final String TABLE = "CREATE TABLE customer_link (subscription_id VARCHAR(64) NOT NULL, "
			+ "ipaas_customer_id VARCHAR(64) NOT NULL, stamped_customer_id VARCHAR(64) NOT NULL, "
			+ "fingerprint VARCHAR(64), subscribed BOOLEAN, source_batch_seq BIGINT NOT NULL, "
			+ "source_idx INT NOT NULL, updated_at TIMESTAMP WITH TIME ZONE NOT NULL, "
			+ "PRIMARY KEY (subscription_id, ipaas_customer_id))";

	@ParameterizedTest
	@ValueSource(strings = { "h2", "postgresql" })
	void findsNothingForACustomerNeverSaved(String database) {
		R2dbcLinkStore links = store(database);

		assertThat(links.find("acme", "c1").block()).isNull();
	}

	@ParameterizedTest
	@ValueSource(strings = { "h2", "postgresql" })
	void findsWhatWasSavedWithItsNulls(String database) {
		R2dbcLinkStore links = store(database);
		CustomerLink saved = new CustomerLink("acme", "c1", "s1", null, null, 7, 3, AT);

		links.save(saved).block();

		assertThat(links.find("acme", "c1").block()).isEqualTo(saved);
		assertThat(links.find("other", "c1").block()).isNull();
	}

	@ParameterizedTest
	@ValueSource(strings = { "h2", "postgresql" })
	void aSaveReplacesTheLink(String database) {
		R2dbcLinkStore links = store(database);
		links.save(new CustomerLink("acme", "c1", "s1", null, null, 7, 3, AT)).block();
		CustomerLink newer = new CustomerLink("acme", "c1", "s2", "fp", true, 8, 0, AT.plusSeconds(1));

		links.save(newer).block();

		assertThat(links.find("acme", "c1").block()).isEqualTo(newer);
	}

	@ParameterizedTest
	@ValueSource(strings = { "h2", "postgresql" })
	void manySavesAndLookUpsAtOnceEachGetTheirOwnLink(String database) {
		R2dbcLinkStore links = store(database);
		int count = R2dbcLinkStore.GROUP_SIZE * 2 + 5;

		Flux.range(0, count).flatMap((i) -> links.save(link("acme", i)), count).blockLast();
		List<CustomerLink> found = Flux.range(0, count + 10)
			.flatMapSequential((i) -> links.find("acme", "c" + i).defaultIfEmpty(link("none", i)), count + 10)
			.collectList()
			.block();

		assertThat(found).hasSize(count + 10);
		IntStream.range(0, count).forEach((i) -> assertThat(found.get(i)).isEqualTo(link("acme", i)));
		IntStream.range(count, count + 10).forEach((i) -> assertThat(found.get(i)).isEqualTo(link("none", i)));
	}

	@ParameterizedTest
	@ValueSource(strings = { "h2", "postgresql" })
	void ofTwoSavesOfOneLinkInAGroupTheLaterWins(String database) {
		R2dbcLinkStore links = store(database);
		CustomerLink first = new CustomerLink("acme", "c1", "s1", "a", false, 1, 1, AT);
		CustomerLink second = new CustomerLink("acme", "c1", "s1", "b", true, 1, 2, AT);

		// The first save keeps the writer busy, so the next two go out as one group.
		Mono.when(links.save(link("acme", 99)), links.save(first), links.save(second)).block();

		assertThat(links.find("acme", "c1").block()).isEqualTo(second);
	}

	@ParameterizedTest
	@ValueSource(strings = { "h2", "postgresql" })
	void groupsOfEverySizeSaveAndFindExactlyTheirLinksThroughPaddedStatements(String database) {
		R2dbcLinkStore links = store(database);
		int next = 0;
		for (int size = 1; size <= 9; size++) {
			int first = next;
			Flux.range(first, size).flatMap((i) -> links.save(link("acme", i)), size).blockLast();
			next += size;
		}
		List<CustomerLink> found = Flux.range(0, next + 3)
			.flatMapSequential((i) -> links.find("acme", "c" + i).defaultIfEmpty(link("none", i)), 7)
			.collectList()
			.block();

		IntStream.range(0, next).forEach((i) -> assertThat(found.get(i)).isEqualTo(link("acme", i)));
		IntStream.range(next, next + 3).forEach((i) -> assertThat(found.get(i)).isEqualTo(link("none", i)));
		assertThat(R2dbcLinkStore.paddedSize(1)).isEqualTo(1);
		assertThat(R2dbcLinkStore.paddedSize(2)).isEqualTo(2);
		assertThat(R2dbcLinkStore.paddedSize(3)).isEqualTo(4);
		assertThat(R2dbcLinkStore.paddedSize(129)).isEqualTo(256);
		assertThat(R2dbcLinkStore.paddedSize(256)).isEqualTo(256);
	}

	private static CustomerLink link(String subscription, int i) {
		return new CustomerLink(subscription, "c" + i, "s" + i, (i % 2 == 0) ? "fp" + i : null,
				(i % 3 == 0) ? null : (i % 3 == 1), 100 + i, i, AT.plus(i, ChronoUnit.SECONDS));
	}

	private static R2dbcLinkStore store(String database) {
		String url = database.equals("h2") ? "r2dbc:h2:mem:///links-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1"
				: "r2dbc:postgresql://" + postgresUser() + "@127.0.0.1:5432/test?schema=" + postgresSchema();
		DatabaseClient db = DatabaseClient.create(ConnectionFactories.get(url));
		db.sql(TABLE).then().block();
		return new R2dbcLinkStore(db);
	}

	private static String user;

	private static String postgresUser() {
		if (user == null) {
			for (String candidate : List.of("postgres", "root")) {
				try (var connection = DriverManager.getConnection("jdbc:postgresql://127.0.0.1:5432/test", candidate,
						"")) {
					user = candidate;
					break;
				}
				catch (java.sql.SQLException ex) {
					// try the next user
				}
			}
			if (user == null) {
				if ("true".equalsIgnoreCase(System.getenv("CI"))) {
					fail("PostgreSQL on 127.0.0.1:5432 is needed in CI");
				}
				Assumptions.abort("PostgreSQL on 127.0.0.1:5432 is not reachable");
			}
		}
		return user;
	}

	private static String postgresSchema() {
		String schema = "links_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
		try (var connection = DriverManager.getConnection("jdbc:postgresql://127.0.0.1:5432/test", postgresUser(), "");
				var statement = connection.createStatement()) {
			statement.execute("CREATE SCHEMA " + schema);
		}
		catch (java.sql.SQLException ex) {
			throw new IllegalStateException(ex);
		}
		return schema;
	}

}

package io.stampedsync.journal;

import java.sql.SQLException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.sql.DriverManager;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.IntStream;

import io.r2dbc.spi.Connection;
import io.r2dbc.spi.ConnectionFactories;
import io.r2dbc.spi.ConnectionFactory;
import io.r2dbc.spi.ConnectionFactoryMetadata;
import io.stampedsync.environment.EnvironmentRule;
import io.stampedsync.environment.Requirement;
import io.stampedsync.transfer.CustomerLink;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import reactor.core.publisher.Flux;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;

import org.springframework.r2dbc.core.DatabaseClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The grouped look-ups and saves of customer links, on the embedded H2 and on PostgreSQL
 * (127.0.0.1:5432, a fresh schema; the PostgreSQL cases follow {@link EnvironmentRule}).
 */
class R2dbcLinkStoreTests {

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

		assertThat(links.find("acme", "c1").block()).as("before its commit").isEqualTo(saved);
		R2dbcLinkStore reopened = written(links);
		assertThat(reopened.find("acme", "c1").block()).isEqualTo(saved);
		assertThat(reopened.find("other", "c1").block()).isNull();
	}

	@ParameterizedTest
	@ValueSource(strings = { "h2", "postgresql" })
	void aSaveReplacesTheLink(String database) {
		R2dbcLinkStore links = store(database);
		links.save(new CustomerLink("acme", "c1", "s1", null, null, 7, 3, AT)).block();
		CustomerLink newer = new CustomerLink("acme", "c1", "s2", "fp", true, 8, 0, AT.plusSeconds(1));

		links = written(links);
		links.save(newer).block();

		assertThat(links.find("acme", "c1").block()).isEqualTo(newer);
		assertThat(written(links).find("acme", "c1").block()).isEqualTo(newer);
	}

	@ParameterizedTest
	@ValueSource(strings = { "h2", "postgresql" })
	void manySavesAndLookUpsAtOnceEachGetTheirOwnLink(String database) {
		R2dbcLinkStore links = store(database);
		int count = R2dbcLinkStore.GROUP_SIZE * 2 + 5;

		Flux.range(0, count).flatMap((i) -> links.save(link("acme", i)), count).blockLast();
		R2dbcLinkStore reopened = written(links);
		List<CustomerLink> found = Flux.range(0, count + 10)
			.flatMapSequential((i) -> reopened.find("acme", "c" + i).defaultIfEmpty(link("none", i)), count + 10)
			.collectList()
			.block();

		assertThat(found).hasSize(count + 10);
		IntStream.range(0, count).forEach((i) -> assertThat(found.get(i)).isEqualTo(link("acme", i)));
		IntStream.range(count, count + 10).forEach((i) -> assertThat(found.get(i)).isEqualTo(link("none", i)));
	}

	@ParameterizedTest
	@ValueSource(strings = { "h2", "postgresql" })
	void ofTwoSavesOfOneLinkInAGroupTheLaterWinsThroughOneStatementText(String database) {
		Sinks.Empty<Void> gate = Sinks.empty();
		AtomicBoolean held = new AtomicBoolean();
		List<String> statements = new CopyOnWriteArrayList<>();
		R2dbcLinkStore links = store(database, gate, held, statements);
		CustomerLink first = new CustomerLink("acme", "c1", "s1", "a", false, 1, 1, AT);
		CustomerLink second = new CustomerLink("acme", "c1", "s1", "b", true, 1, 2, AT);
		links.save(link("acme", 99)).block();
		links.save(first).block();
		links.writeUnsaved().block();
		links.save(second).block();
		links.save(link("acme", 98)).block();
		links.save(link("acme", 97)).block();

		R2dbcLinkStore reopened = written(links);

		assertThat(statements).as("one MERGE text whatever the group's size")
			.filteredOn((sql) -> sql.startsWith("MERGE"))
			.hasSize(2)
			.containsOnly(statements.stream().filter((sql) -> sql.startsWith("MERGE")).findFirst().orElseThrow());
		assertThat(reopened.find("acme", "c1").block()).isEqualTo(second);
		assertThat(reopened.find("acme", "c97").block()).isEqualTo(link("acme", 97));
	}

	@ParameterizedTest
	@ValueSource(strings = { "h2", "postgresql" })
	void aLinkNotWrittenIsWrittenByTheNextGroup(String database) {
		R2dbcLinkStore links = store(database);
		links.save(link("acme", 1)).block();
		UnsavedLinks unsaved = links.unsaved();
		List<CustomerLink> taken = unsaved.take();

		unsaved.failed(taken);

		assertThat(links.find("acme", "c1").block()).isEqualTo(link("acme", 1));
		assertThat(written(links).find("acme", "c1").block()).isEqualTo(link("acme", 1));
		assertThat(unsaved.isEmpty()).isTrue();
	}

	@ParameterizedTest
	@ValueSource(strings = { "h2", "postgresql" })
	void groupsOfEverySizeFindExactlyTheirLinksThroughPaddedStatements(String database) {
		R2dbcLinkStore links = store(database);
		int next = 0;
		for (int size = 1; size <= 9; size++) {
			int first = next;
			Flux.range(first, size).flatMap((i) -> links.save(link("acme", i)), size).blockLast();
			next += size;
		}
		R2dbcLinkStore reopened = written(links);
		List<CustomerLink> found = Flux.range(0, next + 3)
			.flatMapSequential((i) -> reopened.find("acme", "c" + i).defaultIfEmpty(link("none", i)), 7)
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

	private DatabaseClient db;

	private R2dbcLinkStore store(String database) {
		return store(database, Sinks.empty(), new AtomicBoolean(), new CopyOnWriteArrayList<>());
	}

	/**
	 * A store whose connections, while {@code held}, are handed out only once
	 * {@code gate} opens, and which notes every statement it prepares.
	 */
	private R2dbcLinkStore store(String database, Sinks.Empty<Void> gate, AtomicBoolean held, List<String> statements) {
		String url = database.equals("h2") ? "r2dbc:h2:mem:///links-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1"
				: "r2dbc:postgresql://" + postgresUser() + "@127.0.0.1:5432/test?schema=" + postgresSchema();
		ConnectionFactory connections = ConnectionFactories.get(url);
		ConnectionFactory watched = new ConnectionFactory() {

			@Override
			public Publisher<? extends Connection> create() {
				Mono<Void> wait = held.get() ? gate.asMono() : Mono.empty();
				return wait.then(Mono.from(connections.create())).map((connection) -> noting(connection, statements));
			}

			@Override
			public ConnectionFactoryMetadata getMetadata() {
				return connections.getMetadata();
			}

		};
		DatabaseClient db = DatabaseClient.create(watched);
		db.sql(TABLE).then().block();
		this.db = db;
		return new R2dbcLinkStore(db, new UnsavedLinks());
	}

	/**
	 * Writes what {@code links} holds unsaved and answers a store that knows only the
	 * database (as after a restart).
	 */
	private R2dbcLinkStore written(R2dbcLinkStore links) {
		links.writeUnsaved().block(Duration.ofSeconds(30));
		return new R2dbcLinkStore(this.db, new UnsavedLinks());
	}

	private static Connection noting(Connection connection, List<String> statements) {
		return (Connection) Proxy.newProxyInstance(R2dbcLinkStoreTests.class.getClassLoader(),
				new Class<?>[] { Connection.class }, (proxy, method, arguments) -> {
					if (method.getName().equals("createStatement")) {
						statements.add((String) arguments[0]);
					}
					try {
						return method.invoke(connection, arguments);
					}
					catch (InvocationTargetException ex) {
						throw ex.getCause();
					}
				});
	}

	private static String user;

	private static String postgresUser() {
		EnvironmentRule.require(Requirement.POSTGRES);
		if (user == null) {
			for (String candidate : List.of("postgres", "root")) {
				try (var connection = DriverManager.getConnection("jdbc:postgresql://127.0.0.1:5432/test", candidate,
						"")) {
					user = candidate;
					break;
				}
				catch (SQLException ex) {
					// try the next user
				}
			}
			if (user == null) {
				throw new IllegalStateException("PostgreSQL on 127.0.0.1:5432 is not reachable as postgres or root");
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
		catch (SQLException ex) {
			throw new IllegalStateException(ex);
		}
		return schema;
	}

}

package io.stampedsync.journal;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

import io.r2dbc.pool.ConnectionPool;
import io.r2dbc.pool.ConnectionPoolConfiguration;
import io.r2dbc.spi.Connection;
import io.r2dbc.spi.ConnectionFactories;
import io.r2dbc.spi.ConnectionFactory;
import io.r2dbc.spi.ConnectionFactoryMetadata;
import io.r2dbc.spi.ValidationDepth;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Mono;

import org.springframework.r2dbc.core.DatabaseClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The embedded H2 connections of a real pool (r2dbc-pool, validating every hand-out at
 * the local depth, as the gateway's): no validation query while nothing fails, and a
 * session that died with its database is replaced.
 */
class LocallyValidatedConnectionFactoryTests {

	private static final int POOL_SIZE = 2;

	/** Validations that reached H2 (each one a query). */
	private final AtomicInteger h2Validations = new AtomicInteger();

	private final ConnectionPool pool = new ConnectionPool(ConnectionPoolConfiguration
		.builder(new LocallyValidatedConnectionFactory(counting(
				ConnectionFactories.get("r2dbc:h2:mem:///validated-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1"))))
		.initialSize(1)
		.maxSize(POOL_SIZE)
		.validationDepth(ValidationDepth.LOCAL)
		.build());

	private final DatabaseClient db = DatabaseClient.create(this.pool);

	@AfterEach
	void closePool() {
		this.pool.dispose();
	}

	@Test
	void handsOutConnectionsWithoutAValidationQueryWhileNothingFails() {
		for (int i = 0; i < 50; i++) {
			assertThat(selectOne()).isEqualTo(1);
		}

		assertThat(this.h2Validations).hasValue(0);
	}

	@Test
	void aRemoteValidationIsAlwaysH2s() {
		Boolean valid = Mono
			.usingWhen(this.pool.create(), (connection) -> Mono.from(connection.validate(ValidationDepth.REMOTE)),
					Connection::close)
			.block();

		assertThat(valid).isTrue();
		assertThat(this.h2Validations).hasValue(1);
	}

	@Test
	void aSessionThatDiedWithItsDatabaseFailsOnceThenThePoolOpensTheDatabaseAgain() {
		assertThat(selectOne()).isEqualTo(1);
		// Closes the database and every session on it, as a fatal error of its file
		// would.
		this.db.sql("SHUTDOWN").then().block();

		int failures = 0;
		while (failures <= POOL_SIZE && trySelectOne() == null) {
			failures++;
		}

		assertThat(failures).as("each pooled session fails at most once").isBetween(1, POOL_SIZE);
		for (int i = 0; i < 10; i++) {
			assertThat(selectOne()).isEqualTo(1);
		}
		assertThat(this.h2Validations).as("only the failed sessions were validated by H2")
			.hasValueBetween(1, POOL_SIZE);
	}

	private Integer selectOne() {
		return this.db.sql("SELECT 1").map((row) -> row.get(0, Integer.class)).one().block();
	}

	private Integer trySelectOne() {
		try {
			return selectOne();
		}
		catch (RuntimeException ex) {
			return null;
		}
	}

	/** {@code factory}, counting the validations its connections run. */
	private ConnectionFactory counting(ConnectionFactory factory) {
		return new ConnectionFactory() {

			@Override
			public Publisher<? extends Connection> create() {
				return Mono.from(factory.create()).map((connection) -> counting(connection));
			}

			@Override
			public ConnectionFactoryMetadata getMetadata() {
				return factory.getMetadata();
			}

		};
	}

	private Connection counting(Connection connection) {
		return (Connection) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] { Connection.class },
				(proxy, method, arguments) -> {
					if (method.getName().equals("validate")) {
						this.h2Validations.incrementAndGet();
					}
					try {
						return method.invoke(connection, arguments);
					}
					catch (InvocationTargetException ex) {
						throw ex.getCause();
					}
				});
	}

}

package io.stampedsync.journal;

import java.time.Duration;

import io.r2dbc.spi.Batch;
import io.r2dbc.spi.Connection;
import io.r2dbc.spi.ConnectionFactory;
import io.r2dbc.spi.ConnectionFactoryMetadata;
import io.r2dbc.spi.ConnectionMetadata;
import io.r2dbc.spi.IsolationLevel;
import io.r2dbc.spi.Result;
import io.r2dbc.spi.Statement;
import io.r2dbc.spi.TransactionDefinition;
import io.r2dbc.spi.ValidationDepth;
import io.r2dbc.spi.Wrapped;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * The embedded H2 driver's connections, whose local validation costs nothing until
 * something on them fails. The pool validates every connection it hands out (at
 * {@link ValidationDepth#LOCAL}), and r2dbc-h2 answers every validation, whatever its
 * depth, by parsing and running a query: profiled, a few percent of the gateway's CPU
 * under load, for a session that lives in this process.
 * <p>
 * An embedded session dies only with its database (closed after a fatal error of its
 * file), and the first statement on it then fails. So a connection on which nothing has
 * failed is valid locally; after a failure, its next validation is H2's own, and a dead
 * session is dropped by the pool, whose next session opens the database again. A remote
 * validation (the readiness check) is always H2's own.
 */
final class LocallyValidatedConnectionFactory implements ConnectionFactory, Wrapped<ConnectionFactory> {

	private final ConnectionFactory delegate;

	LocallyValidatedConnectionFactory(ConnectionFactory delegate) {
		this.delegate = delegate;
	}

	@Override
	public Publisher<? extends Connection> create() {
		return Mono.from(this.delegate.create()).map(LocallyValidatedConnection::new);
	}

	@Override
	public ConnectionFactoryMetadata getMetadata() {
		return this.delegate.getMetadata();
	}

	@Override
	public ConnectionFactory unwrap() {
		return this.delegate;
	}

	/**
	 * A connection that notes whether anything on it failed since its last validation.
	 */
	static final class LocallyValidatedConnection implements Connection, Wrapped<Connection> {

		private final Connection delegate;

		private volatile boolean failed;

		LocallyValidatedConnection(Connection delegate) {
			this.delegate = delegate;
		}

		@Override
		public Publisher<Boolean> validate(ValidationDepth depth) {
			if (depth == ValidationDepth.LOCAL && !this.failed) {
				return Mono.just(true);
			}
			return Mono.from(this.delegate.validate(depth)).doOnNext((valid) -> this.failed = !valid);
		}

		@Override
		public Statement createStatement(String sql) {
			return new WatchedStatement(this.delegate.createStatement(sql), this);
		}

		@Override
		public Batch createBatch() {
			Batch batch = this.delegate.createBatch();
			return new Batch() {

				@Override
				public Batch add(String sql) {
					batch.add(sql);
					return this;
				}

				@Override
				public Publisher<? extends Result> execute() {
					return watchedResults(batch.execute());
				}

			};
		}

		@Override
		public Publisher<Void> beginTransaction() {
			return watched(this.delegate.beginTransaction());
		}

		@Override
		public Publisher<Void> beginTransaction(TransactionDefinition definition) {
			return watched(this.delegate.beginTransaction(definition));
		}

		@Override
		public Publisher<Void> commitTransaction() {
			return watched(this.delegate.commitTransaction());
		}

		@Override
		public Publisher<Void> rollbackTransaction() {
			return watched(this.delegate.rollbackTransaction());
		}

		@Override
		public Publisher<Void> createSavepoint(String name) {
			return watched(this.delegate.createSavepoint(name));
		}

		@Override
		public Publisher<Void> releaseSavepoint(String name) {
			return watched(this.delegate.releaseSavepoint(name));
		}

		@Override
		public Publisher<Void> rollbackTransactionToSavepoint(String name) {
			return watched(this.delegate.rollbackTransactionToSavepoint(name));
		}

		@Override
		public Publisher<Void> setAutoCommit(boolean autoCommit) {
			return watched(this.delegate.setAutoCommit(autoCommit));
		}

		@Override
		public Publisher<Void> setLockWaitTimeout(Duration timeout) {
			return watched(this.delegate.setLockWaitTimeout(timeout));
		}

		@Override
		public Publisher<Void> setStatementTimeout(Duration timeout) {
			return watched(this.delegate.setStatementTimeout(timeout));
		}

		@Override
		public Publisher<Void> setTransactionIsolationLevel(IsolationLevel level) {
			return watched(this.delegate.setTransactionIsolationLevel(level));
		}

		@Override
		public boolean isAutoCommit() {
			return this.delegate.isAutoCommit();
		}

		@Override
		public ConnectionMetadata getMetadata() {
			return this.delegate.getMetadata();
		}

		@Override
		public IsolationLevel getTransactionIsolationLevel() {
			return this.delegate.getTransactionIsolationLevel();
		}

		@Override
		public Publisher<Void> close() {
			return this.delegate.close();
		}

		@Override
		public Connection unwrap() {
			return this.delegate;
		}

		Mono<Void> watched(Publisher<Void> work) {
			return Mono.from(work).doOnError((error) -> this.failed = true);
		}

		Flux<? extends Result> watchedResults(Publisher<? extends Result> results) {
			return Flux.from(results).doOnError((error) -> this.failed = true);
		}

	}

	/** A statement whose failure marks its connection. */
	private static final class WatchedStatement implements Statement {

		private final Statement delegate;

		private final LocallyValidatedConnection connection;

		WatchedStatement(Statement delegate, LocallyValidatedConnection connection) {
			this.delegate = delegate;
			this.connection = connection;
		}

		@Override
		public Statement add() {
			this.delegate.add();
			return this;
		}

		@Override
		public Statement bind(int index, Object value) {
			this.delegate.bind(index, value);
			return this;
		}

		@Override
		public Statement bind(String name, Object value) {
			this.delegate.bind(name, value);
			return this;
		}

		@Override
		public Statement bindNull(int index, Class<?> type) {
			this.delegate.bindNull(index, type);
			return this;
		}

		@Override
		public Statement bindNull(String name, Class<?> type) {
			this.delegate.bindNull(name, type);
			return this;
		}

		@Override
		public Statement returnGeneratedValues(String... columns) {
			this.delegate.returnGeneratedValues(columns);
			return this;
		}

		@Override
		public Statement fetchSize(int rows) {
			this.delegate.fetchSize(rows);
			return this;
		}

		@Override
		public Publisher<? extends Result> execute() {
			return this.connection.watchedResults(this.delegate.execute());
		}

	}

}

package io.stampedsync.journal;

import io.r2dbc.spi.Closeable;
import io.r2dbc.spi.Connection;
import io.r2dbc.spi.ConnectionFactory;
import io.r2dbc.spi.ConnectionFactoryMetadata;
import io.r2dbc.spi.Wrapped;
import org.reactivestreams.Publisher;
import reactor.core.Disposable;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;

/**
 * A connection factory whose connections are taken, used and given back on a scheduler of
 * their own. The embedded H2 driver runs the database engine on the calling thread (file
 * I/O, locks), so without this every journal call from a request would block a Netty
 * event loop. Once a connection is emitted on the journal scheduler, the statements that
 * follow run there too.
 */
final class OffEventLoopConnectionFactory
		implements ConnectionFactory, Closeable, Disposable, Wrapped<ConnectionFactory> {

	private final ConnectionFactory delegate;

	private final Scheduler scheduler;

	OffEventLoopConnectionFactory(ConnectionFactory delegate, Scheduler scheduler) {
		this.delegate = delegate;
		this.scheduler = scheduler;
	}

	@Override
	public Publisher<? extends Connection> create() {
		return Mono.from(this.delegate.create()).subscribeOn(this.scheduler);
	}

	@Override
	public ConnectionFactoryMetadata getMetadata() {
		return this.delegate.getMetadata();
	}

	@Override
	public ConnectionFactory unwrap() {
		return this.delegate;
	}

	@Override
	public Mono<Void> close() {
		Mono<Void> closed = (this.delegate instanceof Closeable closeable) ? Mono.from(closeable.close())
				: Mono.empty();
		return closed.doFinally((signal) -> this.scheduler.dispose());
	}

	@Override
	public void dispose() {
		if (this.delegate instanceof Disposable disposable) {
			disposable.dispose();
		}
		this.scheduler.dispose();
	}

	@Override
	public boolean isDisposed() {
		return this.scheduler.isDisposed();
	}

}

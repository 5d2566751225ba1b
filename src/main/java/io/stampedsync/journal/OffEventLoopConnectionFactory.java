package io.stampedsync.journal;

import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.r2dbc.spi.Closeable;
import io.r2dbc.spi.Connection;
import io.r2dbc.spi.ConnectionFactory;
import io.r2dbc.spi.ConnectionFactoryMetadata;
import io.r2dbc.spi.Wrapped;
import org.reactivestreams.Publisher;
import reactor.core.Disposable;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

/**
 * A connection factory whose connections are taken, used and given back on a scheduler of
 * their own. The embedded H2 driver runs the database engine on the calling thread (file
 * I/O, locks), so without this every journal call from a request would block a Netty
 * event loop. Once a connection is emitted on the journal scheduler, the statements that
 * follow run there too.
 * <p>
 * The scheduler wraps a plain executor on purpose: Reactor's own schedulers interrupt a
 * running task when its subscription is cancelled from another thread (a client that
 * hangs up, a {@code next()} that has its element), and an interrupt in the middle of
 * H2's file I/O closes the store's {@code FileChannel}
 * ({@code ClosedByInterruptException}): the whole journal is then closed until a restart.
 * A cancelled task here runs to its end and its result is dropped.
 */
final class OffEventLoopConnectionFactory
		implements ConnectionFactory, Closeable, Disposable, Wrapped<ConnectionFactory> {

	private final ConnectionFactory delegate;

	private final ExecutorService threads;

	private final Scheduler scheduler;

	OffEventLoopConnectionFactory(ConnectionFactory delegate, int threads) {
		this.delegate = delegate;
		AtomicInteger count = new AtomicInteger();
		ThreadPoolExecutor executor = new ThreadPoolExecutor(threads, threads, 60, TimeUnit.SECONDS,
				new LinkedBlockingQueue<>(), (task) -> {
					Thread thread = new Thread(task, "journal-" + count.incrementAndGet());
					thread.setDaemon(true);
					return thread;
				});
		executor.allowCoreThreadTimeOut(true);
		this.threads = executor;
		// A plain Executor (fromExecutor would take an ExecutorService for what it is
		// and cancel its Futures with an interrupt): a task has no Future to interrupt.
		Executor plain = executor::execute;
		this.scheduler = Schedulers.fromExecutor(plain);
	}

	/** The scheduler the engine runs on (for tests). */
	Scheduler scheduler() {
		return this.scheduler;
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
		return closed.doFinally((signal) -> stopThreads());
	}

	@Override
	public void dispose() {
		if (this.delegate instanceof Disposable disposable) {
			disposable.dispose();
		}
		stopThreads();
	}

	@Override
	public boolean isDisposed() {
		return this.threads.isShutdown();
	}

	private void stopThreads() {
		this.scheduler.dispose();
		this.threads.shutdown();
	}

}

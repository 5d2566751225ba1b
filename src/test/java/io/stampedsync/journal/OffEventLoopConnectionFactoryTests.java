package io.stampedsync.journal;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import io.r2dbc.spi.ConnectionFactories;
import io.r2dbc.spi.ConnectionFactory;
import org.junit.jupiter.api.Test;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import static org.assertj.core.api.Assertions.assertThat;

class OffEventLoopConnectionFactoryTests {

	@Test
	void aCancelledSubscriptionNeverInterruptsTheEngineThread() throws Exception {
		OffEventLoopConnectionFactory factory = new OffEventLoopConnectionFactory(
				ConnectionFactories.get("r2dbc:h2:mem:///interrupts"), 2);
		CountDownLatch running = new CountDownLatch(1);
		CountDownLatch disposed = new CountDownLatch(1);
		CountDownLatch finished = new CountDownLatch(1);
		AtomicBoolean interrupted = new AtomicBoolean();
		Disposable work = Mono.fromRunnable(() -> {
			running.countDown();
			// Stands in for H2 writing its file (an interrupt here would close it), and
			// runs until the subscription was disposed, however late that comes: a fixed
			// time could end before the dispose on a busy machine and prove nothing.
			while (disposed.getCount() > 0) {
				if (Thread.currentThread().isInterrupted()) {
					interrupted.set(true);
				}
			}
			// An interrupt of the dispose is delivered before dispose() returns.
			if (Thread.currentThread().isInterrupted()) {
				interrupted.set(true);
			}
			finished.countDown();
		}).subscribeOn(factory.scheduler()).subscribe();
		assertThat(running.await(30, TimeUnit.SECONDS)).isTrue();
		work.dispose();
		disposed.countDown();
		assertThat(finished.await(30, TimeUnit.SECONDS)).isTrue();
		assertThat(interrupted).isFalse();
		factory.dispose();
	}

	@Test
	void statementsRunOnTheJournalThreads() {
		ConnectionFactory factory = new OffEventLoopConnectionFactory(
				ConnectionFactories.get("r2dbc:h2:mem:///threads"), 2);
		String thread = Flux
			.usingWhen(factory.create(),
					(connection) -> Flux.from(connection.createStatement("SELECT 1").execute())
						.flatMap((result) -> result.map((row, meta) -> Thread.currentThread().getName())),
					(connection) -> connection.close())
			.blockFirst(Duration.ofSeconds(30));
		assertThat(thread).startsWith("journal-");
		((OffEventLoopConnectionFactory) factory).dispose();
	}

}

package io.stampedsync.batch;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.IntStream;
import java.util.stream.LongStream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.reactivestreams.Subscription;
import reactor.core.Disposable;
import reactor.core.publisher.BaseSubscriber;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class BatchEventBusTests {

	private final BatchEventBus bus = new BatchEventBus();

	@Test
	void publishersOnManyThreadsNeverFailWhileAWatcherHoldsAnEvent() throws Exception {
		List<Long> seen = new CopyOnWriteArrayList<>();
		// A watcher that takes longer over an event than any retry of an overlapping
		// emission would wait (the overlap answered a batch POST with a 500).
		Disposable watcher = this.bus.all().subscribe((event) -> {
			LockSupport.parkNanos(Duration.ofMillis(80).toNanos());
			seen.add(event.seq());
		});
		ExecutorService publishers = Executors.newFixedThreadPool(4);
		try {
			List<Future<?>> done = IntStream.range(0, 4)
				.mapToObj((thread) -> publishers
					.submit(() -> IntStream.range(0, 5).forEach((i) -> this.bus.publish(event(thread * 100L + i)))))
				.<Future<?>>map((future) -> future)
				.toList();
			for (Future<?> future : done) {
				future.get(60, TimeUnit.SECONDS);
			}
			await().atMost(Duration.ofSeconds(30)).until(() -> seen.size() >= 20);
		}
		finally {
			publishers.shutdownNow();
			watcher.dispose();
		}
		assertThat(seen).hasSize(20).doesNotHaveDuplicates();
	}

	@Test
	void aWatcherWithoutDemandNeverEndsTheBusForTheOthers() {
		List<Long> seen = new CopyOnWriteArrayList<>();
		Disposable other = this.bus.all().subscribe((event) -> seen.add(event.seq()), (error) -> seen.add(-1L));
		BaseSubscriber<BatchEvent> stalled = new BaseSubscriber<>() {
			@Override
			protected void hookOnSubscribe(Subscription subscription) {
				// Requests nothing: every event overflows for this watcher alone.
			}
		};
		this.bus.all().subscribe(stalled);
		this.bus.publish(event(1));
		this.bus.publish(event(2));
		await().atMost(Duration.ofSeconds(10)).until(() -> seen.size() == 2);
		stalled.dispose();
		this.bus.publish(event(3));
		await().atMost(Duration.ofSeconds(10)).until(() -> seen.size() == 3);
		other.dispose();
		assertThat(seen).containsExactly(1L, 2L, 3L);
	}

	@Test
	void publishersNeverWaitForSubscribersWhichGetEveryEventInOrderOnTheBusThread() throws Exception {
		CountDownLatch release = new CountDownLatch(1);
		List<String> seen = new CopyOnWriteArrayList<>();
		Disposable slow = this.bus.all().subscribe((event) -> {
			try {
				// A subscriber stuck on its first event: the publishers go on.
				release.await();
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
			seen.add(event.seq() + "@" + Thread.currentThread().getName());
		});
		try {
			for (long seq = 1; seq <= 100; seq++) {
				this.bus.publish(event(seq));
			}
			assertThat(seen).isEmpty();
			release.countDown();
			await().atMost(Duration.ofSeconds(10)).until(() -> seen.size() == 100);
		}
		finally {
			release.countDown();
			slow.dispose();
		}
		assertThat(seen).extracting((entry) -> Long.parseLong(entry.substring(0, entry.indexOf('@'))))
			.isEqualTo(LongStream.rangeClosed(1, 100).boxed().toList());
		assertThat(seen).allMatch((entry) -> entry.contains("@batch-events"));
	}

	@Test
	void aSubscriberThatThrowsAnErrorPastReactorNeverStopsTheBus() {
		// Reactor hands an error it deems fatal back to whoever emitted: here the bus's
		// own drain, which used to stop with the event counted as pending.
		Disposable throwing = this.bus.all().subscribe((event) -> {
			if (event.seq() == 1) {
				throw new NoClassDefFoundError("injected");
			}
		});
		List<Long> seen = new CopyOnWriteArrayList<>();
		Disposable other = this.bus.all().subscribe((event) -> seen.add(event.seq()));
		List<Long> announced = new CopyOnWriteArrayList<>();
		Disposable announcer = this.bus.storedHere().subscribe((event) -> announced.add(event.seq()));
		try {
			for (long seq = 1; seq <= 3; seq++) {
				this.bus.publish(event(seq));
			}
			await().atMost(Duration.ofSeconds(10)).until(() -> seen.contains(3L) && announced.contains(3L));
		}
		finally {
			throwing.dispose();
			other.dispose();
			announcer.dispose();
		}
		// The event the error cut short still went to the processes that announce it.
		assertThat(announced).containsExactly(1L, 2L, 3L);
		assertThat(seen).endsWith(2L, 3L);
	}

	@AfterEach
	void stop() {
		this.bus.close();
	}

	private static BatchEvent event(long seq) {
		return new BatchEvent("b1", "s1", seq, BatchEvent.PROGRESS, "{}", Instant.EPOCH);
	}

}

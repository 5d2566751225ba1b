package io.stampedsync.outbound;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.core.scheduler.Schedulers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class ConnectionSlotsTests {

	@Test
	void runsAtMostSizeAtOnceInArrivalOrder() {
		ConnectionSlots slots = new ConnectionSlots(2);
		List<Sinks.Empty<Void>> ends = new ArrayList<>();
		List<Integer> started = new ArrayList<>();
		for (int i = 0; i < 5; i++) {
			int index = i;
			Sinks.Empty<Void> end = Sinks.empty();
			ends.add(end);
			slots.around(Mono.fromRunnable(() -> started.add(index)).then(end.asMono())).subscribe();
		}
		assertThat(started).containsExactly(0, 1);
		ends.get(1).tryEmitEmpty();
		assertThat(started).containsExactly(0, 1, 2);
		ends.get(0).tryEmitError(new IllegalStateException("a failed call frees its slot too"));
		assertThat(started).containsExactly(0, 1, 2, 3);
		assertThat(slots.used()).isEqualTo(2);
	}

	@Test
	void aWaiterCancelledBeforeItsTurnIsSkippedAndARunningOneFreesItsSlot() {
		ConnectionSlots slots = new ConnectionSlots(1);
		Sinks.Empty<Void> first = Sinks.empty();
		List<String> started = new ArrayList<>();
		Disposable running = slots.around(Mono.fromRunnable(() -> started.add("first")).then(first.asMono()))
			.subscribe();
		Disposable cancelled = slots.around(Mono.fromRunnable(() -> started.add("cancelled"))).subscribe();
		slots.around(Mono.fromRunnable(() -> started.add("third")).then(Mono.never())).subscribe();
		cancelled.dispose();
		running.dispose();
		assertThat(started).containsExactly("first", "third");
		assertThat(slots.used()).isEqualTo(1);
	}

	@Test
	void neverMoreThanSizeInFlightUnderConcurrentCallers() {
		ConnectionSlots slots = new ConnectionSlots(3);
		AtomicInteger inFlight = new AtomicInteger();
		AtomicInteger most = new AtomicInteger();
		Long done = Flux.range(0, 2000).flatMap((i) -> slots.around(Mono.fromCallable(() -> {
			most.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
			return i;
		}).delayElement(Duration.ofNanos(i % 7 * 1000)).doOnTerminate(inFlight::decrementAndGet))
			.subscribeOn(Schedulers.parallel()), 64).count().block(Duration.ofSeconds(60));
		assertThat(done).isEqualTo(2000);
		assertThat(most.get()).isBetween(1, 3);
		// block() returns at the last onComplete, before that call's doFinally has freed
		// its slot on another thread (PITFALLS 13).
		await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(slots.used()).isZero());
	}

}

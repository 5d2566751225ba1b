package io.stampedsync;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** A long-lived subscription outlives a failing item and a failing source. */
class LongLivedTests {

	private final Sinks.Many<String> source = Sinks.many().multicast().directBestEffort();

	private final List<String> handled = new CopyOnWriteArrayList<>();

	private Disposable subscription;

	@AfterEach
	void tearDown() {
		if (this.subscription != null) {
			this.subscription.dispose();
		}
	}

	@Test
	void forEachGoesOnAfterAnItemThatThrows() {
		this.subscription = LongLived.forEach("test", this.source.asFlux(), this::handleOrThrow, (item) -> item);
		this.source.tryEmitNext("bad");
		this.source.tryEmitNext("next");
		assertThat(this.handled).containsExactly("next");
		assertThat(this.subscription.isDisposed()).isFalse();
	}

	@Test
	void forEachSubscribesAgainAfterTheSourceFails() {
		this.subscription = LongLived.forEach("test", failingOnce(), this.handled::add, (item) -> item);
		await().until(() -> this.source.currentSubscriberCount() == 1);
		this.source.tryEmitNext("after");
		assertThat(this.handled).containsExactly("after");
	}

	@Test
	void concatEachGoesOnAfterAStepThatThrowsOrFails() {
		this.subscription = LongLived.concatEach("test", this.source.asFlux(), (item) -> switch (item) {
			case "throws" -> throw new IllegalStateException("thrown");
			case "fails" -> Mono.error(new IllegalStateException("failed"));
			default -> Mono.fromRunnable(() -> this.handled.add(item));
		}, (item) -> item);
		this.source.tryEmitNext("throws");
		this.source.tryEmitNext("fails");
		this.source.tryEmitNext("next");
		await().until(() -> this.handled.contains("next"));
		assertThat(this.handled).containsExactly("next");
	}

	@Test
	void concatEachSubscribesAgainAfterTheSourceFails() {
		this.subscription = LongLived.concatEach("test", failingOnce(),
				(item) -> Mono.fromRunnable(() -> this.handled.add(item)), (item) -> item);
		await().until(() -> this.source.currentSubscriberCount() == 1);
		this.source.tryEmitNext("after");
		await().until(() -> this.handled.contains("after"));
	}

	private void handleOrThrow(String item) {
		if (item.equals("bad")) {
			throw new IllegalStateException("cannot handle " + item);
		}
		this.handled.add(item);
	}

	private Flux<String> failingOnce() {
		AtomicInteger subscriptions = new AtomicInteger();
		return Flux.defer(() -> (subscriptions.getAndIncrement() == 0)
				? Flux.error(new IllegalStateException("source broken")) : this.source.asFlux());
	}

}

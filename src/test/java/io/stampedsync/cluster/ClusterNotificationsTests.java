package io.stampedsync.cluster;

import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import io.stampedsync.batch.BatchEvent;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The announcing of events stored here lasts as long as the replica. */
class ClusterNotificationsTests {

	private final Sinks.Many<BatchEvent> stored = Sinks.many().multicast().directBestEffort();

	private final List<String> announced = new CopyOnWriteArrayList<>();

	private Disposable announcing;

	@AfterEach
	void tearDown() {
		if (this.announcing != null) {
			this.announcing.dispose();
		}
	}

	@Test
	void burstWhoseAnnouncementThrowsLeavesTheNextAnnounced() {
		this.announcing = ClusterNotifications.announceStored(this.stored.asFlux(), (events) -> {
			events.forEach((event) -> this.announced.add(event.batchId()));
			if (events.stream().anyMatch((event) -> event.batchId().equals("bad"))) {
				throw new IllegalStateException("cannot announce");
			}
			return Mono.empty();
		});
		this.stored.tryEmitNext(event("bad", 1));
		await().until(() -> this.announced.contains("bad"));
		this.stored.tryEmitNext(event("good", 1));
		await().until(() -> this.announced.contains("good"));
	}

	@Test
	void storedEventsFailingAsAStreamAreFollowedAgain() {
		AtomicInteger subscriptions = new AtomicInteger();
		Flux<BatchEvent> failingOnce = Flux.defer(() -> (subscriptions.getAndIncrement() == 0)
				? Flux.error(new IllegalStateException("stream broken")) : this.stored.asFlux());
		this.announcing = ClusterNotifications.announceStored(failingOnce, (events) -> {
			events.forEach((event) -> this.announced.add(event.batchId()));
			return Mono.empty();
		});
		await().until(() -> this.stored.currentSubscriberCount() == 1);
		this.stored.tryEmitNext(event("b1", 1));
		await().until(() -> this.announced.contains("b1"));
		assertThat(subscriptions).hasValue(2);
	}

	private static BatchEvent event(String batchId, long seq) {
		return new BatchEvent(batchId, "acme", seq, BatchEvent.RECORD, "{}", Instant.EPOCH);
	}

}

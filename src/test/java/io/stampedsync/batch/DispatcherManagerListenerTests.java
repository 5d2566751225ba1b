package io.stampedsync.batch;

import java.time.Clock;
import java.time.Duration;

import io.stampedsync.subscription.SubscriptionRegistry;
import io.stampedsync.subscription.SubscriptionRegistry.SubscriptionChange;
import io.stampedsync.subscription.SubscriptionSettings;
import io.stampedsync.throttle.Throttles;
import io.stampedsync.transfer.TransferService;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.support.StaticListableBeanFactory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.BDDMockito.given;
import static org.mockito.Mockito.mock;

/**
 * The manager's listeners (subscription changes, accepted credentials, fences) last its
 * life: one item they fail on never keeps the next ones from the dispatchers.
 */
class DispatcherManagerListenerTests {

	private final MemoryJournal journal = new MemoryJournal();

	private final BatchEventBus bus = new BatchEventBus();

	private final Sinks.Many<SubscriptionChange> changes = Sinks.many().multicast().onBackpressureBuffer();

	private DispatcherManager manager;

	@AfterEach
	void stop() {
		if (this.manager != null) {
			this.manager.stop();
		}
		this.bus.close();
	}

	@Test
	void aChangeTheManagerFailsOnLeavesTheNextChangesToTheDispatchers() {
		SubscriptionSettings settings = SubscriptionDispatcherTests.settings(1, 1);
		SubscriptionRegistry registry = mock(SubscriptionRegistry.class);
		given(registry.find("acme")).willReturn(Mono.just(settings));
		given(registry.changes()).willReturn(this.changes.asFlux());
		Throttles throttles = mock(Throttles.class);
		given(throttles.credentialsAccepted()).willReturn(Flux.never());
		TransferService transfers = mock(TransferService.class);
		given(transfers.transfer(any(), any())).willReturn(Mono.never());
		JsonMapper json = JsonMapper.builder().build();
		Fences fences = new Fences();
		BatchLog log = new BatchLog(new JournalWriter(this.journal, this.bus, fences), new EventJson(json), json,
				Clock.systemUTC());
		StaticListableBeanFactory beans = new StaticListableBeanFactory();
		this.manager = new DispatcherManager(registry, throttles, this.journal, transfers, log, fences,
				new CallActivity(), SubscriptionDispatcherTests.properties(), beans.getBeanProvider(Ownership.class),
				beans.getBeanProvider(DispatcherObserver.class));
		this.manager.start();
		this.manager.submit(this.journal.add("b", "acme", 0, "c-0")).block(Duration.ofSeconds(10));
		assertThat(this.manager.dispatching()).containsKey("acme");

		// No id: the manager cannot look it up (used to end its listener for good).
		this.changes.tryEmitNext(new SubscriptionChange(null, settings));
		this.changes.tryEmitNext(new SubscriptionChange("acme", null));

		await().atMost(Duration.ofSeconds(10)).until(() -> !this.manager.dispatching().containsKey("acme"));
	}

}

package io.stampedsync.monitoring;

import java.util.List;

import io.stampedsync.batch.DispatcherManager;
import io.stampedsync.subscription.Secret;
import io.stampedsync.subscription.SubscriptionRegistry;
import io.stampedsync.subscription.SubscriptionSettings;
import io.stampedsync.throttle.ThrottleRegistry;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.BDDMockito.given;
import static org.mockito.Mockito.mock;

/**
 * What a store's health says about its dispatcher: a failing outer pipeline and a stall
 * (the watchdog's finding) reach the snapshot the monitoring endpoints and the dashboard
 * serve, without a Spring context.
 */
class HealthSnapshotsTests {

	private final SubscriptionRegistry registry = mock(SubscriptionRegistry.class);

	private final DispatcherManager dispatchers = mock(DispatcherManager.class);

	private final UnfinishedBatches unfinished = mock(UnfinishedBatches.class);

	private HealthSnapshots snapshots;

	@BeforeEach
	void setUp() {
		given(this.registry.findAll()).willReturn(Flux.just(settings("acme")));
		given(this.unfinished.all()).willReturn(Flux.empty());
		this.snapshots = new HealthSnapshots(this.registry, mock(ThrottleRegistry.class), this.dispatchers,
				this.unfinished, mock(CallWindows.class), mock(WaitingRecords.class), mock(ErrorRecorder.class));
	}

	@Test
	void aStoreWhosePipelineNeverFailedShowsNoRestarts() {
		SubscriptionHealth health = only();

		assertThat(health.health()).isEqualTo(SubscriptionHealth.HEALTHY);
		assertThat(health.pipelineRestarts()).as("absent, not 0, while it never failed").isNull();
		assertThat(health.lastPipelineFailure()).isNull();
	}

	@Test
	void aPipelineFailureShowsAsRestartsAndTheLastFailureWhileTheStoreStaysHealthy() {
		given(this.dispatchers.restarts("acme")).willReturn(2L);
		given(this.dispatchers.lastFailure("acme")).willReturn("IllegalStateException: writer refused");

		SubscriptionHealth health = only();

		assertThat(health.pipelineRestarts()).isEqualTo(2L);
		assertThat(health.lastPipelineFailure()).isEqualTo("IllegalStateException: writer refused");
		assertThat(health.health()).as("a restarted pipeline runs on").isEqualTo(SubscriptionHealth.HEALTHY);
	}

	@Test
	void aStalledStoreShowsStalledWithWhatItWaitedFor() {
		given(this.dispatchers.stalled("acme")).willReturn("1 running, 3 records out");

		SubscriptionHealth health = only();

		assertThat(health.health()).isEqualTo(SubscriptionHealth.STALLED).isEqualTo("stalled");
		assertThat(health.reason()).isEqualTo(SubscriptionHealth.NO_PROGRESS);
		assertThat(health.detail()).isEqualTo("1 running, 3 records out");
	}

	@Test
	void aPauseForItsKeysOutranksAStall() {
		given(this.dispatchers.stalled("acme")).willReturn("1 running");
		given(this.dispatchers.pauseReason("acme")).willReturn("credentials rejected (401)");

		SubscriptionHealth health = only();

		assertThat(health.health()).isEqualTo(SubscriptionHealth.PAUSED);
		assertThat(health.detail()).isEqualTo("credentials rejected (401)");
	}

	private SubscriptionHealth only() {
		List<SubscriptionHealth> all = this.snapshots.snapshot().block();
		assertThat(all).hasSize(1);
		return all.get(0);
	}

	private static SubscriptionSettings settings(String id) {
		return new SubscriptionSettings(id, "http://127.0.0.1:9", "pubkey-test", Secret.of("key-test-private"),
				"store-1", 1000, 1, 1000, 1, 2, 10, "http://127.0.0.1:9", Secret.of("ipaas-token-0001"), 4242L, null,
				null, 1);
	}

}

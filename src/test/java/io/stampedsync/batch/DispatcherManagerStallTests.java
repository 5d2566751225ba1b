package io.stampedsync.batch;

import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.stampedsync.subscription.SubscriptionRegistry;
import io.stampedsync.subscription.SubscriptionSettings;
import io.stampedsync.throttle.Throttles;
import io.stampedsync.transfer.TransferService;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.support.StaticListableBeanFactory;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.BDDMockito.given;
import static org.mockito.Mockito.mock;

/**
 * The watchdog as the manager runs it: a store whose only transfer never answers is
 * reported stalled, logged once with what its dispatcher held, and restarted every
 * {@code stall-after} without a new WARN.
 */
@ExtendWith(OutputCaptureExtension.class)
class DispatcherManagerStallTests {

	private static final Pattern STALL_WARN = Pattern
		.compile("WARN.*Subscription acme made no call and ended no record for .* It held: (.*)");

	private final MemoryJournal journal = new MemoryJournal();

	private final AtomicInteger sends = new AtomicInteger();

	private DispatcherManager manager;

	private final BatchEventBus bus = new BatchEventBus();

	@AfterEach
	void stop() {
		if (this.manager != null) {
			this.manager.stop();
		}
		this.bus.close();
	}

	@Test
	void aStalledStoreIsReportedStalledAndLoggedOnceWithWhatItWaitedFor(CapturedOutput output) {
		SubscriptionSettings settings = SubscriptionDispatcherTests.settings(1, 1);
		SubscriptionRegistry registry = mock(SubscriptionRegistry.class);
		given(registry.find("acme")).willReturn(Mono.just(settings));
		given(registry.changes()).willReturn(Flux.never());
		Throttles throttles = mock(Throttles.class);
		given(throttles.credentialsAccepted()).willReturn(Flux.never());
		TransferService transfers = mock(TransferService.class);
		// Every send hangs: no call ends, no record ends.
		given(transfers.transfer(any(), any())).willAnswer((invocation) -> {
			this.sends.incrementAndGet();
			return Mono.never();
		});
		JsonMapper json = JsonMapper.builder().build();
		Fences fences = new Fences();
		BatchLog log = new BatchLog(new JournalWriter(this.journal, this.bus, fences), new EventJson(json), json,
				Clock.systemUTC());
		BatchProperties defaults = SubscriptionDispatcherTests.properties();
		BatchProperties properties = new BatchProperties(defaults.maxRecords(), defaults.maxRecordBytes(),
				defaults.readAhead(), defaults.intakeChunk(), defaults.intakeChunkBytes(), 50,
				defaults.heartbeatSeconds(), Duration.ofMillis(300), defaults.restartBackoff(),
				defaults.restartMaxBackoff(), Duration.ofMillis(200));
		StaticListableBeanFactory beans = new StaticListableBeanFactory();
		this.manager = new DispatcherManager(registry, throttles, this.journal, transfers, log, fences,
				new CallActivity(), properties, beans.getBeanProvider(Ownership.class),
				beans.getBeanProvider(DispatcherObserver.class));
		this.manager.start();

		this.manager.submit(this.journal.add("b", "acme", 0, "c-0", "c-1")).block(Duration.ofSeconds(10));

		// The record is handed out on the dispatcher's threads while the watchdog looks
		// on
		// its own: a first look before the hand-out finds the record not out yet, which
		// is what it held then. Once out, it stays out (its send never answers) until
		// the restart that a look makes, and a look describes before it restarts.
		await().atMost(Duration.ofSeconds(30))
			.until(() -> this.manager.stalled("acme"), (held) -> held != null && held.contains("1 records out"));
		// Two watchdog restarts, each sending the hung record again: the stall goes on.
		await().atMost(Duration.ofSeconds(30)).until(() -> this.sends.get() >= 3);
		assertThat(this.manager.stalled("acme")).isNotNull();

		Matcher warns = STALL_WARN.matcher(output.getAll());
		assertThat(warns.find()).as("the stall is logged").isTrue();
		assertThat(warns.group(1)).containsPattern("[01] records out");
		assertThat(warns.find()).as("and logged once, not at every restart").isFalse();
	}

}

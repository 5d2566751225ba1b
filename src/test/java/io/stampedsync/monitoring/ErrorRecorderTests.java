package io.stampedsync.monitoring;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.stampedsync.subscription.SubscriptionRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.BDDMockito.given;
import static org.mockito.Mockito.mock;

class ErrorRecorderTests {

	private static final Instant AT = Instant.parse("2026-01-31T12:00:00Z");

	private final RecordingLog log = new RecordingLog();

	private final SimpleMeterRegistry meters = new SimpleMeterRegistry();

	private ErrorRecorder recorder;

	@BeforeEach
	void start() {
		SubscriptionRegistry registry = mock(SubscriptionRegistry.class);
		given(registry.findAll()).willReturn(Flux.empty());
		this.recorder = new ErrorRecorder(this.log, registry, Clock.fixed(AT, ZoneOffset.UTC),
				SubscriptionTagsTests.properties(500), this.meters);
		this.recorder.start();
	}

	@AfterEach
	void stop() {
		this.log.autoComplete = true;
		List.copyOf(this.log.pending).forEach(Sinks.Empty::tryEmitEmpty);
		this.recorder.stop();
	}

	@Test
	void writesASingleErrorWithoutAFollowingOne() {
		this.recorder.record(entry(1));

		assertThat(this.log.groups).containsExactly(List.of(entry(1)));
	}

	@Test
	void writesAnErrorThatArrivedDuringAWriteOnceThatWriteEnds() {
		this.recorder.record(entry(1));
		this.recorder.record(entry(2));
		assertThat(this.log.groups).hasSize(1);

		this.log.pending.get(0).tryEmitEmpty();

		assertThat(this.log.groups).containsExactly(List.of(entry(1)), List.of(entry(2)));
	}

	@Test
	void dropsAndCountsErrorsBeyondTheBuffer() {
		this.recorder.record(entry(0));
		for (int i = 1; i <= 10_005; i++) {
			this.recorder.record(entry(i));
		}

		assertThat(this.meters.counter("stamped_sync.errors.dropped").count()).isEqualTo(5);
	}

	@Test
	void stopWritesWhatIsStillWaiting() {
		this.recorder.record(entry(1));
		this.recorder.record(entry(2));
		this.log.autoComplete = true;
		this.log.pending.get(0).tryEmitEmpty();

		this.recorder.stop();

		assertThat(this.log.groups).containsExactly(List.of(entry(1)), List.of(entry(2)));
	}

	private static ErrorEntry entry(int index) {
		return new ErrorEntry(null, "acme", "b1", index, "c" + index, null, "STAMPED_VALIDATION", "bad", 400, 1, null,
				"transfer", AT);
	}

	/** An error log whose writes end when the test says so. */
	private static final class RecordingLog extends ErrorLog {

		final List<List<ErrorEntry>> groups = new ArrayList<>();

		final List<Sinks.Empty<Void>> pending = new ArrayList<>();

		boolean autoComplete;

		RecordingLog() {
			super(null);
		}

		@Override
		Mono<Void> append(List<ErrorEntry> entries) {
			this.groups.add(List.copyOf(entries));
			if (this.autoComplete) {
				return Mono.empty();
			}
			Sinks.Empty<Void> done = Sinks.empty();
			this.pending.add(done);
			return done.asMono().timeout(Duration.ofMinutes(1));
		}

		@Override
		Flux<ErrorEntry> find(ErrorQuery query, long offset, int limit) {
			return Flux.empty();
		}

	}

}

package io.stampedsync.sandbox;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class SlidingWindowTests {

	private final AtomicLong now = new AtomicLong();

	private final SlidingWindow window = new SlidingWindow(this.now::get, Duration.ofSeconds(10));

	@Test
	void maxIsTheMostCallsInAnyWindowOfW() {
		// Calls at 0, 4, 9, 12, 13, 19.5, 22 s: windows (9.5, 19.5] and (3, 13] hold 4
		// each.
		for (double second : new double[] { 0, 4, 9, 12, 13, 19.5, 22 }) {
			this.now.set((long) (second * 1e9));
			this.window.record();
		}

		assertThat(this.window.max()).isEqualTo(4);
		assertThat(this.window.current()).isEqualTo(3);
	}

	@Test
	void callsExactlyWApartAreNotInTheSameWindow() {
		this.window.record();
		this.now.set(10_000_000_000L);
		this.window.record();

		assertThat(this.window.max()).isEqualTo(1);
	}

	@Test
	void tryRecordRefusesAtTheLimitAndSaysHowLongToWait() {
		assertThat(this.window.tryRecord(2)).isZero();
		this.now.set(3_000_000_000L);
		assertThat(this.window.tryRecord(2)).isZero();
		this.now.set(4_000_000_000L);

		assertThat(this.window.tryRecord(2)).isEqualTo(6_000_000_000L);
		assertThat(this.window.current()).isEqualTo(2);
	}

	@Test
	void growsBeyondItsInitialCapacityInOrder() {
		for (int i = 0; i < 1000; i++) {
			this.now.set(i * 1_000_000L);
			this.window.record();
		}
		this.now.set(10_500_000_000L);

		assertThat(this.window.max()).isEqualTo(1000);
		// The window (0.5 s, 10.5 s] holds the calls at 501..999 ms.
		assertThat(this.window.current()).isEqualTo(499);
	}

}

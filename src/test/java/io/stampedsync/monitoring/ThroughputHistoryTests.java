package io.stampedsync.monitoring;

import java.time.ZoneId;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ThroughputHistoryTests {

	static final Instant START = Instant.parse("2026-12-06T10:00:00Z");

	MutableClock clock = new MutableClock(START.plusSeconds(30));

	ThroughputHistory history = new ThroughputHistory(this.clock);

	@Test
	void countsEachMinuteApartWithZerosBetween() {
		this.history.add("demo", START.plusSeconds(5), 1, 2, 0);
		this.history.add("demo", START.plusSeconds(59), 1, 1, 1);
		this.history.add("demo", START.plusSeconds(180), 1, 3, 0);
		this.clock.now = START.plusSeconds(200);

		List<ThroughputPoint> points = this.history.points("demo", 4);

		assertThat(points).containsExactly(new ThroughputPoint(START, 2, 3, 1),
				new ThroughputPoint(START.plusSeconds(60), 0, 0, 0),
				new ThroughputPoint(START.plusSeconds(120), 0, 0, 0),
				new ThroughputPoint(START.plusSeconds(180), 1, 3, 0));
	}

	@Test
	void keepsTwentyFourHoursAndForgetsWhatIsOlder() {
		this.history.add("demo", START, 7, 7, 0);
		this.clock.now = START.plus(Duration.ofHours(24)).minusSeconds(1);
		assertThat(this.history.points("demo", ThroughputHistory.MINUTES).get(0))
			.isEqualTo(new ThroughputPoint(START, 7, 7, 0));

		this.clock.now = START.plus(Duration.ofHours(24));
		this.history.add("demo", this.clock.now, 1, 1, 0);
		this.history.add("demo", START, 5, 5, 0);

		List<ThroughputPoint> points = this.history.points("demo", ThroughputHistory.MINUTES);
		assertThat(points).hasSize(ThroughputHistory.MINUTES);
		assertThat(points.stream().mapToLong(ThroughputPoint::records).sum()).isEqualTo(1);
	}

	@Test
	void aMinuteThatOutlivedItsSlotNeverOverwritesTheNewerOne() {
		this.clock.now = START.plus(Duration.ofHours(24)).plusSeconds(10);
		this.history.add("demo", this.clock.now, 1, 1, 0);
		// Exactly 24 h older: same slot, out of the window.
		this.history.add("demo", START.plusSeconds(10), 9, 9, 9);

		assertThat(this.history.points("demo", 1))
			.containsExactly(new ThroughputPoint(START.plus(Duration.ofHours(24)), 1, 1, 0));
	}

	@Test
	void tellsEveryMinuteChangedSinceAVersion() {
		assertThat(this.history.changedSince("demo", 0)).isNull();
		this.history.add("demo", START.plusSeconds(1), 1, 1, 0);
		long seen = this.history.version("demo");
		this.history.add("demo", START.plusSeconds(2), 1, 1, 0);
		// A late record of the earlier minute, after the next minute began.
		this.history.add("demo", START.plusSeconds(61), 1, 2, 1);
		this.clock.now = START.plusSeconds(70);

		ThroughputHistory.Changes changes = this.history.changedSince("demo", seen);

		assertThat(changes.points()).containsExactly(new ThroughputPoint(START, 2, 2, 0),
				new ThroughputPoint(START.plusSeconds(60), 1, 2, 1));
		assertThat(changes.version()).isEqualTo(3);
		assertThat(this.history.changedSince("demo", 3)).isNull();
		assertThat(this.history.points("other", 2)).allSatisfy((point) -> assertThat(point.records()).isZero());
	}

	static final class MutableClock extends Clock {

		Instant now;

		MutableClock(Instant now) {
			this.now = now;
		}

		@Override
		public Instant instant() {
			return this.now;
		}

		@Override
		public ZoneId getZone() {
			return ZoneOffset.UTC;
		}

		@Override
		public Clock withZone(ZoneId zone) {
			return this;
		}

	}

}

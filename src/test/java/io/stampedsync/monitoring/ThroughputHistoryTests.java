package io.stampedsync.monitoring;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;

import io.stampedsync.monitoring.ThroughputHistory.Work;
import io.stampedsync.monitoring.ThroughputPoint.Counts;
import io.stampedsync.monitoring.ThroughputPoint.Directions;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ThroughputHistoryTests {

	static final Instant START = Instant.parse("2026-12-06T10:00:00Z");

	MutableClock clock = new MutableClock(START.plusSeconds(30));

	ThroughputHistory history = new ThroughputHistory(this.clock);

	@Test
	void countsEachMinuteApartWithZerosBetween() {
		this.history.add("demo", START.plusSeconds(5), stamped(2));
		this.history.add("demo", START.plusSeconds(59), failed(1));
		this.history.add("demo", START.plusSeconds(180), stamped(3));
		this.clock.now = START.plusSeconds(200);

		List<ThroughputPoint> points = this.history.points("demo", 4);

		assertThat(points).containsExactly(
				new ThroughputPoint(START, 2, 3, 1, new Directions(new Counts(2, 3, 1), Counts.NONE)),
				ThroughputPoint.empty(START.plusSeconds(60)), ThroughputPoint.empty(START.plusSeconds(120)),
				new ThroughputPoint(START.plusSeconds(180), 1, 3, 0, new Directions(new Counts(1, 3, 0), Counts.NONE)));
	}

	@Test
	void countsEachDirectionForTheRecordsThatCalledIt() {
		// A Manual Sync: read from iPaaS.com, sent to Stamped.io, the link written back.
		this.history.add("demo", START.plusSeconds(1), new Work(1, 2, false));
		// A push that failed after retries at Stamped.io.
		this.history.add("demo", START.plusSeconds(2), new Work(3, 0, true));
		// An unchanged record: no call in either direction.
		this.history.add("demo", START.plusSeconds(3), new Work(0, 0, false));

		assertThat(this.history.points("demo", 1)).containsExactly(
				new ThroughputPoint(START, 3, 6, 1, new Directions(new Counts(2, 4, 1), new Counts(1, 2, 0))));
	}

	@Test
	void keepsTwentyFourHoursAndForgetsWhatIsOlder() {
		this.history.add("demo", START, stamped(7));
		this.clock.now = START.plus(Duration.ofHours(24)).minusSeconds(1);
		assertThat(this.history.points("demo", ThroughputHistory.MINUTES).get(0))
			.isEqualTo(new ThroughputPoint(START, 1, 7, 0, new Directions(new Counts(1, 7, 0), Counts.NONE)));

		this.clock.now = START.plus(Duration.ofHours(24));
		this.history.add("demo", this.clock.now, stamped(1));
		this.history.add("demo", START, stamped(5));

		List<ThroughputPoint> points = this.history.points("demo", ThroughputHistory.MINUTES);
		assertThat(points).hasSize(ThroughputHistory.MINUTES);
		assertThat(points.stream().mapToLong(ThroughputPoint::records).sum()).isEqualTo(1);
	}

	@Test
	void aMinuteThatOutlivedItsSlotNeverOverwritesTheNewerOne() {
		this.clock.now = START.plus(Duration.ofHours(24)).plusSeconds(10);
		this.history.add("demo", this.clock.now, stamped(1));
		// Exactly 24 h older: same slot, out of the window.
		this.history.add("demo", START.plusSeconds(10), new Work(9, 9, true));

		assertThat(this.history.points("demo", 1)).containsExactly(new ThroughputPoint(START.plus(Duration.ofHours(24)),
				1, 1, 0, new Directions(new Counts(1, 1, 0), Counts.NONE)));
	}

	@Test
	void tellsEveryMinuteChangedSinceAVersion() {
		assertThat(this.history.changedSince("demo", 0)).isNull();
		this.history.add("demo", START.plusSeconds(1), stamped(1));
		long seen = this.history.version("demo");
		this.history.add("demo", START.plusSeconds(2), stamped(1));
		// A late record of the earlier minute, after the next minute began.
		this.history.add("demo", START.plusSeconds(61), new Work(1, 1, true));
		this.clock.now = START.plusSeconds(70);

		ThroughputHistory.Changes changes = this.history.changedSince("demo", seen);

		assertThat(changes.points()).containsExactly(
				new ThroughputPoint(START, 2, 2, 0, new Directions(new Counts(2, 2, 0), Counts.NONE)),
				new ThroughputPoint(START.plusSeconds(60), 1, 2, 1,
						new Directions(new Counts(1, 1, 1), new Counts(1, 1, 1))));
		assertThat(changes.version()).isEqualTo(3);
		assertThat(this.history.changedSince("demo", 3)).isNull();
		assertThat(this.history.points("other", 2)).allSatisfy((point) -> assertThat(point.records()).isZero());
	}

	private static Work stamped(long calls) {
		return new Work(calls, 0, false);
	}

	private static Work failed(long calls) {
		return new Work(calls, 0, true);
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

package io.stampedsync.throttle;

import java.util.Arrays;
import java.util.Random;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The median of the round trips is the one a sort would give, whatever their order. */
class RoundTripsTests {

	@Test
	void selectGivesTheValueASortPutsAtThatPlace() {
		Random random = new Random(7);
		for (int round = 0; round < 2_000; round++) {
			int n = 1 + random.nextInt(RoundTrips.CAPACITY);
			// Few distinct values in some rounds: runs of equal round trips are common.
			int spread = (round % 3 == 0) ? 4 : 1_000_000;
			long[] values = new long[n];
			for (int i = 0; i < n; i++) {
				values[i] = random.nextInt(spread);
			}
			long[] sorted = values.clone();
			Arrays.sort(sorted);
			int k = random.nextInt(n);
			assertThat(RoundTrips.select(values.clone(), n, k)).as("k=%d of %s", k, Arrays.toString(values))
				.isEqualTo(sorted[k]);
		}
	}

	@Test
	void medianIsTheUpperMiddleOfTheKeptRoundTripsAndTheOldestDropOut() {
		RoundTrips roundTrips = new RoundTrips();
		assertThat(roundTrips.median()).isEqualTo(Long.MAX_VALUE);
		for (long trip : new long[] { 50, 10, 40, 20 }) {
			roundTrips.add(trip);
		}
		assertThat(roundTrips.median()).isEqualTo(40);
		assertThat(roundTrips.shortest()).isEqualTo(10);
		for (int i = 0; i < RoundTrips.CAPACITY; i++) {
			roundTrips.add(1_000 + i);
		}
		assertThat(roundTrips.shortest()).isEqualTo(1_000);
		assertThat(roundTrips.median()).isEqualTo(1_000 + RoundTrips.CAPACITY / 2);
	}

}

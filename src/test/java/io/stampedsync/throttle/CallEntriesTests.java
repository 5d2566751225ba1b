package io.stampedsync.throttle;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The limiter's log alone: numbering, ends, dropping old entries, growing the ring. */
class CallEntriesTests {

	private final CallEntries log = new CallEntries();

	@Test
	void shouldNumberCallsInOrderAndKeepNumbersAcrossDrops() {
		assertThat(this.log.append(10)).isZero();
		assertThat(this.log.append(20)).isEqualTo(1);
		this.log.dropOlderThan(100, 50);

		assertThat(this.log.append(30)).isEqualTo(2);
		assertThat(this.log.countAfter(Long.MIN_VALUE)).isEqualTo(1);
	}

	@Test
	void shouldFindTheLatestEndUpToACallNotJustTheLastOne() {
		this.log.append(50);
		this.log.append(40);
		this.log.append(CallEntries.UNKNOWN);

		assertThat(this.log.latestEndUpTo(1)).isEqualTo(50);
		assertThat(this.log.latestEndUpTo(2)).isEqualTo(50);
		assertThat(this.log.latestEndUpTo(-1)).isEqualTo(Long.MIN_VALUE);
		assertThat(this.log.unknownUpTo(1)).isFalse();
		assertThat(this.log.unknownUpTo(2)).isTrue();
	}

	@Test
	void shouldNeverDropACallNotStartedNorWhatFollowsIt() {
		long first = this.log.append(CallEntries.UNKNOWN);
		this.log.append(1);

		this.log.dropOlderThan(1_000, 10);
		assertThat(this.log.countAfter(0)).isEqualTo(2);

		this.log.set(first, 5);
		this.log.dropOlderThan(1_000, 10);
		assertThat(this.log.countAfter(Long.MIN_VALUE)).isZero();
	}

	@Test
	void shouldTakeBackTheLastCallsAndIgnoreEndsOfDroppedOnes() {
		long first = this.log.append(1);
		this.log.append(2);
		this.log.append(3);
		this.log.removeLast(2);
		this.log.dropOlderThan(100, 10);

		this.log.set(first, 500);

		assertThat(this.log.countAfter(Long.MIN_VALUE)).isZero();
		assertThat(this.log.append(7)).isEqualTo(1);
	}

	@Test
	void shouldGrowPastItsFirstSizeWhileWrappedAround() {
		for (int i = 0; i < 10; i++) {
			this.log.append(i);
		}
		this.log.dropOlderThan(1_005, 1_000);
		for (int i = 10; i < 100; i++) {
			this.log.append(i);
		}

		assertThat(this.log.countAfter(Long.MIN_VALUE)).isEqualTo(94);
		assertThat(this.log.latestEndUpTo(99)).isEqualTo(99);
		assertThat(this.log.countAfter(49)).isEqualTo(50);
	}

}

package io.stampedsync.batch;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

import io.stampedsync.outbound.Direction;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class CallRateTests {

	static final long SECOND = Duration.ofSeconds(1).toNanos();

	AtomicLong now = new AtomicLong(1_000 * SECOND);

	CallRate rate = new CallRate(this.now::get);

	@Test
	void countsEachDirectionOverTheLastMinuteOnly() {
		this.rate.record(Direction.STAMPED, Duration.ofMillis(100));
		this.now.addAndGet(30 * SECOND);
		this.rate.record(Direction.STAMPED, Duration.ofMillis(300));
		this.rate.record(Direction.IPAAS, Duration.ofMillis(50));

		CallRate.Snapshot within = this.rate.snapshot();
		assertThat(within.stampedPerMinute()).isEqualTo(2);
		assertThat(within.ipaasPerMinute()).isEqualTo(1);
		assertThat(within.stampedSeconds()).isEqualTo(0.2);

		this.now.addAndGet(30 * SECOND);
		CallRate.Snapshot later = this.rate.snapshot();
		assertThat(later.stampedPerMinute()).as("the first call is a minute old").isEqualTo(1);
		assertThat(later.stampedTotal()).isEqualTo(2);

		this.now.addAndGet(60 * SECOND);
		assertThat(this.rate.snapshot().stampedPerMinute()).isZero();
		assertThat(this.rate.snapshot().ipaasPerMinute()).isZero();
	}

	@Test
	void batchesOfASubscriptionNeverCountMoreThanItsCallWindow() {
		// The subscription's window (monitoring) counts on the same clock with the same
		// one-second buckets; here a third ring sees every call.
		CallRate other = new CallRate(this.now::get);
		CallRate subscription = new CallRate(this.now::get);
		for (int i = 0; i < 1000; i++) {
			this.now.addAndGet(SECOND / 7);
			(i % 3 == 0 ? other : this.rate).record(Direction.STAMPED, Duration.ofMillis(10));
			subscription.record(Direction.STAMPED, Duration.ofMillis(10));
			if (i % 50 == 0) {
				long batches = this.rate.snapshot().stampedPerMinute() + other.snapshot().stampedPerMinute();
				assertThat(batches).isEqualTo(subscription.snapshot().stampedPerMinute());
			}
		}
		assertThat(subscription.snapshot().stampedPerMinute()).as("a minute of calls, no more").isBetween(419L, 421L);
	}

}

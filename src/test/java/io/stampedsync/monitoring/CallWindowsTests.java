package io.stampedsync.monitoring;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

import io.stampedsync.outbound.Direction;
import io.stampedsync.outbound.OutboundCall;
import org.junit.jupiter.api.Test;
import reactor.util.context.Context;

import static org.assertj.core.api.Assertions.assertThat;

class CallWindowsTests {

	private final AtomicLong now = new AtomicLong(Duration.ofHours(1).toNanos());

	private final CallWindows windows = new CallWindows(this.now::get);

	@Test
	void countsCallsOfTheCurrentWindowPerSubscriptionAndDirection() {
		call("acme", Direction.STAMPED, 3);
		call("acme", Direction.IPAAS, 1);
		call("other", Direction.STAMPED, 2);

		assertThat(this.windows.count("acme", Direction.STAMPED, 60)).isEqualTo(3);
		assertThat(this.windows.count("acme", Direction.IPAAS, 60)).isEqualTo(1);
		assertThat(this.windows.count("other", Direction.STAMPED, 60)).isEqualTo(2);
		assertThat(this.windows.count("none", Direction.STAMPED, 60)).isZero();
	}

	@Test
	void callsOlderThanTheWindowNoLongerCount() {
		call("acme", Direction.STAMPED, 5);
		advance(Duration.ofSeconds(30));
		call("acme", Direction.STAMPED, 2);

		assertThat(this.windows.count("acme", Direction.STAMPED, 60)).isEqualTo(7);
		advance(Duration.ofSeconds(31));
		assertThat(this.windows.count("acme", Direction.STAMPED, 60)).isEqualTo(2);
		advance(Duration.ofSeconds(60));
		assertThat(this.windows.count("acme", Direction.STAMPED, 60)).isZero();
	}

	@Test
	void aLaneStartsOverWhenItsWindowChanges() {
		call("acme", Direction.STAMPED, 4);
		this.windows.count("acme", Direction.STAMPED, 10);
		call("acme", Direction.STAMPED, 1);
		advance(Duration.ofSeconds(11));
		call("acme", Direction.STAMPED, 2);

		assertThat(this.windows.count("acme", Direction.STAMPED, 10)).isEqualTo(2);
	}

	@Test
	void countsTheLastMinuteWhateverTheWindow() {
		call("acme", Direction.STAMPED, 4);
		assertThat(this.windows.count("acme", Direction.STAMPED, 10)).isEqualTo(4);
		advance(Duration.ofSeconds(20));
		call("acme", Direction.STAMPED, 3);
		call("acme", Direction.IPAAS, 1);

		assertThat(this.windows.count("acme", Direction.STAMPED, 10)).as("calls of the last 10 s").isEqualTo(3);
		assertThat(this.windows.perMinute("acme", Direction.STAMPED)).isEqualTo(7);
		assertThat(this.windows.perMinute("acme", Direction.IPAAS)).isEqualTo(1);
		advance(Duration.ofSeconds(41));
		assertThat(this.windows.perMinute("acme", Direction.STAMPED)).isEqualTo(3);
		assertThat(this.windows.perMinute("none", Direction.STAMPED)).isZero();
	}

	@Test
	void forgetsSubscriptionsThatAreGone() {
		call("acme", Direction.STAMPED, 1);
		call("gone", Direction.STAMPED, 1);

		this.windows.retain(Set.of("acme"));

		assertThat(this.windows.count("gone", Direction.STAMPED, 60)).isZero();
		assertThat(this.windows.perMinute("gone", Direction.STAMPED)).isZero();
		assertThat(this.windows.count("acme", Direction.STAMPED, 60)).isEqualTo(1);
	}

	private void call(String subscriptionId, Direction direction, int times) {
		for (int i = 0; i < times; i++) {
			this.windows.onCall(
					new OutboundCall(direction, subscriptionId, "POST", "/x", 200, null, Duration.ofMillis(5), 1),
					Context.empty());
		}
	}

	private void advance(Duration duration) {
		this.now.addAndGet(duration.toNanos());
	}

}

package io.stampedsync.outbound;

import java.time.Duration;
import java.time.Instant;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class RetryAfterTests {

	private static final Instant NOW = Instant.parse("2026-11-25T10:00:00Z");

	@Test
	void readsDeltaSeconds() {
		assertThat(RetryAfter.parse("120", NOW)).contains(Duration.ofSeconds(120));
		assertThat(RetryAfter.parse(" 0 ", NOW)).contains(Duration.ZERO);
	}

	@Test
	void readsAnHttpDateAgainstNow() {
		assertThat(RetryAfter.parse("Wed, 25 Nov 2026 10:00:30 GMT", NOW)).contains(Duration.ofSeconds(30));
	}

	@Test
	void aDateInThePastMeansNow() {
		assertThat(RetryAfter.parse("Wed, 25 Nov 2026 09:59:00 GMT", NOW)).contains(Duration.ZERO);
	}

	@Test
	void capsLongDelays() {
		Duration cap = Duration.ofSeconds(120);
		assertThat(RetryAfter.parse("3600", NOW, cap)).contains(cap);
		assertThat(RetryAfter.parse("99999999999999999999999", NOW, cap)).contains(cap);
		assertThat(RetryAfter.parse("Thu, 26 Nov 2026 10:00:00 GMT", NOW, cap)).contains(cap);
		assertThat(RetryAfter.parse("5", NOW, cap)).contains(Duration.ofSeconds(5));
	}

	@Test
	void ignoresWhatItCannotRead() {
		assertThat(RetryAfter.parse(null, NOW)).isEmpty();
		assertThat(RetryAfter.parse("", NOW)).isEmpty();
		assertThat(RetryAfter.parse("-5", NOW)).isEmpty();
		assertThat(RetryAfter.parse("1.5", NOW)).isEmpty();
		assertThat(RetryAfter.parse("tomorrow", NOW)).isEmpty();
	}

}

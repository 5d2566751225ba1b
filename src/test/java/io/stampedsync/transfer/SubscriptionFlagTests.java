package io.stampedsync.transfer;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

class SubscriptionFlagTests {

	@ParameterizedTest
	@ValueSource(strings = { "true", "TRUE", "True", "yes", "Yes", "y", "Y", "1", "subscribed", "SUBSCRIBED", "  yes  ",
			"\ttrue\n" })
	void readsSubscribedSpellings(String value) {
		assertThat(SubscriptionFlag.parse(value)).isTrue();
	}

	@ParameterizedTest
	@ValueSource(
			strings = { "false", "FALSE", "False", "no", "NO", "n", "N", "0", "unsubscribed", "Unsubscribed", " no " })
	void readsUnsubscribedSpellings(String value) {
		assertThat(SubscriptionFlag.parse(value)).isFalse();
	}

	@ParameterizedTest
	@ValueSource(strings = { "", "  ", "maybe", "2", "-1", "t", "f", "on", "off", "yes please", "1.0" })
	void givesUnknownForAnythingElse(String value) {
		assertThat(SubscriptionFlag.parse(value)).isNull();
	}

	@Test
	void givesUnknownForNull() {
		assertThat(SubscriptionFlag.parse(null)).isNull();
	}

}

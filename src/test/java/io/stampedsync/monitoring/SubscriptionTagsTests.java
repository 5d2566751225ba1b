package io.stampedsync.monitoring;

import java.time.Duration;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class SubscriptionTagsTests {

	@Test
	void tagsTheFirstSubscriptionsByIdAndTheRestAsOther() {
		SubscriptionTags tags = new SubscriptionTags(properties(2));

		assertThat(tags.of("a")).isEqualTo("a");
		assertThat(tags.of("b")).isEqualTo("b");
		assertThat(tags.of("c")).isEqualTo("other");
		assertThat(tags.of("a")).isEqualTo("a");
		assertThat(tags.of(null)).isEqualTo("other");
	}

	@Test
	void statusClassesAreBounded() {
		assertThat(SubscriptionTags.statusClass(201)).isEqualTo("2xx");
		assertThat(SubscriptionTags.statusClass(429)).isEqualTo("4xx");
		assertThat(SubscriptionTags.statusClass(503)).isEqualTo("5xx");
		assertThat(SubscriptionTags.statusClass(0)).isEqualTo("none");
		assertThat(SubscriptionTags.statusClass(999)).isEqualTo("none");
	}

	static MonitoringProperties properties(int maxTagged) {
		return new MonitoringProperties(Duration.ofDays(14), Duration.ofHours(1), 1000, 10000, 256,
				Duration.ofSeconds(1), maxTagged);
	}

}

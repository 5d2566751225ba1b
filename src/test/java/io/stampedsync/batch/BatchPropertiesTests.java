package io.stampedsync.batch;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;
import org.springframework.boot.env.YamlPropertySourceLoader;
import org.springframework.core.env.PropertySource;
import org.springframework.core.io.ClassPathResource;

import static org.assertj.core.api.Assertions.assertThat;

/** The watchdog's {@code stall-after} as the shipped configuration binds it. */
class BatchPropertiesTests {

	@Test
	void theWatchdogCallsAStoreStalledAfterTwoMinutesByDefault() throws IOException {
		List<PropertySource<?>> shipped = new YamlPropertySourceLoader().load("application",
				new ClassPathResource("application.yml"));

		BatchProperties properties = new Binder(ConfigurationPropertySources.from(shipped))
			.bindOrCreate("stamped-sync.batches", BatchProperties.class);

		assertThat(properties.stallAfter()).isEqualTo(Duration.ofMinutes(2));
	}

	@Test
	void stallAfterIsSetInAnyDurationForm() {
		BatchProperties properties = new Binder(
				new MapConfigurationPropertySource(Map.of("stamped-sync.batches.stall-after", "45s")))
			.bindOrCreate("stamped-sync.batches", BatchProperties.class);

		assertThat(properties.stallAfter()).isEqualTo(Duration.ofSeconds(45));
	}

}

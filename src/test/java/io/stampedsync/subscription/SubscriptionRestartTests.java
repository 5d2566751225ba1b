package io.stampedsync.subscription;

import java.nio.file.Path;
import java.time.Duration;

import io.stampedsync.StampedSyncApplication;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.r2dbc.core.DatabaseClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

@ExtendWith(OutputCaptureExtension.class)
class SubscriptionRestartTests {

	static final Duration WAIT = Duration.ofSeconds(30);

	static final String PRIVATE_KEY = SubscriptionValidatorTests.PRIVATE_KEY;

	@TempDir
	Path dataDir;

	@Test
	void keepsApiMadeSubscriptionsAcrossARestart() {
		try (ConfigurableApplicationContext first = start()) {
			DefaultSubscriptionRegistry registry = first.getBean(DefaultSubscriptionRegistry.class);
			registry.put("survivor", new SubscriptionInputBuilder().webhookApiKey("hook-abcdefgh5678").build())
				.block(WAIT);
			registry.put("survivor", new SubscriptionInputBuilder().apiPrivateKey(null).apiThrottleLimit(100).build())
				.block(WAIT);
			// Close the embedded database for real, so the second start reads the file.
			first.getBean(DatabaseClient.class).sql("SHUTDOWN").then().block(WAIT);
		}
		try (ConfigurableApplicationContext second = start()) {
			SubscriptionSettings survivor = second.getBean(SubscriptionRegistry.class).find("survivor").block(WAIT);
			assertThat(survivor.version()).isEqualTo(2);
			assertThat(survivor.apiThrottleLimit()).isEqualTo(100);
			assertThat(survivor.apiPrivateKey().reveal()).isEqualTo(PRIVATE_KEY);
			assertThat(survivor.webhookApiKey().reveal()).isEqualTo("hook-abcdefgh5678");
			assertThat(second.getBean(SubscriptionRegistry.class)
				.findAll()
				.map(SubscriptionSettings::id)
				.collectList()
				.block(WAIT)).containsExactly("survivor");
		}
	}

	@Test
	void refusesToStartWithAnInvalidConfiguredSubscriptionNamingIdFieldAndRule(CapturedOutput output) {
		assertThatThrownBy(() -> start("--stamped-sync.subscriptions.broken.api-url=http://evil.example",
				"--stamped-sync.subscriptions.broken.api-public-key=pubkey-1",
				"--stamped-sync.subscriptions.broken.api-private-key=" + PRIVATE_KEY,
				"--stamped-sync.subscriptions.broken.api-password=key-another-secret-0000"))
			.rootCause()
			.isInstanceOf(InvalidSubscriptionConfigurationException.class)
			.message()
			.contains("subscription 'broken': stamped-sync.subscriptions.broken.api-url must use https")
			.contains("subscription 'broken': stamped-sync.subscriptions.broken.api-store-hash required")
			.contains("subscription 'broken': stamped-sync.subscriptions.broken.api-password must equal apiPrivateKey")
			.doesNotContain(PRIVATE_KEY, "key-another-secret", "evil.example");
		assertThat(output.getAll()).doesNotContain(PRIVATE_KEY, "key-another-secret");
	}

	private ConfigurableApplicationContext start(String... args) {
		String[] common = { "--stamped-sync.data-dir=" + this.dataDir, "--management.server.port=0",
				"--spring.main.banner-mode=off" };
		String[] all = new String[common.length + args.length];
		System.arraycopy(common, 0, all, 0, common.length);
		System.arraycopy(args, 0, all, common.length, args.length);
		return new SpringApplicationBuilder(StampedSyncApplication.class).web(WebApplicationType.NONE).run(all);
	}

}

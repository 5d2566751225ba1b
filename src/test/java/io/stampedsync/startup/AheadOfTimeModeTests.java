package io.stampedsync.startup;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;

import org.junit.jupiter.api.Test;

import org.springframework.mock.env.MockEnvironment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.assertj.core.api.Assertions.assertThatNoException;

/**
 * A start on the context generated ahead of time is refused unless it asks for the
 * build's mode.
 */
class AheadOfTimeModeTests {

	private static MockEnvironment embedded() {
		return new MockEnvironment().withProperty("server.port", "8080")
			.withProperty("management.server.port", "8081")
			.withProperty("springdoc.swagger-ui.enabled", "false");
	}

	@Test
	void theEmbeddedModeIsTheBuildsModeOnOtherPorts() {
		Map<String, String> built = AheadOfTimeMode.of(embedded());
		MockEnvironment start = embedded().withProperty("server.port", "18080")
			.withProperty("management.server.port", "18081")
			.withProperty("stamped-sync.data-dir", "/tmp/elsewhere");

		assertThatNoException().isThrownBy(() -> AheadOfTimeModeGuard.check(built, AheadOfTimeMode.of(start)));
	}

	@Test
	void aSandboxStartIsRefused() {
		Map<String, String> built = AheadOfTimeMode.of(embedded());
		MockEnvironment sandbox = embedded().withProperty("springdoc.swagger-ui.enabled", "true");
		sandbox.setActiveProfiles("sandbox");

		assertThatIllegalStateException()
			.isThrownBy(() -> AheadOfTimeModeGuard.check(built, AheadOfTimeMode.of(sandbox)))
			.withMessageContaining("profiles='sandbox' (the build's: 'default')")
			.withMessageContaining("springdoc.swagger-ui.enabled='true'")
			.withMessageContaining("Start without -Dspring.aot.enabled=true");
	}

	@Test
	void namingTheDefaultProfileIsTheBuildsMode() {
		Map<String, String> built = AheadOfTimeMode.of(embedded());
		MockEnvironment start = embedded();
		start.setActiveProfiles("default");

		assertThatNoException().isThrownBy(() -> AheadOfTimeModeGuard.check(built, AheadOfTimeMode.of(start)));
	}

	@Test
	void anotherDefaultProfileIsRefused() {
		Map<String, String> built = AheadOfTimeMode.of(embedded());
		MockEnvironment start = embedded();
		start.setDefaultProfiles("sandbox");

		assertThatIllegalStateException().isThrownBy(() -> AheadOfTimeModeGuard.check(built, AheadOfTimeMode.of(start)))
			.withMessageContaining("profiles='sandbox' (the build's: 'default')");
	}

	@Test
	void aDistributedStartIsRefused() {
		Map<String, String> built = AheadOfTimeMode.of(embedded());
		MockEnvironment cluster = embedded().withProperty("stamped-sync.cluster.enabled", "true");

		assertThatIllegalStateException()
			.isThrownBy(() -> AheadOfTimeModeGuard.check(built, AheadOfTimeMode.of(cluster)))
			.withMessageContaining("stamped-sync.cluster.enabled='true' (the build's: 'false')");
	}

	@Test
	void actuatorOnTheServersPortIsAnotherMode() {
		Map<String, String> built = AheadOfTimeMode.of(embedded());
		MockEnvironment samePort = embedded().withProperty("management.server.port", "8080");

		assertThatIllegalStateException()
			.isThrownBy(() -> AheadOfTimeModeGuard.check(built, AheadOfTimeMode.of(samePort)))
			.withMessageContaining("management.server.port (type)='SAME' (the build's: 'DIFFERENT')");
	}

	@Test
	void aBuildWithoutGeneratedContextIsRefused() {
		assertThatIllegalStateException()
			.isThrownBy(() -> AheadOfTimeModeGuard.check(null, AheadOfTimeMode.of(embedded())))
			.withMessageContaining("no " + AheadOfTimeMode.RESOURCE);
	}

	@Test
	void theRecordedModeReadsBackAsWritten() {
		Map<String, String> mode = AheadOfTimeMode.of(embedded());
		byte[] written = AheadOfTimeMode.write(mode).getBytes(StandardCharsets.ISO_8859_1);
		ClassLoader loader = new ClassLoader(null) {
			@Override
			public InputStream getResourceAsStream(String name) {
				return AheadOfTimeMode.RESOURCE.equals(name) ? new ByteArrayInputStream(written) : null;
			}
		};

		assertThat(AheadOfTimeMode.read(loader)).isEqualTo(mode);
		assertThat(AheadOfTimeMode.read(new ClassLoader(null) {
		})).isNull();
	}

}

package io.stampedsync.startup;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;

import org.junit.jupiter.api.Test;

import org.springframework.mock.env.MockEnvironment;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The context generated ahead of time fits a start only when it asks for the build's
 * mode; {@code AheadOfTimeModeGuardTests} starts on it in another one.
 */
class AheadOfTimeModeTests {

	static MockEnvironment embedded() {
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

		assertThat(AheadOfTimeModeGuard.mismatch(built, AheadOfTimeMode.of(start))).isNull();
	}

	@Test
	void aSandboxStartIsAnotherMode() {
		Map<String, String> built = AheadOfTimeMode.of(embedded());
		MockEnvironment sandbox = embedded().withProperty("springdoc.swagger-ui.enabled", "true");
		sandbox.setActiveProfiles("sandbox");

		assertThat(AheadOfTimeModeGuard.mismatch(built, AheadOfTimeMode.of(sandbox)))
			.contains("profiles='sandbox' (the build's: 'default')")
			.contains("springdoc.swagger-ui.enabled='true' (the build's: 'false')");
	}

	@Test
	void namingTheDefaultProfileIsTheBuildsMode() {
		Map<String, String> built = AheadOfTimeMode.of(embedded());
		MockEnvironment start = embedded();
		start.setActiveProfiles("default");

		assertThat(AheadOfTimeModeGuard.mismatch(built, AheadOfTimeMode.of(start))).isNull();
	}

	@Test
	void anotherDefaultProfileIsAnotherMode() {
		Map<String, String> built = AheadOfTimeMode.of(embedded());
		MockEnvironment start = embedded();
		start.setDefaultProfiles("sandbox");

		assertThat(AheadOfTimeModeGuard.mismatch(built, AheadOfTimeMode.of(start)))
			.contains("profiles='sandbox' (the build's: 'default')");
	}

	@Test
	void aDistributedStartIsAnotherMode() {
		Map<String, String> built = AheadOfTimeMode.of(embedded());
		MockEnvironment cluster = embedded().withProperty("stamped-sync.cluster.enabled", "true");

		assertThat(AheadOfTimeModeGuard.mismatch(built, AheadOfTimeMode.of(cluster)))
			.endsWith("{stamped-sync.cluster.enabled='true' (the build's: 'false')}");
	}

	@Test
	void actuatorOnTheServersPortIsAnotherMode() {
		Map<String, String> built = AheadOfTimeMode.of(embedded());
		MockEnvironment samePort = embedded().withProperty("management.server.port", "8080");

		assertThat(AheadOfTimeModeGuard.mismatch(built, AheadOfTimeMode.of(samePort)))
			.contains("management.server.port (type)='SAME' (the build's: 'DIFFERENT')");
	}

	@Test
	void aBuildWithoutGeneratedContextFitsNoStart() {
		assertThat(AheadOfTimeModeGuard.mismatch(null, AheadOfTimeMode.of(embedded())))
			.contains("no " + AheadOfTimeMode.RESOURCE);
	}

	@Test
	void theRecordedModeReadsBackAsWritten() {
		Map<String, String> mode = AheadOfTimeMode.of(embedded());
		byte[] written = AheadOfTimeMode.write(mode).getBytes(StandardCharsets.ISO_8859_1);

		assertThat(AheadOfTimeMode.read(recording(written, null))).isEqualTo(mode);
		assertThat(AheadOfTimeMode.read(new ClassLoader(null) {
		})).isNull();
	}

	/**
	 * A class loader whose {@link AheadOfTimeMode#RESOURCE} is this record (none when
	 * null), and which finds everything else in its parent.
	 */
	static ClassLoader recording(byte[] record, ClassLoader parent) {
		return new ClassLoader(parent) {
			@Override
			public InputStream getResourceAsStream(String name) {
				if (AheadOfTimeMode.RESOURCE.equals(name)) {
					return (record != null) ? new ByteArrayInputStream(record) : null;
				}
				return super.getResourceAsStream(name);
			}
		};
	}

}

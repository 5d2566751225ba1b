package io.stampedsync.startup;

import java.nio.charset.StandardCharsets;
import java.util.function.Supplier;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.aot.AotDetector;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.SpringProperties;
import org.springframework.core.io.DefaultResourceLoader;
import org.springframework.mock.env.MockEnvironment;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A start with {@code spring.aot.enabled=true} in another mode than the build's runs the
 * context built at run time, with the beans of its own mode; one in the build's mode
 * keeps the generated context.
 */
@ExtendWith(OutputCaptureExtension.class)
class AheadOfTimeModeGuardTests {

	private static final String FALLBACK = "the context is built at run time instead";

	/** The mode of this project's build, {@code spring-boot:process-aot}'s. */
	private static final byte[] EMBEDDED_BUILD = AheadOfTimeMode
		.write(AheadOfTimeMode.of(AheadOfTimeModeTests.embedded()))
		.getBytes(StandardCharsets.ISO_8859_1);

	@AfterEach
	void clearTheFlag() {
		SpringProperties.setProperty(AotDetector.AOT_ENABLED, null);
	}

	/**
	 * A whole start, through Spring Boot's own sequence: had anything read the flag for
	 * the context before the guard turned it off, this start would look for the generated
	 * initializer of {@link DistributedOnly} (there is none) and fail, and it would not
	 * evaluate the condition of the bean only the distributed mode has.
	 */
	@Test
	void aDistributedStartOnTheGeneratedContextRunsTheContextBuiltAtRunTime(CapturedOutput output) {
		SpringProperties.setFlag(AotDetector.AOT_ENABLED);
		SpringApplication application = new SpringApplication(DistributedOnly.class);
		application.setMainApplicationClass(DistributedOnly.class);
		application.setWebApplicationType(WebApplicationType.NONE);
		application.setResourceLoader(
				new DefaultResourceLoader(AheadOfTimeModeTests.recording(EMBEDDED_BUILD, getClass().getClassLoader())));

		try (ConfigurableApplicationContext context = application.run("--stamped-sync.cluster.enabled=true")) {
			assertThat(context.containsBean("replicaOfSeveral")).isTrue();
			assertThat(AotDetector.useGeneratedArtifacts()).isFalse();
		}
		assertThat(output).contains("spring.aot.enabled=true, but the context generated ahead of time does not fit "
				+ "this start (it asks for another mode than the build's: {stamped-sync.cluster.enabled='true' (the "
				+ "build's: 'false')}): " + FALLBACK);
	}

	@Test
	void theBuildsModeKeepsTheGeneratedContext(CapturedOutput output) {
		SpringProperties.setFlag(AotDetector.AOT_ENABLED);

		guard().postProcessEnvironment(AheadOfTimeModeTests.embedded(),
				application(AheadOfTimeModeTests.recording(EMBEDDED_BUILD, null)));

		assertThat(AotDetector.useGeneratedArtifacts()).isTrue();
		assertThat(output).doesNotContain(FALLBACK);
	}

	@Test
	void aBuildWithoutARecordedModeRunsTheContextBuiltAtRunTime(CapturedOutput output) {
		SpringProperties.setFlag(AotDetector.AOT_ENABLED);

		guard().postProcessEnvironment(AheadOfTimeModeTests.embedded(),
				application(AheadOfTimeModeTests.recording(null, null)));

		assertThat(AotDetector.useGeneratedArtifacts()).isFalse();
		assertThat(output).contains("the class path holds no " + AheadOfTimeMode.RESOURCE).contains(FALLBACK);
	}

	@Test
	void aStartWithoutTheFlagIsLeftAlone(CapturedOutput output) {
		MockEnvironment sandbox = AheadOfTimeModeTests.embedded();
		sandbox.setActiveProfiles("sandbox");

		guard().postProcessEnvironment(sandbox, application(AheadOfTimeModeTests.recording(EMBEDDED_BUILD, null)));

		assertThat(SpringProperties.getProperty(AotDetector.AOT_ENABLED)).isNull();
		assertThat(output).doesNotContain(FALLBACK);
	}

	/**
	 * The guard, logging at once (a start's logs are deferred until logging is set up).
	 */
	private static AheadOfTimeModeGuard guard() {
		return new AheadOfTimeModeGuard(Supplier::get);
	}

	private static SpringApplication application(ClassLoader classLoader) {
		SpringApplication application = new SpringApplication();
		application.setResourceLoader(new DefaultResourceLoader(classLoader));
		return application;
	}

	@Configuration(proxyBeanMethods = false)
	static class DistributedOnly {

		@Bean
		@ConditionalOnBooleanProperty("stamped-sync.cluster.enabled")
		String replicaOfSeveral() {
			return "one replica of several";
		}

	}

}

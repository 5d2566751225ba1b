package io.stampedsync.startup;

import java.util.Map;
import java.util.TreeMap;

import org.apache.commons.logging.Log;

import org.springframework.aot.AotDetector;
import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.logging.DeferredLogFactory;
import org.springframework.core.Ordered;
import org.springframework.core.SpringProperties;
import org.springframework.core.env.ConfigurableEnvironment;

/**
 * A start with {@code -Dspring.aot.enabled=true} would run the context the build
 * generated ahead of time, whose beans were chosen by the build's profiles and switches,
 * whatever this start asks for. When this start's mode ({@link AheadOfTimeMode}) differs
 * from the one the build recorded, or the build recorded none, this turns the flag off
 * and the start builds its context at run time, as one without the flag does: slower, but
 * with the beans of its own mode. So every start may pass the flag (the image's
 * {@code start.sh} does) and only the build's mode runs the generated context.
 * <p>
 * Last of the environment post processors, when the profiles and every property source
 * are known, and still early enough: Spring Boot reads the flag
 * ({@link AotDetector#useGeneratedArtifacts()}) for the context only after the
 * environment is prepared (the logging system's initialization, the context's creation,
 * {@code SpringApplication.prepareContext}, the refresh), each time anew. The one read
 * before this is {@code EnvironmentPostProcessorApplicationListener}'s look-up of a
 * generated {@code StampedSyncApplication__EnvironmentPostProcessor}, which the build
 * makes only when it runs with an active profile, and it runs with none.
 */
class AheadOfTimeModeGuard implements EnvironmentPostProcessor, Ordered {

	private final Log logger;

	AheadOfTimeModeGuard(DeferredLogFactory logFactory) {
		this.logger = logFactory.getLog(AheadOfTimeModeGuard.class);
	}

	@Override
	public int getOrder() {
		return Ordered.LOWEST_PRECEDENCE;
	}

	@Override
	public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
		if (!AotDetector.useGeneratedArtifacts()) {
			return;
		}
		String reason = mismatch(AheadOfTimeMode.read(application.getClassLoader()), AheadOfTimeMode.of(environment));
		if (reason != null) {
			// SpringProperties' own value comes before the system property in
			// AotDetector: it wins over -Dspring.aot.enabled=true from now on.
			SpringProperties.setFlag(AotDetector.AOT_ENABLED, false);
			this.logger
				.info("spring.aot.enabled=true, but the context generated ahead of time does not fit this start ("
						+ reason + "): the context is built at run time instead (docs/performance.md, Start-up)");
		}
	}

	/**
	 * Why the context generated for the build's mode does not fit the requested one, or
	 * null when it does.
	 */
	static String mismatch(Map<String, String> built, Map<String, String> requested) {
		if (built == null) {
			return "the class path holds no " + AheadOfTimeMode.RESOURCE
					+ " (the build ran no spring-boot:process-aot)";
		}
		Map<String, String> differences = new TreeMap<>();
		requested.forEach((name, value) -> {
			String builtValue = built.get(name);
			if (!value.equals(builtValue)) {
				differences.put(name, "'" + value + "' (the build's: '" + builtValue + "')");
			}
		});
		return differences.isEmpty() ? null : "it asks for another mode than the build's: " + differences;
	}

}

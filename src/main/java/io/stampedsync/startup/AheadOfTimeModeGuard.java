package io.stampedsync.startup;

import java.util.Map;
import java.util.TreeMap;

import org.springframework.aot.AotDetector;
import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.core.Ordered;
import org.springframework.core.env.ConfigurableEnvironment;

/**
 * A start with {@code -Dspring.aot.enabled=true} runs the context the build generated
 * ahead of time, whose beans were chosen by the build's profiles and switches, whatever
 * this start asks for. This refuses such a start when its mode ({@link AheadOfTimeMode})
 * differs from the one the build recorded: a sandbox or distributed start must run
 * without {@code spring.aot.enabled}. Last of the environment post processors, when the
 * profiles and every property source are known.
 */
class AheadOfTimeModeGuard implements EnvironmentPostProcessor, Ordered {

	@Override
	public int getOrder() {
		return Ordered.LOWEST_PRECEDENCE;
	}

	@Override
	public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
		if (AotDetector.useGeneratedArtifacts()) {
			check(AheadOfTimeMode.read(application.getClassLoader()), AheadOfTimeMode.of(environment));
		}
	}

	static void check(Map<String, String> built, Map<String, String> requested) {
		if (built == null) {
			throw new IllegalStateException("spring.aot.enabled=true, but the class path holds no "
					+ AheadOfTimeMode.RESOURCE + " (the build ran no spring-boot:process-aot): start without "
					+ "-Dspring.aot.enabled=true");
		}
		Map<String, String> differences = new TreeMap<>();
		requested.forEach((name, value) -> {
			String builtValue = built.get(name);
			if (!value.equals(builtValue)) {
				differences.put(name, "'" + value + "' (the build's: '" + builtValue + "')");
			}
		});
		if (!differences.isEmpty()) {
			throw new IllegalStateException("This start asks for another mode than the context generated ahead of "
					+ "time, which would run the build's beans: " + differences
					+ ". Start without -Dspring.aot.enabled=true (docs/performance.md, Start-up)");
		}
	}

}

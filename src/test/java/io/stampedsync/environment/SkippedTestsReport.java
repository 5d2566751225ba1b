package io.stampedsync.environment;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.engine.support.descriptor.MethodSource;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.TestPlan;

/**
 * Collects the tests skipped by {@link EnvironmentRule} and, when the test plan ends,
 * appends one line per reason to {@code target/skipped-tests.txt}; the build prints that
 * file as its last lines (maven-antrun-plugin in the verify phase), because Surefire
 * keeps a forked JVM's own output in report files. Registered through
 * {@code META-INF/services/org.junit.platform.launcher.TestExecutionListener}.
 */
public final class SkippedTestsReport implements TestExecutionListener {

	/** Where the lines go; the build empties it before the tests run. */
	static final Path FILE = Path.of(System.getProperty("stamped-sync.skipped-tests", "target/skipped-tests.txt"));

	private final Map<String, List<String>> testsByReason = new TreeMap<>();

	@Override
	public synchronized void executionSkipped(TestIdentifier test, String reason) {
		if (reason != null && reason.startsWith(EnvironmentRule.MARKER)) {
			this.testsByReason.computeIfAbsent(reason, (key) -> new ArrayList<>()).add(name(test));
		}
	}

	// A case that needs something only for some parameters aborts
	// (EnvironmentRule.require).
	@Override
	public synchronized void executionFinished(TestIdentifier test, TestExecutionResult result) {
		if (result.getStatus() == TestExecutionResult.Status.ABORTED) {
			result.getThrowable()
				.map(Throwable::getMessage)
				.filter((message) -> message.contains(EnvironmentRule.MARKER))
				.ifPresent((message) -> this.testsByReason
					.computeIfAbsent(message.substring(message.indexOf(EnvironmentRule.MARKER)),
							(key) -> new ArrayList<>())
					.add(name(test) + test.getDisplayName()));
		}
	}

	@Override
	public synchronized void testPlanExecutionFinished(TestPlan plan) {
		if (this.testsByReason.isEmpty()) {
			return;
		}
		List<String> lines = new ArrayList<>();
		this.testsByReason.forEach((reason, tests) -> {
			lines.add("SKIPPED " + tests.size() + " test(s). " + reason);
			lines.add("  skipped: " + String.join(", ", tests));
		});
		lines.forEach(System.out::println);
		try {
			Files.createDirectories(FILE.toAbsolutePath().getParent());
			Files.write(FILE, lines, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		this.testsByReason.clear();
	}

	private static String name(TestIdentifier test) {
		return test.getSource()
			.filter(MethodSource.class::isInstance)
			.map(MethodSource.class::cast)
			.map((source) -> source.getClassName().substring(source.getClassName().lastIndexOf('.') + 1) + "."
					+ source.getMethodName())
			.orElse(test.getDisplayName());
	}

}

package io.stampedsync.environment;

import java.util.Collection;
import java.util.List;
import java.util.function.Predicate;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/**
 * The one rule for tests that need something from the machine: all there → run; something
 * missing → skip with the reason, or fail when {@code CI} is {@code true}. Only the value
 * {@code true} (any case) counts as CI, the value {@code .ci/run} and the common CI
 * services set: a developer's {@code CI=1} or {@code CI=false} still skips.
 */
public final class EnvironmentRule {

	/** Every skip reason of this rule starts with this, so the report can find them. */
	public static final String MARKER = "Needs ";

	private final String ci;

	private final Predicate<Requirement> available;

	/**
	 * @param ci the value of the {@code CI} environment variable ({@code null} if unset)
	 * @param available whether the machine has a requirement
	 */
	public EnvironmentRule(String ci, Predicate<Requirement> available) {
		this.ci = ci;
		this.available = available;
	}

	/** The rule for this JVM: its {@code CI} variable, the real probes. */
	public static EnvironmentRule current() {
		return new EnvironmentRule(System.getenv("CI"), Requirement::isAvailable);
	}

	/**
	 * For a test that needs something only in some of its cases (a parameter): runs on,
	 * skips (aborts) or fails that case by the rule, with the same reason as
	 * {@link Requires}.
	 */
	public static void require(Requirement... needed) {
		Verdict verdict = current().decide(List.of(needed));
		switch (verdict.action()) {
			case SKIP -> Assumptions.abort(verdict.reason());
			case FAIL -> Assertions.fail(verdict.reason());
			case RUN -> {
			}
		}
	}

	/** Whether {@code CI} says this is a CI run. */
	public boolean isCi() {
		return this.ci != null && "true".equalsIgnoreCase(this.ci.trim());
	}

	/** What to do with a test that needs {@code needed}. */
	public Verdict decide(Collection<Requirement> needed) {
		List<Requirement> missing = needed.stream().filter(this.available.negate()).distinct().toList();
		if (missing.isEmpty()) {
			return new Verdict(Action.RUN, null);
		}
		String reason = missing.stream()
			.map((requirement) -> MARKER + requirement.description() + ", not found on this machine; to get it: "
					+ requirement.howToGet())
			.collect(Collectors.joining("; "));
		return isCi() ? new Verdict(Action.FAIL, reason + " (CI=true: missing is a failure, not a skip)")
				: new Verdict(Action.SKIP, reason);
	}

	/** Run, skip or fail. */
	public enum Action {

		RUN, SKIP, FAIL

	}

	/** An action and, unless it is {@link Action#RUN}, why. */
	public record Verdict(Action action, String reason) {

	}

}

package io.stampedsync.environment;

import java.util.EnumSet;
import java.util.List;
import java.util.Set;

import io.stampedsync.environment.EnvironmentRule.Action;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullSource;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

/** The skip-or-fail rule, with the CI variable and the machine's probes given. */
class EnvironmentRuleTests {

	static final Set<Requirement> NOTHING = EnumSet.noneOf(Requirement.class);

	@Test
	void runsWhenEverythingNeededIsThereWhateverCiSays() {
		EnvironmentRule rule = new EnvironmentRule("true", (requirement) -> true);

		assertThat(rule.decide(List.of(Requirement.CHROMIUM, Requirement.POSTGRES)).action()).isEqualTo(Action.RUN);
		assertThat(rule.decide(List.of()).action()).isEqualTo(Action.RUN);
	}

	@ParameterizedTest
	@NullSource
	@ValueSource(strings = { "", "false", "1", "yes", "0" })
	void skipsWithWhatIsMissingAndHowToGetItOutsideCi(String ci) {
		EnvironmentRule rule = new EnvironmentRule(ci, (requirement) -> requirement != Requirement.POSTGRES);

		EnvironmentRule.Verdict verdict = rule.decide(List.of(Requirement.POSTGRES));

		assertThat(rule.isCi()).isFalse();
		assertThat(verdict.action()).isEqualTo(Action.SKIP);
		assertThat(verdict.reason()).startsWith(EnvironmentRule.MARKER)
			.contains("PostgreSQL on 127.0.0.1:5432")
			.contains("apt-get install -y postgresql");
	}

	@ParameterizedTest
	@ValueSource(strings = { "true", "TRUE", "True", " true " })
	void failsInsteadOfSkippingWhenCiIsTrue(String ci) {
		EnvironmentRule rule = new EnvironmentRule(ci, (requirement) -> requirement != Requirement.CHROMIUM);

		EnvironmentRule.Verdict verdict = rule.decide(List.of(Requirement.CHROMIUM));

		assertThat(verdict.action()).isEqualTo(Action.FAIL);
		assertThat(verdict.reason()).contains("headless Chromium")
			.contains("chromium chromium-driver")
			.contains("CI=true");
	}

	@Test
	void namesEveryMissingRequirementAndOnlyThose() {
		EnvironmentRule rule = new EnvironmentRule(null, NOTHING::contains);

		String reason = rule.decide(List.of(Requirement.CHROMIUM, Requirement.POSTGRES)).reason();

		assertThat(reason).contains("Chromium").contains("PostgreSQL");
		assertThat(new EnvironmentRule(null, (requirement) -> requirement == Requirement.POSTGRES)
			.decide(List.of(Requirement.CHROMIUM, Requirement.POSTGRES))
			.reason()).contains("Chromium").doesNotContain("PostgreSQL");
	}

}

package io.stampedsync.environment;

import java.lang.reflect.Method;
import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.InvocationInterceptor;
import org.junit.jupiter.api.extension.ReflectiveInvocationContext;
import org.junit.jupiter.api.extension.TestInstanceFactoryContext;
import org.junit.jupiter.api.extension.TestInstancePreConstructCallback;
import org.junit.platform.commons.support.AnnotationSupport;
import org.opentest4j.AssertionFailedError;

/**
 * Applies {@link EnvironmentRule} to a {@link Requires} class, test by test: the class
 * itself always runs, so that each test is reported (skipped or failed) instead of the
 * class vanishing from the counts ("Tests run: 0", PITFALLS.md 14). When a requirement is
 * missing, the class's own set-up and tear-down methods are not run: they are the ones
 * that would start the browser or open the database. A skipped test is disabled, so none
 * of its own lifecycle runs; a failed one (CI) fails before its test instance is made.
 */
final class EnvironmentExtension
		implements ExecutionCondition, TestInstancePreConstructCallback, InvocationInterceptor {

	private static final EnvironmentRule RULE = EnvironmentRule.current();

	@Override
	public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
		EnvironmentRule.Verdict verdict = verdict(context);
		if (context.getTestMethod().isEmpty() || verdict.action() != EnvironmentRule.Action.SKIP) {
			return ConditionEvaluationResult.enabled("environment checked per test");
		}
		return ConditionEvaluationResult.disabled(verdict.reason());
	}

	/**
	 * Fails each test of a class whose requirement is missing under CI before its test
	 * instance exists, so that neither its {@code @BeforeEach} nor its body runs.
	 */
	@Override
	public void preConstructTestInstance(TestInstanceFactoryContext factoryContext, ExtensionContext context) {
		EnvironmentRule.Verdict verdict = verdict(context);
		if (verdict.action() == EnvironmentRule.Action.FAIL) {
			throw new AssertionFailedError(verdict.reason());
		}
	}

	@Override
	public void interceptBeforeAllMethod(Invocation<Void> invocation,
			ReflectiveInvocationContext<Method> invocationContext, ExtensionContext context) throws Throwable {
		proceedIfMet(invocation, context);
	}

	@Override
	public void interceptAfterAllMethod(Invocation<Void> invocation,
			ReflectiveInvocationContext<Method> invocationContext, ExtensionContext context) throws Throwable {
		proceedIfMet(invocation, context);
	}

	private static void proceedIfMet(Invocation<Void> invocation, ExtensionContext context) throws Throwable {
		if (verdict(context).action() == EnvironmentRule.Action.RUN) {
			invocation.proceed();
		}
		else {
			invocation.skip();
		}
	}

	private static EnvironmentRule.Verdict verdict(ExtensionContext context) {
		List<Requirement> needed = context.getTestClass()
			.flatMap((type) -> AnnotationSupport.findAnnotation(type, Requires.class))
			.map((requires) -> Arrays.asList(requires.value()))
			.orElse(List.of());
		return RULE.decide(needed);
	}

}

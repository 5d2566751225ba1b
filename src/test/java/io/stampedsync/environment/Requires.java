package io.stampedsync.environment;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The test class needs these from the machine. Without them each of its tests is reported
 * skipped with the reason (and listed at the end of the build), or fails when
 * {@code CI=true}: see {@link EnvironmentRule}.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@ExtendWith(EnvironmentExtension.class)
public @interface Requires {

	Requirement[] value();

}

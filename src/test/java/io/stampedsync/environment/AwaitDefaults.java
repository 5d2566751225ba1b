package io.stampedsync.environment;

import java.time.Duration;

import org.awaitility.Awaitility;
import org.awaitility.pollinterval.IterativePollInterval;
import org.junit.platform.launcher.LauncherSession;
import org.junit.platform.launcher.LauncherSessionListener;

/**
 * How every Awaitility wait of the test JVM polls, unless the wait says otherwise: at
 * once, then after 5, 10, 20, 40, 80 ms and every 100 ms from there. Awaitility's own
 * default checks first after 100 ms, so a condition that already holds, or holds a few
 * milliseconds later, cost 100 ms: hundreds of waits in a run. Polling no later than
 * before keeps long waits as cheap; the first checks only come sooner. Set once per test
 * JVM (registered in {@code META-INF/services}), before any test runs.
 */
public final class AwaitDefaults implements LauncherSessionListener {

	static final Duration FIRST = Duration.ofMillis(5);

	static final Duration MOST = Duration.ofMillis(100);

	@Override
	public void launcherSessionOpened(LauncherSession session) {
		Awaitility.setDefaultPollInterval(new IterativePollInterval(AwaitDefaults::next, FIRST));
		Awaitility.setDefaultPollDelay(Duration.ZERO);
	}

	static Duration next(Duration previous) {
		Duration doubled = previous.multipliedBy(2);
		return (doubled.compareTo(MOST) < 0) ? doubled : MOST;
	}

}
